import Hiredis

/// The pub/sub workloads: one publisher to 1, 10 and 100
/// subscribers as fast as it can (deliveries per second, over all
/// subscribers), and at a fixed 1,000 messages per second to 1, 10 and 100
/// subscribers (publish-to-receive latency), each beside the raw-hiredis
/// peer in the same repetitions.
///
/// Each subscriber is a `RedisSubscriber` with a connection of its own,
/// subscribed to the one channel that the publisher, a `RedisConnection`,
/// publishes to. redis-benchmark has no pub/sub mode, so the peer is
/// `hiredis-peer --subscribe N`: N threads, each blocked in `redisGetReply`
/// on its own connection, and a publisher on the main thread that publishes
/// the same way as ours (pipelines of 16, or one at a time on a schedule).
struct PubSubSection: BenchSection {
    let name = "pubsub"
    let families = ["pubsub"]

    /// The channel our publisher and subscribers use (the peer has its own).
    private static let channel = "bench:pubsub"
    /// How long subscribers may take, after the last PUBLISH, to receive
    /// everything before the run fails rather than waits forever.
    private static let deliveryTimeout = Duration.seconds(30)

    func describe(_ options: BenchOptions) -> [String] {
        let counts = options.fanOutSubscribers.map(String.init).joined(separator: ", ")
        let latencyCounts = options.latencySubscribers.map(String.init).joined(separator: ", ")
        let latencyTransport = Self.latencyTransport(options) ?? "-"
        return [
            "pubsub: \"pub/sub to N\" publishes \(options.fanOutDeliveries) ÷ N messages of "
                + "\(options.valueSize) bytes (N = \(counts)),",
            "  \(options.pipelineDepth) per round trip, to N subscribers on a connection each; "
                + "\"latency to N\" publishes",
            "  \(options.latencyMessages) one at a time, \(options.latencyRate) a second "
                + "(N = \(latencyCounts)), over \(latencyTransport) only. Both sides first warm up",
            "  with a tenth as many.",
        ]
    }

    let legend = [
        "pubsub, ours G: the publisher and every consumer run on the global executor; ours T:",
        "  the publisher prefers its connection's executor, each consumer its subscriber's.",
        "  ops/s counts deliveries (messages × subscribers) from the first PUBLISH to the last",
        "  delivery; CPU µs are per delivery. Latency runs from just before PUBLISH to the",
        "  consumer's loop, on CLOCK_MONOTONIC. Peer: hiredis-peer --subscribe N (threads on",
        "  blocking connections; redis-benchmark has no pub/sub mode).",
    ]

    /// One workload: how our publisher sends, how many subscribers receive,
    /// and the peer that does the same.
    private struct Workload {
        var name: String
        var subscribers: Int
        /// Messages in one timed run.
        var messages: Int
        /// Whether consumers read the publish time out of each payload.
        var recordsLatency: Bool
        /// Publishes the given number of messages on the connection.
        var publish: @Sendable (RedisConnection, Int) async throws -> Void
        var peerLabel: String
        var peer: @Sendable () throws -> Sample
        /// The figures the table shows.
        var units: [Comparison.Unit]
    }

    /// One subscriber and its subscription to ``channel``.
    private struct Listener: Sendable {
        var subscriber: RedisSubscriber
        var subscription: RedisSubscription
    }

    /// When one consumer had every message of a run, and, in a latency
    /// workload, how long each took, in microseconds.
    private struct Receipt: Sendable {
        var finished: Int
        var latencies: [Double]
    }

    /// The transport the latency workloads run on: TCP loopback, where the
    /// target is set, unless the run leaves TCP out. A latency run
    /// lasts as long as its messages take at the fixed rate, so running it
    /// on both transports would double the longest part of the section.
    private static func latencyTransport(_ options: BenchOptions) -> String? {
        options.transports.contains("tcp") ? "tcp" : options.transports.first
    }

    func run(in context: BenchContext) async throws -> [Comparison] {
        var comparisons: [Comparison] = []
        for transport in context.transports {
            let publisher = try await RedisConnection.connect(transport.configuration)
            let measuresLatency = transport.name == Self.latencyTransport(context.options)
            do {
                for workload in workloads(on: transport, context: context)
                where measuresLatency || !workload.recordsLatency {
                    context.progress(
                        "[\(context.idleMode.rawValue)] \(transport.name): \(workload.name)")
                    comparisons += try await compare(
                        workload, from: publisher, transport: transport, context: context)
                }
            } catch {
                await publisher.close()
                throw error
            }
            await publisher.close()
        }
        return comparisons
    }

