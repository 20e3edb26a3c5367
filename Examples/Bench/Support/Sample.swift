import Foundation

/// One timed run of a workload: how many operations, how long they took on
/// the wall clock, and how much CPU time the client spent on them.
struct Sample {
    /// Operations completed in the timed part (warm-up excluded).
    var operations: Int
    /// Wall-clock seconds of the timed part.
    var seconds: Double
    /// User plus system CPU seconds of the client process over the timed
    /// part, or nil when the peer does not report them.
    var cpuSeconds: Double?
    /// The system (kernel) part of ``cpuSeconds``, where it is known.
    var systemCPUSeconds: Double?
    /// For latency workloads, the median time from publish to receive, in
    /// microseconds, over every delivery of the run.
    var latencyP50Microseconds: Double?
    /// The same, 99th percentile.
    var latencyP99Microseconds: Double?

    /// A sample with no figures, for a peer that did not run.
    static let absent = Sample(
        operations: 1, seconds: .nan, cpuSeconds: .nan, systemCPUSeconds: .nan,
        latencyP50Microseconds: .nan, latencyP99Microseconds: .nan)

    /// Throughput.
    var operationsPerSecond: Double { Double(operations) / seconds }

    /// Client CPU time per operation, in microseconds.
    var cpuMicrosecondsPerOperation: Double? {
        cpuSeconds.map { $0 * 1e6 / Double(operations) }
    }

    /// The kernel's part of the client CPU time per operation, in microseconds.
    var systemCPUMicrosecondsPerOperation: Double? {
        systemCPUSeconds.map { $0 * 1e6 / Double(operations) }
    }

    /// Times `body`, which performs `operations` operations, and takes this
    /// process's CPU time around it.
    ///
    /// The CPU time is the whole process's (every thread: the caller, the
    /// connection's queue, Dispatch's helpers), which is the client's cost
    /// as long as nothing else runs in the process at the same time.
    static func measure(
        operations: Int,
        _ body: () async throws -> Void
    ) async rethrows -> Sample {
        let before = processCPUSeconds()
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        let after = processCPUSeconds()
        return Sample(
            operations: operations, seconds: elapsed.seconds,
            cpuSeconds: (after.user + after.system) - (before.user + before.system),
            systemCPUSeconds: after.system - before.system)
    }

    /// User and system CPU seconds this process has used so far.
    static func processCPUSeconds() -> (user: Double, system: Double) {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return (usage.ru_utime.seconds, usage.ru_stime.seconds)
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// The time on CLOCK_MONOTONIC in nanoseconds: the clock the raw-hiredis
/// peer stamps its payloads with, so both sides measure latency alike.
func monotonicNanoseconds() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
}

extension Array where Element == Double {
    /// The nearest-rank percentile: the smallest value that at least
    /// `quantile` (0 to 1) of the values do not exceed; nan when empty.
    func percentile(_ quantile: Double) -> Double {
        guard !isEmpty else { return .nan }
        let sorted = self.sorted()
        let rank = Int((quantile * Double(count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), count) - 1]
    }

    /// The middle value (the mean of the two middle values for an even count);
    /// nan when empty.
    var median: Double {
        guard !isEmpty else { return .nan }
        let sorted = self.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
