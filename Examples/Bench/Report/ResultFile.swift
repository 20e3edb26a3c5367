import Foundation

/// Everything a run measured, as written to `bench-results.json`: the same
/// figures as the table, every repetition's sample, and what the machine
/// was doing.
struct ResultFile: Codable {
    /// The machine the figures come from.
    struct Machine: Codable {
        /// Online CPUs.
        var cpus: Int
        /// The CPU model from /proc/cpuinfo.
        var cpuModel: String
        /// The kernel, as the system names it.
        var system: String
        /// /proc/loadavg when the run started and when it ended: a high load
        /// means other work shared the CPUs and the figures are noisier.
        var loadAverageAtStart: String
        var loadAverageAtEnd: String
    }

    /// One idle mode's stretch of the run.
    struct IdleRun: Codable {
        var idleMode: IdleMode
        /// What the kernel enforced, read back from /dev/cpu_dma_latency.
        var cpuDMALatency: String
    }

    /// When the run started (UTC, ISO 8601).
    var date: String
    var machine: Machine
    /// The server's version, from INFO.
    var redisVersion: String
    var repetitions: Int
    var valueSize: Int
    /// What one run of each workload does, as the table's heading says it.
    var workloads: [String]
    var sequentialOperations: Int
    var concurrentOperations: Int
    var pipelineOperations: Int
    /// Deliveries (messages times subscribers) in one fan-out run.
    var fanOutDeliveries: Int
    /// Messages per second, and messages per run, of the latency workloads.
    var latencyRate: Int
    var latencyMessages: Int
    var chatSequentialSends: Int
    var chatConcurrentSends: Int
    var historyPages: Int
    var tutorialHistoryPages: Int
    var idleRuns: [IdleRun]
    var comparisons: [Comparison]

    /// Writes the file as pretty-printed JSON with snake_case keys.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Runs without peers (--no-peers) have no peer figures.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }

    /// The machine as it is now, with `loadAverageAtStart` as given.
    static func machine(loadAverageAtStart: String) -> Machine {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuInfo.split(separator: "\n")
            .first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return Machine(
            cpus: ProcessInfo.processInfo.activeProcessorCount,
            cpuModel: model ?? "unknown",
            system: ProcessInfo.processInfo.operatingSystemVersionString,
            loadAverageAtStart: loadAverageAtStart,
            loadAverageAtEnd: loadAverage()
        )
    }

    /// The first three fields of /proc/loadavg.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
