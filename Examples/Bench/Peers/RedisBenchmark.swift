/// The `redis-benchmark` tool that ships with Redis (Debian's redis-tools),
/// run as a subprocess for one test at a time.
struct RedisBenchmark: Sendable {
    /// Where the executable is.
    var path: String

    /// Runs redis-benchmark's SET or GET test and returns its throughput.
    ///
    /// The CPU time is the whole child's (from `wait4`), so it includes
    /// opening its connections; the table marks that. It has no system share
    /// of its own in the results.
    ///
    /// - Parameters:
    ///   - clients: redis-benchmark's `-c`: connections, each with its own
    ///     requests in flight.
    ///   - pipeline: its `-P`: requests each connection sends per round trip.
    /// - Throws: ``BenchError`` when it fails or prints no figure for the test.
    func run(
        _ command: BenchCommand,
        requests: Int,
        clients: Int,
        pipeline: Int,
        valueSize: Int,
        on transport: Transport
    ) throws -> Sample {
        let arguments =
            transport.redisBenchmarkArguments + [
                "-c", "\(clients)", "-P", "\(pipeline)", "-n", "\(requests)",
                "-d", "\(valueSize)", "-t", command.rawValue.lowercased(), "--csv",
            ]
        let outcome = try Subprocess.run(path, arguments)
        guard outcome.status == 0 else {
            throw BenchError(
                "redis-benchmark \(arguments.joined(separator: " ")) failed "
                    + "with status \(outcome.status).")
        }

        // --csv prints a header line, then "TEST","requests per second",...
        let prefix = "\"\(command.rawValue)\","
        for line in outcome.standardOutput.split(separator: "\n") where line.hasPrefix(prefix) {
            let fields = line.split(separator: ",").map { $0.filter { $0 != "\"" } }
            if fields.count > 1, let rate = Double(fields[1]), rate > 0 {
                return Sample(
                    operations: requests, seconds: Double(requests) / rate,
                    cpuSeconds: outcome.cpuSeconds, systemCPUSeconds: nil)
            }
        }
        throw BenchError(
            "redis-benchmark printed no \(command.rawValue) figure: "
                + outcome.standardOutput.debugDescription)
    }
}
