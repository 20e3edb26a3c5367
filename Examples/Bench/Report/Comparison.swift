/// One row of the results: a workload on one transport, in one idle mode,
/// beside one peer that ran in the same repetitions.
struct Comparison: Codable, Sendable {
    /// What a figure counts.
    enum Unit: String, Codable, Sendable {
        /// Throughput; higher is better.
        case operationsPerSecond = "ops/s"
        /// Client CPU time (user + system) per operation; lower is better.
        case cpuMicrosecondsPerOperation = "cpu µs/op"
        /// The kernel's part of it; in the JSON only, to show where CPU time goes.
        case systemCPUMicrosecondsPerOperation = "system cpu µs/op"
        /// Median publish-to-receive latency; lower is better.
        case latencyP50Microseconds = "p50 µs"
        /// 99th-percentile publish-to-receive latency; lower is better.
        case latencyP99Microseconds = "p99 µs"
    }

    /// Our client's figure from one executor.
    struct Ours: Codable, Sendable {
        /// The executor the calling task ran on.
        var executor: CallerExecutor
        /// The median over the repetitions.
        var median: Double
        /// Every repetition's figure, in order.
        var samples: [Double]
        /// The median over repetitions of ours against the peer in the same
        /// repetition, oriented so that above 1 is better for ours:
        /// ours ÷ peer for throughput, peer ÷ ours for CPU time.
        var ratio: Double
    }

    /// The section: `client`, `pubsub` or `chat`.
    var section: String
    /// The workload, such as `sequential SET`.
    var workload: String
    /// `unix` or `tcp`.
    var transport: String
    /// The idle mode both sides ran in.
    var idleMode: IdleMode
    /// The peer, such as `redis-benchmark -c 50 -P 1`; `none` where no
    /// peer exists or peers did not run.
    var peer: String
    /// What the figures count.
    var unit: Unit
    /// The peer's median.
    var peerMedian: Double
    /// The peer's figure in each repetition.
    var peerSamples: [Double]
    /// Our figures, one per executor.
    var ours: [Ours]

    /// Pairs our samples with the peer's, repetition by repetition.
    ///
    /// - Parameters:
    ///   - ours: per executor, one sample per repetition.
    ///   - peerSamples: the peer's sample in each repetition.
    ///   - figure: reads the figure out of a sample (nil when the sample lacks it).
    /// - Returns: nil when the peer has no such figure.
    init?(
        section: String, workload: String, transport: String, idleMode: IdleMode,
        peer: String, unit: Unit,
        ours: [(CallerExecutor, [Sample])], peerSamples: [Sample],
        figure: (Sample) -> Double?
    ) {
        let peerFigures = peerSamples.compactMap(figure)
        guard !peerFigures.isEmpty, peerFigures.count == peerSamples.count else { return nil }
        self.section = section
        self.workload = workload
        self.transport = transport
        self.idleMode = idleMode
        self.peer = peer
        self.unit = unit
        self.peerMedian = peerFigures.median
        self.peerSamples = peerFigures
        self.ours = ours.map { executor, samples in
            let figures = samples.map { figure($0) ?? .nan }
            let ratios = zip(figures, peerFigures).map { ours, peer in
                unit == .operationsPerSecond ? ours / peer : peer / ours
            }
            return Ours(
                executor: executor, median: figures.median, samples: figures,
                ratio: ratios.median)
        }
    }

    /// Our figure from `executor`, if it ran.
    func ours(_ executor: CallerExecutor) -> Ours? {
        ours.first { $0.executor == executor }
    }
}
