/// What a run measures and how long it takes, from the command line.
///
/// The defaults keep a whole `make bench` run (both idle modes) within a
/// few minutes on a 2-core machine; `--scale` trades time for steadier
/// figures.
struct BenchOptions: Sendable {
    /// Idle modes to run, in order; each runs every workload.
    var idleModes: [IdleMode] = [.standard, .lowLatency]
    /// Transports to run every workload on.
    var transports: [String] = ["unix", "tcp"]
    /// Executors our calls start from.
    var executors: [CallerExecutor] = CallerExecutor.allCases
    /// Workload families to run: `sequential`, `concurrent`, `pipeline`
    /// (the client section), `pubsub` and `chat`.
    var workloads: [String] = Self.families
    /// Repetitions of each workload; the table shows medians.
    var repetitions = 3
    /// Multiplies every operation count.
    var scale = 1.0
    /// Bytes in each SET value (redis-benchmark's `-d`).
    var valueSize = 32
    /// Whether to run the peers; off when profiling our side alone.
    var runsPeers = true
    /// Where the JSON figures go.
    var jsonPath = "bench-results.json"
    /// The raw-hiredis peer executable; nil looks beside this executable.
    var hiredisPeerPath: String?

    /// Every workload family, in the order they run.
    static let families = ["sequential", "concurrent", "pipeline", "pubsub", "chat"]

    /// Concurrent tasks sharing one connection in the concurrent workload,
    /// and concurrent senders in the chat workloads.
    let concurrentTasks = 50
    /// Commands per pipeline in the pipeline workload, and PUBLISH per
    /// round trip in the pub/sub fan-out.
    let pipelineDepth = 16
    /// Subscribers of one channel in the pub/sub fan-out workloads.
    let fanOutSubscribers = [1, 10, 100]
    /// Subscribers of one channel in the pub/sub latency workloads.
    let latencySubscribers = [1, 10, 100]
    /// Messages per second the latency workloads publish.
    let latencyRate = 1_000
    /// Messages in one page of chat history.
    let historyPageSize = 50

    /// Operations in one timed run of the sequential workload.
    var sequentialOperations: Int { rounded(5_000, to: 1) }
    /// Operations in one timed run of the concurrent workload.
    var concurrentOperations: Int { rounded(50_000, to: concurrentTasks) }
    /// Operations in one timed run of the pipeline workload.
    var pipelineOperations: Int { rounded(64_000, to: pipelineDepth) }

    /// Deliveries (messages times subscribers) in one timed fan-out run.
    var fanOutDeliveries: Int { rounded(30_000, to: 1) }
    /// Messages one fan-out run publishes to `subscribers` subscribers: the
    /// deliveries shared out, in whole pipelines.
    func fanOutMessages(subscribers: Int) -> Int {
        max(pipelineDepth, fanOutDeliveries / subscribers / pipelineDepth * pipelineDepth)
    }
    /// Messages one timed latency run publishes: a second's worth at the
    /// default scale.
    var latencyMessages: Int { rounded(latencyRate, to: 1) }
    /// Chat messages one task sends, one at a time, in one timed run.
    var chatSequentialSends: Int { rounded(1_000, to: 1) }
    /// Chat messages ``concurrentTasks`` senders share in one timed run;
    /// the room events workload sends as many.
    var chatConcurrentSends: Int { rounded(5_000, to: concurrentTasks) }
    /// History pages one timed run reads in one round trip each.
    var historyPages: Int { rounded(200, to: 1) }
    /// History pages one timed run reads the tutorial's way, which takes
    /// a round trip per message, so fewer.
    var tutorialHistoryPages: Int { rounded(40, to: 1) }

    private func rounded(_ base: Int, to multiple: Int) -> Int {
        let scaled = Int((Double(base) * scale).rounded())
        return max(multiple, scaled / multiple * multiple)
    }

    /// Refuses workload families that do not exist.
    private static func checkWorkloads(_ names: [String]) throws {
        for name in names where !families.contains(name) {
            throw BenchError(
                "--workloads takes \(families.joined(separator: ", ")), not \(name).")
        }
    }

    static let usage = """
        usage: bench [options]

          --idle MODES          default,low-latency (the default: both, in that order);
                                low-latency holds /dev/cpu_dma_latency open at 0 (root)
          --transports LIST     unix,tcp (default: both)
          --executors LIST      global,task-executor (default: both)
          --workloads LIST      sequential,concurrent,pipeline,pubsub,chat (default: all)
          --repetitions N       runs of each workload; medians are shown (default 3)
          --scale X             multiplies every operation count (default 1)
          --value-size N        bytes per SET value (default 32)
          --no-peers            run our client only (for profiling, or to iterate quickly)
          --json PATH           where to write the figures (default bench-results.json)
          --hiredis-peer PATH   the raw-hiredis peer (default: beside this executable)
        """

    /// Reads the options from `arguments` (without the program name).
    ///
    /// - Throws: ``BenchError`` with the usage text for anything it does not know.
    init(arguments: [String]) throws {
        var remaining = arguments[...]
        func value(of option: String) throws -> String {
            guard let value = remaining.popFirst() else {
                throw BenchError("\(option) needs a value.\n\n\(Self.usage)")
            }
            return value
        }
        func list(of option: String) throws -> [String] {
            try value(of: option).split(separator: ",").map(String.init)
        }

        while let option = remaining.popFirst() {
            switch option {
            case "--idle":
                idleModes = try list(of: option).map { name in
                    guard let mode = IdleMode(rawValue: name) else {
                        throw BenchError("--idle takes default or low-latency, not \(name).")
                    }
                    return mode
                }
            case "--transports":
                transports = try list(of: option)
            case "--executors":
                executors = try list(of: option).map { name in
                    guard let executor = CallerExecutor(rawValue: name) else {
                        throw BenchError("--executors takes global or task-executor, not \(name).")
                    }
                    return executor
                }
            case "--workloads":
                workloads = try list(of: option)
                try Self.checkWorkloads(workloads)
            case "--repetitions":
                guard let count = Int(try value(of: option)), count > 0 else {
                    throw BenchError("--repetitions takes a positive whole number.")
                }
                repetitions = count
            case "--scale":
                guard let factor = Double(try value(of: option)), factor > 0 else {
                    throw BenchError("--scale takes a positive number.")
                }
                scale = factor
            case "--value-size":
                guard let size = Int(try value(of: option)), size > 0 else {
                    throw BenchError("--value-size takes a positive whole number.")
                }
                valueSize = size
            case "--no-peers":
                runsPeers = false
            case "--json":
                jsonPath = try value(of: option)
            case "--hiredis-peer":
                hiredisPeerPath = try value(of: option)
            default:
                throw BenchError("Unknown option \(option).\n\n\(Self.usage)")
            }
        }
    }
}
