import Hiredis

/// The client workloads: SET and GET sequentially, from 50
/// concurrent tasks on one connection, and in explicit pipelines of 16,
/// each beside a peer in the same repetitions, with client CPU time per
/// operation beside the raw-hiredis peer.
struct ClientSection: BenchSection {
    let name = "client"
    let families = ["sequential", "concurrent", "pipeline"]

    func describe(_ options: BenchOptions) -> [String] {
        [
            "client: a run is \(options.sequentialOperations) sequential, "
                + "\(options.concurrentOperations) concurrent or "
                + "\(options.pipelineOperations) pipelined commands with SET values",
            "  of \(options.valueSize) bytes; our client and the raw-hiredis peer first warm up "
                + "with a tenth as many.",
        ]
    }

    let legend = [
        "client, ours G: the calling task runs on the global executor; ours T: it runs inside",
        "  withTaskExecutorPreference(connection.executor). redis-benchmark's CPU time includes",
        "  opening its connections.",
    ]

    /// The one key every workload writes and reads.
    private static let key = "bench:client:key"

    /// One workload: what our client does, and the peers that do the same.
    private struct Workload {
        /// The family (`sequential`, `concurrent`, `pipeline`), for `--workloads`.
        var family: String
        /// The name in the table, such as `sequential SET`.
        var name: String
        /// Operations in one timed run.
        var operations: Int
        /// Performs the given number of operations on the connection.
        var body: @Sendable (RedisConnection, Int) async throws -> Void
        /// The peers, each with the label the table shows.
        var peers: [Peer]
    }

    private struct Peer {
        var label: String
        /// Whether the table pairs our CPU time with this peer's.
        var comparesCPU: Bool
        var run: @Sendable () throws -> Sample
    }

    func run(in context: BenchContext) async throws -> [Comparison] {
        var comparisons: [Comparison] = []
        for transport in context.transports {
            let connection = try await RedisConnection.connect(transport.configuration)
            do {
                for workload in workloads(on: transport, context: context)
                where context.options.workloads.contains(workload.family) {
                    context.progress(
                        "[\(context.idleMode.rawValue)] \(transport.name): \(workload.name)")
                    comparisons += try await compare(
                        workload, on: connection, transport: transport, context: context)
                }
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        }
        return comparisons
    }

    // MARK: Workloads

    private func workloads(on transport: Transport, context: BenchContext) -> [Workload] {
        let options = context.options
        let hiredis = context.hiredisPeer
        let redisBenchmark = context.redisBenchmark
        let valueSize = options.valueSize
        let tasks = options.concurrentTasks
        let depth = options.pipelineDepth
        var workloads: [Workload] = []

        // Sequential: one connection, one command in flight.
        for command in BenchCommand.allCases {
            let request = command.redisCommand(key: Self.key, valueSize: valueSize)
            let operations = options.sequentialOperations
            workloads.append(
                Workload(
                    family: "sequential", name: "sequential \(command.rawValue)",
                    operations: operations,
                    body: { connection, count in
                        for _ in 0..<count { try await connection.send(request) }
                    },
                    peers: [
                        Peer(label: "hiredis", comparesCPU: true) {
                            try hiredis.run(
                                command, requests: operations, pipeline: 1,
                                valueSize: valueSize, on: transport)
                        }
                    ]))
        }

        // Concurrent: many tasks share one connection, so their commands are
        // pipelined by the connection; redis-benchmark needs 50 connections.
        for command in BenchCommand.allCases {
            let request = command.redisCommand(key: Self.key, valueSize: valueSize)
            let operations = options.concurrentOperations
            workloads.append(
                Workload(
                    family: "concurrent", name: "\(tasks) tasks \(command.rawValue)",
                    operations: operations,
                    body: { connection, count in
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            for _ in 0..<tasks {
                                group.addTask {
                                    for _ in 0..<(count / tasks) {
                                        try await connection.send(request)
                                    }
                                }
                            }
                            try await group.waitForAll()
                        }
                    },
                    peers: [
                        Peer(label: "redis-benchmark -c \(tasks) -P 1", comparesCPU: true) {
                            try redisBenchmark.run(
                                command, requests: operations, clients: tasks, pipeline: 1,
                                valueSize: valueSize, on: transport)
                        }
                    ]))
        }

        // Explicit pipelines: one caller, one pipeline in flight, so the peers
        // also use one connection with `depth` commands per round trip.
        for command in BenchCommand.allCases {
            let request = command.redisCommand(key: Self.key, valueSize: valueSize)
            var pipeline = RedisPipeline()
            for _ in 0..<depth { pipeline.append(request) }
            let operations = options.pipelineOperations
            workloads.append(
                Workload(
                    family: "pipeline", name: "pipeline \(depth) \(command.rawValue)",
                    operations: operations,
                    body: { [pipeline] connection, count in
                        for _ in 0..<(count / depth) {
                            for result in try await connection.execute(pipeline) {
                                _ = try result.get()
                            }
                        }
                    },
                    peers: [
                        Peer(label: "redis-benchmark -c 1 -P \(depth)", comparesCPU: false) {
                            try redisBenchmark.run(
                                command, requests: operations, clients: 1, pipeline: depth,
                                valueSize: valueSize, on: transport)
                        },
                        Peer(label: "hiredis -P \(depth)", comparesCPU: true) {
                            try hiredis.run(
                                command, requests: operations, pipeline: depth,
                                valueSize: valueSize, on: transport)
                        },
                    ]))
        }
        return workloads
    }