    // MARK: Workloads

    private func workloads(on transport: Transport, context: BenchContext) -> [Workload] {
        let options = context.options
        let hiredis = context.hiredisPeer
        let valueSize = options.valueSize
        let depth = options.pipelineDepth
        let channel = Self.channel
        let peerLabel = "hiredis subscriber threads"
        var workloads: [Workload] = []

        // As fast as the publisher can go: full pipelines, then the rest one by one.
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: valueSize)
        var pipeline = RedisPipeline()
        for _ in 0..<depth { pipeline.append(RedisCommand("PUBLISH", channel, payload)) }
        for subscribers in options.fanOutSubscribers {
            let messages = options.fanOutMessages(subscribers: subscribers)
            workloads.append(
                Workload(
                    name: "pub/sub to \(subscribers)", subscribers: subscribers,
                    messages: messages, recordsLatency: false,
                    publish: { [pipeline] connection, count in
                        for _ in 0..<(count / depth) {
                            for result in try await connection.execute(pipeline) {
                                _ = try result.get()
                            }
                        }
                        for _ in 0..<(count % depth) {
                            try await connection.publish(payload, to: channel)
                        }
                    },
                    peerLabel: peerLabel,
                    peer: {
                        try hiredis.subscribe(
                            subscribers, messages: messages, pipeline: depth, rate: nil,
                            valueSize: valueSize, on: transport)
                    },
                    units: [
                        .operationsPerSecond, .cpuMicrosecondsPerOperation,
                        .systemCPUMicrosecondsPerOperation,
                    ]))
        }

