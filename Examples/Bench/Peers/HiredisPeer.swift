/// The raw-hiredis peer: the `hiredis-peer` C executable of this package,
/// run as a subprocess.
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
        else {
            throw BenchError(
                "hiredis-peer printed \(outcome.standardOutput.debugDescription), "
                    + "not its requests=… seconds=… line; rebuild it with make bench.")
        }
        return Sample(
            operations: Int(done), seconds: seconds, cpuSeconds: user + system,
            systemCPUSeconds: system)
    }
}
