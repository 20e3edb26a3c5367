import Hiredis

/// Where the task that calls the connection runs.
enum CallerExecutor: String, CaseIterable, Codable, Sendable {
    /// The global concurrent executor, as in most server code: every call
    /// hops to the connection's queue and every reply hops back.
    case global
    /// The connection's own queue, by `withTaskExecutorPreference`, so calls
    /// and replies stay on one thread (for a pub/sub consumer, its
    /// subscriber's queue).
    case taskExecutor = "task-executor"

    /// Runs `body` from a task on this executor.
    ///
    /// The caller must be nonisolated (not on the main actor or any other
    /// actor), so that ``global`` really means the global executor.
    func run<Result>(
        on connection: RedisConnection,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await run(preferring: connection.executor, body)
    }

    /// Runs `body` from a task on this executor, where ``taskExecutor``
    /// means `queue`: a connection's, or a subscriber's, whose messages the
    /// task consumes.
    func run<Result>(
        preferring queue: QueueExecutor,
        _ body: () async throws -> Result
    ) async throws -> Result {
        switch self {
        case .global:
            return try await body()
        case .taskExecutor:
            return try await withTaskExecutorPreference(queue) {
                try await body()
            }
        }
    }
}
