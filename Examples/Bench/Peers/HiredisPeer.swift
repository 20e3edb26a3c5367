/// The raw-hiredis peer: the `hiredis-peer` C executable of this package,
/// run as a subprocess, for commands or for pub/sub.
///
/// A separate process rather than C code called in-process, so that its CPU
/// time is its own (it measures itself with `getrusage`, as we measure
/// ourselves), nothing of the Swift runtime or Dispatch runs beside it, and
/// anyone can run it by hand or under callgrind with the same arguments.
struct HiredisPeer: Sendable {
    /// Where the executable is.
    var path: String

    /// Runs `requests` commands, `pipeline` per round trip, and returns the
    /// peer's own measurement of its timed loop.
    ///
    /// - Throws: ``BenchError`` when the peer fails or prints something else.
    func run(
        _ command: BenchCommand,
        requests: Int,
        pipeline: Int,
        valueSize: Int,
        on transport: Transport
    ) throws -> Sample {
        let arguments =
            transport.hiredisPeerArguments + [
                "--command", command.rawValue.lowercased(),
                "--requests", "\(requests)",
                "--pipeline", "\(pipeline)",
                "--value-size", "\(valueSize)",
            ]
        return try run(arguments)
    }

    /// Runs the peer's pub/sub mode: `subscribers` threads, each on its own
    /// blocking connection, subscribe to one channel, and a publisher sends
    /// them `messages` payloads of `valueSize` bytes.
    ///
    /// - Parameters:
    ///   - pipeline: PUBLISH commands per round trip when `rate` is nil.
    ///   - rate: messages per second on a fixed schedule, one PUBLISH at a
    ///     time, with the publish time in each payload; the sample then
    ///     holds the latency percentiles. Nil publishes as fast as it can.
    /// - Returns: deliveries (messages times subscribers) in `operations`,
    ///   from the first publish to the last delivery.
    /// - Throws: ``BenchError`` when the peer fails or prints something else.
    func subscribe(
        _ subscribers: Int,
        messages: Int,
        pipeline: Int,
        rate: Int?,
        valueSize: Int,
        on transport: Transport
    ) throws -> Sample {
        var arguments =
            transport.hiredisPeerArguments + [
                "--subscribe", "\(subscribers)",
                "--messages", "\(messages)",
                "--value-size", "\(valueSize)",
            ]
        arguments += rate.map { ["--rate", "\($0)"] } ?? ["--pipeline", "\(pipeline)"]
        let sample = try run(arguments)
        let hasLatency =
            sample.latencyP50Microseconds != nil && sample.latencyP99Microseconds != nil
        if rate != nil && !hasLatency { throw missingFigures(arguments) }
        return sample
    }

    /// Runs the peer and reads the `key=value` pairs it prints.
    private func run(_ arguments: [String]) throws -> Sample {
        let outcome = try Subprocess.run(path, arguments)
        guard outcome.status == 0 else {
            throw BenchError(
                "hiredis-peer \(arguments.joined(separator: " ")) failed "
                    + "with status \(outcome.status); its error is printed above.")
        }
        var fields: [Substring: Double] = [:]
        for pair in outcome.standardOutput.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Double(parts[1]) { fields[parts[0]] = value }
        }
        guard let done = fields["requests"], let seconds = fields["seconds"],
            let user = fields["user_seconds"], let system = fields["system_seconds"]
        else { throw missingFigures(arguments) }
        return Sample(
            operations: Int(done), seconds: seconds, cpuSeconds: user + system,
            systemCPUSeconds: system, latencyP50Microseconds: fields["p50_us"],
            latencyP99Microseconds: fields["p99_us"])
    }

    private func missingFigures(_ arguments: [String]) -> BenchError {
        BenchError(
            "hiredis-peer \(arguments.joined(separator: " ")) did not print every figure "
                + "of its requests=… seconds=… line; rebuild it with make bench.")
    }
}
