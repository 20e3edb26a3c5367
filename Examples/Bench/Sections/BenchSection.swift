import Foundation

/// A group of workloads that `bench` runs and reports together.
///
/// The client workloads, pub/sub and chat are one section each (see
/// `Benchmarks.sections`), each returning rows for the same table and JSON.
protocol BenchSection: Sendable {
    /// The section's name in the table and the JSON.
    var name: String { get }

    /// The workload families of ``BenchOptions/families`` this section
    /// runs; it runs only when `--workloads` names one of them.
    var families: [String] { get }

    /// Lines for the top of the table: what one run of each workload does
    /// with these options.
    func describe(_ options: BenchOptions) -> [String]

    /// Lines for the legend under the table: how to read this section's rows.
    var legend: [String] { get }

    /// Runs every workload of the section in the context's idle mode and
    /// returns one comparison per figure.
    func run(in context: BenchContext) async throws -> [Comparison]
}

extension BenchSection {
    /// Whether the options select any of this section's workloads.
    func isSelected(by options: BenchOptions) -> Bool {
        families.contains { options.workloads.contains($0) }
    }
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
