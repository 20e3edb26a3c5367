import Foundation

/// A group of workloads that `bench` runs and reports together.
///
/// The client workloads are one section; pub/sub and chat join as further
/// sections (see `Benchmarks.sections`), each returning rows for the same
/// table and JSON.
protocol BenchSection: Sendable {
    /// The section's name in the table and the JSON.
    var name: String { get }

    /// Runs every workload of the section in the context's idle mode and
    /// returns one comparison per figure.
    func run(in context: BenchContext) async throws -> [Comparison]
}

/// What every section gets: the options, the server's transports, the
/// peers, and the idle mode the figures are taken in.
struct BenchContext: Sendable {
    /// The run's options.
    var options: BenchOptions
    /// The transports to the private server, in the order to run them.
    var transports: [Transport]
    /// The raw-hiredis peer.
    var hiredisPeer: HiredisPeer
    /// redis-benchmark.
    var redisBenchmark: RedisBenchmark
    /// The idle mode in force.
    var idleMode: IdleMode

    /// Reports progress on standard error, so the table on standard output
    /// stays clean.
    func progress(_ message: String) {
        var line = message + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