    // MARK: Measuring

    /// Runs the workload and its peers `repetitions` times, interleaved, and
    /// pairs each of our figures with the peer's from the same repetition.
    private func compare(
        _ workload: Workload,
        on connection: RedisConnection,
        transport: Transport,
        context: BenchContext
    ) async throws -> [Comparison] {
        let options = context.options
        var ours: [CallerExecutor: [Sample]] = [:]
        var peers = Array(repeating: [Sample](), count: workload.peers.count)

        // GET reads a key that holds a value of the right size.
        try await connection.send(
            BenchCommand.set.redisCommand(key: Self.key, valueSize: options.valueSize))

        func runPeers() throws {
            guard options.runsPeers else { return }
            for (index, peer) in workload.peers.enumerated() {
                peers[index].append(try peer.run())
            }
        }
        for repetition in 0..<options.repetitions {
            // Alternate who goes first, so that a drift in the machine's load
            // does not always favour the same side.
            let peersFirst = repetition % 2 == 1
            if peersFirst { try runPeers() }
            for executor in options.executors {
                ours[executor, default: []].append(
                    try await measure(workload, from: executor, on: connection))
            }
            if !peersFirst { try runPeers() }
        }

        // Without peers (profiling), one "none" peer with no figures keeps our rows.
        let peerRuns: [(label: String, comparesCPU: Bool, samples: [Sample])] =
            options.runsPeers
            ? zip(workload.peers, peers).map { ($0.label, $0.comparesCPU, $1) }
            : [("none", true, Array(repeating: .absent, count: options.repetitions))]
        let oursByExecutor = options.executors.map { ($0, ours[$0] ?? []) }
        var comparisons: [Comparison] = []
        for run in peerRuns {
            var figures: [(Comparison.Unit, (Sample) -> Double?)] = [
                (.operationsPerSecond, \.operationsPerSecond)
            ]
            if run.comparesCPU {
                figures.append((.cpuMicrosecondsPerOperation, \.cpuMicrosecondsPerOperation))
                figures.append(
                    (.systemCPUMicrosecondsPerOperation, \.systemCPUMicrosecondsPerOperation))
            }
            for (unit, figure) in figures {
                let comparison = Comparison(
                    section: name, workload: workload.name, transport: transport.name,
                    idleMode: context.idleMode, peer: run.label, unit: unit,
                    ours: oursByExecutor, peerSamples: run.samples, figure: figure)
                if let comparison { comparisons.append(comparison) }
            }
        }
        return comparisons
    }

    /// Warms the connection up with a tenth of the operations, then times the rest.
    private func measure(
        _ workload: Workload,
        from executor: CallerExecutor,
        on connection: RedisConnection
    ) async throws -> Sample {
        try await executor.run(on: connection) {
            let warmUp = max(workload.operations / 10, 1)
            try await workload.body(connection, warmUp)
            return try await Sample.measure(operations: workload.operations) {
                try await workload.body(connection, workload.operations)
            }
        }
    }
}