        // At a fixed rate: message i is due i intervals after the first, and
        // carries the time it actually went out.
        let rate = options.latencyRate
        for subscribers in options.latencySubscribers {
            let messages = options.latencyMessages
            workloads.append(
                Workload(
                    name: "latency to \(subscribers)", subscribers: subscribers,
                    messages: messages, recordsLatency: true,
                    publish: { connection, count in
                        let interval = 1_000_000_000 / rate
                        let first = monotonicNanoseconds()
                        for index in 0..<count {
                            let wait = first + index * interval - monotonicNanoseconds()
                            if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait)) }
                            try await connection.publish(
                                Self.stampedPayload(size: valueSize), to: channel)
                        }
                    },
                    peerLabel: peerLabel,
                    peer: {
                        try hiredis.subscribe(
                            subscribers, messages: messages, pipeline: 1, rate: rate,
                            valueSize: valueSize, on: transport)
                    },
                    units: [.latencyP50Microseconds, .latencyP99Microseconds]))
        }
        return workloads
    }

    /// The current time in nanoseconds as decimal digits, padded with `x`
    /// up to `size` bytes: what the peer publishes too.
    private static func stampedPayload(size: Int) -> [UInt8] {
        var payload = Array(String(monotonicNanoseconds()).utf8)
        if payload.count < size {
            payload += repeatElement(UInt8(ascii: "x"), count: size - payload.count)
        }
        return payload
    }

    /// The number a payload starts with.
    private static func stamp(of payload: [UInt8]) -> Int {
        var value = 0
        for byte in payload {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { break }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    // MARK: Measuring

    /// Connects the workload's subscribers, runs it and its peer
    /// `repetitions` times, interleaved, and pairs the figures.
    private func compare(
        _ workload: Workload,
        from publisher: RedisConnection,
        transport: Transport,
        context: BenchContext
    ) async throws -> [Comparison] {
        let options = context.options
        var ours: [CallerExecutor: [Sample]] = [:]
        var peers: [Sample] = []

        // Each subscription can hold a whole run and its warm-up, so a slow
        // consumer shows up in the figures and never as lost messages.
        let limit = RedisSubscription.BufferLimit(messages: workload.messages * 2, bytes: 1 << 30)
        var listeners: [Listener] = []
        do {
            for _ in 0..<workload.subscribers {
                let subscriber = try await RedisSubscriber.connect(transport.configuration)
                listeners.append(
                    Listener(
                        subscriber: subscriber,
                        subscription: try await subscriber.subscribe(
                            to: [Self.channel], bufferLimit: limit)))
            }
            for repetition in 0..<options.repetitions {
                // Alternate who goes first, as the client section does.
                let peersFirst = repetition % 2 == 1
                if peersFirst && options.runsPeers { peers.append(try workload.peer()) }
                for executor in options.executors {
                    ours[executor, default: []].append(
                        try await measure(
                            workload, to: listeners, from: publisher, executor: executor))
                }
                if !peersFirst && options.runsPeers { peers.append(try workload.peer()) }
            }
        } catch {
            for listener in listeners { await listener.subscriber.close() }
            throw error
        }
        for listener in listeners { await listener.subscriber.close() }

        let peerLabel = options.runsPeers ? workload.peerLabel : "none"
        if !options.runsPeers { peers = Array(repeating: .absent, count: options.repetitions) }
        let oursByExecutor = options.executors.map { ($0, ours[$0] ?? []) }
        return workload.units.compactMap { unit in
            Comparison(
                section: name, workload: workload.name, transport: transport.name,
                idleMode: context.idleMode, peer: peerLabel, unit: unit,
                ours: oursByExecutor, peerSamples: peers, figure: Self.figure(unit))
        }
    }

    private static func figure(_ unit: Comparison.Unit) -> (Sample) -> Double? {
        switch unit {
        case .operationsPerSecond: \.operationsPerSecond
        case .cpuMicrosecondsPerOperation: \.cpuMicrosecondsPerOperation
        case .systemCPUMicrosecondsPerOperation: \.systemCPUMicrosecondsPerOperation
        case .latencyP50Microseconds: \.latencyP50Microseconds
        case .latencyP99Microseconds: \.latencyP99Microseconds
        }
    }

    /// A warm-up run of a tenth as many messages, then the timed run.
    private func measure(
        _ workload: Workload,
        to listeners: [Listener],
        from publisher: RedisConnection,
        executor: CallerExecutor
    ) async throws -> Sample {
        _ = try await deliver(
            max(workload.messages / 10, 1), of: workload, to: listeners, from: publisher,
            executor: executor)
        return try await deliver(
            workload.messages, of: workload, to: listeners, from: publisher, executor: executor)
    }

    /// Publishes `messages` messages while every listener's consumer task
    /// counts them, and times the run from the first PUBLISH to the last
    /// delivery.
    private func deliver(
        _ messages: Int,
        of workload: Workload,
        to listeners: [Listener],
        from publisher: RedisConnection,
        executor: CallerExecutor
    ) async throws -> Sample {
        let recordsLatency = workload.recordsLatency
        let before = Sample.processCPUSeconds()
        let (start, receipts) = try await withThrowingTaskGroup(of: Receipt?.self) { group in
            for listener in listeners {
                group.addTask {
                    try await executor.run(preferring: listener.subscriber.executor) {
                        try await Self.receive(
                            messages, from: listener.subscription, recordsLatency: recordsLatency)
                    }
                }
            }
            let start = try await executor.run(on: publisher) {
                let start = monotonicNanoseconds()
                try await workload.publish(publisher, messages)
                return start
            }
            let receipts = try await collect(
                listeners.count, from: &group, within: Self.deliveryTimeout,
                failure: "The subscribers did not receive all \(messages) messages "
                    + "within \(Self.deliveryTimeout) of the last PUBLISH.")
            return (start, receipts)
        }
        let after = Sample.processCPUSeconds()

        let finished = receipts.map(\.finished).max() ?? start
        let latencies = receipts.flatMap(\.latencies)
        return Sample(
            operations: messages * listeners.count,
            seconds: Double(finished - start) / 1e9,
            cpuSeconds: (after.user + after.system) - (before.user + before.system),
            systemCPUSeconds: after.system - before.system,
            latencyP50Microseconds: recordsLatency ? latencies.percentile(0.50) : nil,
            latencyP99Microseconds: recordsLatency ? latencies.percentile(0.99) : nil)
    }

    /// Takes `messages` messages from the subscription, noting how long each
    /// took when `recordsLatency` is set.
    ///
    /// - Throws: ``BenchError`` at a gap: the buffers hold a whole run, so a
    ///   gap means a lost connection, and the figures would be wrong.
    private static func receive(
        _ messages: Int,
        from subscription: RedisSubscription,
        recordsLatency: Bool
    ) async throws -> Receipt {
        var latencies: [Double] = []
        if recordsLatency { latencies.reserveCapacity(messages) }
        var received = 0
        for try await event in subscription {
            guard case .message(let message) = event else {
                throw BenchError(
                    "A subscriber missed messages (\(event)); run again on a quieter machine.")
            }
            if recordsLatency {
                let now = monotonicNanoseconds()
                latencies.append(Double(now - stamp(of: message.payload)) / 1_000)
            }
            received += 1
            if received == messages {
                return Receipt(finished: monotonicNanoseconds(), latencies: latencies)
            }
        }
        throw BenchError("A subscription ended after \(received) of \(messages) messages.")
    }
}
