/// Awaits `count` results from the tasks already in `group`, or throws
/// ``BenchError`` with `failure` when they take longer than `timeout`
/// from this call, so that a lost message fails a run instead of hanging
/// it. The tasks return non-nil; a nil is the timeout.
///
/// The timeout is one more task in the group; it is cancelled when every
/// result is in.
func collect<Result: Sendable>(
    _ count: Int,
    from group: inout ThrowingTaskGroup<Result?, any Error>,
    within timeout: Duration,
    failure: String
) async throws -> [Result] {
    group.addTask {
        try? await Task.sleep(for: timeout)
        return nil
    }
    var results: [Result] = []
    results.reserveCapacity(count)
    while results.count < count {
        guard let result = try await group.next() ?? nil else { throw BenchError(failure) }
        results.append(result)
    }
    group.cancelAll()
    return results
}
