import Chat
import Foundation
import Hiredis

/// The chat workloads: messages sent per second through the
/// atomic send script, from one task and from 50 on one `ChatService`; a
/// history page of 50 in one round trip beside the tutorial's LRANGE and
/// one HGETALL per message, in the same repetitions; and the events per
/// second that a consumer of `ChatSubscriber.events(inRoom:)` receives while
/// 50 tasks send as fast as they can.
///
/// Sending and room events have no peer: they are reported as absolute
/// figures. Each transport gets a room of its own, with 50 members.
struct ChatSection: BenchSection {
    let name = "chat"
    let families = ["chat"]

    /// How long the room's stream may take, after the last send, to deliver
    /// every message before the run fails rather than waits forever.
    private static let deliveryTimeout = Duration.seconds(30)

    func describe(_ options: BenchOptions) -> [String] {
        [
            "chat: \"send\" sends \(options.chatSequentialSends) messages of "
                + "\(options.valueSize) bytes from 1 task, or \(options.chatConcurrentSends) "
                + "from \(options.concurrentTasks) tasks,",
            "  one member each, on one ChatService; \"history \(options.historyPageSize)\" "
                + "reads \(options.historyPages) pages (the tutorial's way:",
            "  \(options.tutorialHistoryPages)); \"room events\" counts "
                + "\(options.chatConcurrentSends) messages through events(inRoom:) while "
                + "\(options.concurrentTasks) tasks",
            "  send them. Each first warms up with a tenth as many.",
        ]
    }

    let legend = [
        "chat, ours G: every task on the global executor; ours T: senders and readers prefer",
        "  the service connection's executor, the room's consumer its subscriber's. ops/s are",
        "  messages sent, pages read or events received per second. The tutorial peer is",
        "  LRANGE then one HGETALL per message, awaited in turn, on our client from the same",
        "  executor as ours (its G and T rows).",
    ]

    /// The room every workload of one transport uses, and its members.
    private struct BenchRoom: Sendable {
        var id: String
        var senders: [String]
    }

    func run(in context: BenchContext) async throws -> [Comparison] {
        var comparisons: [Comparison] = []
        for transport in context.transports {
            let chat = try await ChatService.connect(transport.configuration)
            let live: ChatSubscriber
            do {
                live = try await ChatSubscriber.connect(transport.configuration, service: chat)
            } catch {
                await chat.connection.close()
                throw error
            }
            do {
                let room = try await makeRoom(on: chat, context: context)
                comparisons += try await compare(
                    chat: chat, live: live, room: room, transport: transport, context: context)
            } catch {
                await live.close()
                await chat.connection.close()
                throw error
            }
            await live.close()
            await chat.connection.close()
        }
        return comparisons
    }

    /// A new room with one member per concurrent sender and a full first
    /// page of history, so that any workload can run alone.
    private func makeRoom(on chat: ChatService, context: BenchContext) async throws -> BenchRoom {
        let options = context.options
        let tag = UUID().uuidString.prefix(8).lowercased()
        let room = try await chat.createRoom(named: "bench \(tag)")
        var senders: [String] = []
        for index in 0..<options.concurrentTasks {
            let user = try await chat.createUser(named: "bench \(tag) \(index)")
            try await chat.join(userID: user.id, roomID: room.id)
            senders.append(user.id)
        }
        for index in 0..<options.historyPageSize {
            try await chat.send("message \(index)", to: room.id, from: senders[0])
        }
        return BenchRoom(id: room.id, senders: senders)
    }

    // MARK: Workloads

    private func compare(
        chat: ChatService,
        live: ChatSubscriber,
        room: BenchRoom,
        transport: Transport,
        context: BenchContext
    ) async throws -> [Comparison] {
        let options = context.options
        let content = String(repeating: "x", count: options.valueSize)
        let pageSize = options.historyPageSize
        let tutorial = TutorialHistory(connection: chat.connection)
        var comparisons: [Comparison] = []

        @Sendable func sendOneByOne(_ count: Int) async throws {
            for _ in 0..<count { try await chat.send(content, to: room.id, from: room.senders[0]) }
        }
        @Sendable func sendConcurrently(_ count: Int) async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sender in room.senders {
                    group.addTask {
                        for _ in 0..<(count / room.senders.count) {
                            try await chat.send(content, to: room.id, from: sender)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }

        func progress(_ workload: String) {
            context.progress("[\(context.idleMode.rawValue)] \(transport.name): \(workload)")
        }
        func withoutPeer(_ workload: String, _ ours: [CallerExecutor: [Sample]]) -> [Comparison] {
            let comparison = Comparison(
                section: name, workload: workload, transport: transport.name,
                idleMode: context.idleMode, peer: "none", unit: .operationsPerSecond,
                ours: options.executors.map { ($0, ours[$0] ?? []) },
                peerSamples: Array(repeating: .absent, count: options.repetitions),
                figure: \.operationsPerSecond)
            return comparison.map { [$0] } ?? []
        }

        // Sending, one at a time and from many tasks at once.
        progress("send 1 task")
        let sequential = try await repeated(options) { executor in
            try await timed(options.chatSequentialSends, from: executor, on: chat.connection) {
                try await sendOneByOne($0)
            }
        }
        comparisons += withoutPeer("send 1 task", sequential.ours)

        progress("send \(options.concurrentTasks) tasks")
        let concurrent = try await repeated(options) { executor in
            try await timed(options.chatConcurrentSends, from: executor, on: chat.connection) {
                try await sendConcurrently($0)
            }
        }
        comparisons += withoutPeer("send \(options.concurrentTasks) tasks", concurrent.ours)

        // History: one round trip a page, against one a message; the peer
        // runs from the same executor as ours, and each pair is its own row.
        let history = "history \(pageSize)"
        let tutorialPages = options.tutorialHistoryPages
        progress(history)
        let pages = try await repeated(options) { executor in
            try await timed(options.historyPages, from: executor, on: chat.connection) { count in
                for _ in 0..<count {
                    let page = try await chat.latestMessages(in: room.id, limit: pageSize)
                    guard page.count == pageSize else { throw Self.shortPage(page.count) }
                }
            }
        } peer: { executor in
            try await timed(tutorialPages, from: executor, on: chat.connection) { count in
                for _ in 0..<count {
                    let page = try await tutorial.latestMessages(in: room.id, limit: pageSize)
                    guard page.count == pageSize else { throw Self.shortPage(page.count) }
                }
            }
        }
        for executor in options.executors {
            let peerSamples =
                options.runsPeers
                ? pages.peers[executor] ?? []
                : Array(repeating: .absent, count: options.repetitions)
            let peer = options.runsPeers ? "tutorial, a trip a message \(tag(executor))" : "none"
            let units: [(Comparison.Unit, (Sample) -> Double?)] = [
                (.operationsPerSecond, \.operationsPerSecond),
                (.cpuMicrosecondsPerOperation, \.cpuMicrosecondsPerOperation),
                (.systemCPUMicrosecondsPerOperation, \.systemCPUMicrosecondsPerOperation),
            ]
            for (unit, figure) in units {
                let comparison = Comparison(
                    section: name, workload: history, transport: transport.name,
                    idleMode: context.idleMode, peer: peer, unit: unit,
                    ours: [(executor, pages.ours[executor] ?? [])], peerSamples: peerSamples,
                    figure: figure)
                if let comparison { comparisons.append(comparison) }
            }
        }

        // A room's live events while many tasks send.
        progress("room events")
        let events = try await repeated(options) { executor in
            // Every sender sends as many, so the warm-up is whole rounds too.
            let count = options.chatConcurrentSends
            let senders = room.senders.count
            _ = try await roomEvents(
                max(count / 10 / senders * senders, senders), from: executor, chat: chat,
                live: live, room: room, context: context, send: sendConcurrently)
            return try await roomEvents(
                count, from: executor, chat: chat, live: live, room: room, context: context,
                send: sendConcurrently)
        }
        comparisons += withoutPeer("room events", events.ours)
        return comparisons
    }

    private static func shortPage(_ count: Int) -> BenchError {
        BenchError("A history page held \(count) messages instead of a full page.")
    }

    private func tag(_ executor: CallerExecutor) -> String {
        switch executor {
        case .global: "G"
        case .taskExecutor: "T"
        }
    }

    // MARK: Measuring

    /// Runs ours from every executor, and the peer (if any, and if peers
    /// run) from the same executor right after or before it, `repetitions`
    /// times, alternating which goes first.
    private func repeated(
        _ options: BenchOptions,
        ours: (CallerExecutor) async throws -> Sample,
        peer: ((CallerExecutor) async throws -> Sample)? = nil
    ) async throws -> (ours: [CallerExecutor: [Sample]], peers: [CallerExecutor: [Sample]]) {
        var oursSamples: [CallerExecutor: [Sample]] = [:]
        var peerSamples: [CallerExecutor: [Sample]] = [:]
        for repetition in 0..<options.repetitions {
            let peerFirst = repetition % 2 == 1
            for executor in options.executors {
                let runsPeer = options.runsPeers ? peer : nil
                if peerFirst, let runsPeer {
                    peerSamples[executor, default: []].append(try await runsPeer(executor))
                }
                oursSamples[executor, default: []].append(try await ours(executor))
                if !peerFirst, let runsPeer {
                    peerSamples[executor, default: []].append(try await runsPeer(executor))
                }
            }
        }
        return (oursSamples, peerSamples)
    }

    /// Warms up with a tenth of the operations, then times `body` doing
    /// `operations` of them, from a task on `executor`.
    private func timed(
        _ operations: Int,
        from executor: CallerExecutor,
        on connection: RedisConnection,
        _ body: (Int) async throws -> Void
    ) async throws -> Sample {
        try await executor.run(on: connection) {
            try await body(max(operations / 10, 1))
            return try await Sample.measure(operations: operations) {
                try await body(operations)
            }
        }
    }

    /// Opens a stream of the room's events, sends `count` messages with
    /// `send` and times them from the first send to the last event.
    ///
    /// The consumer stops at the newest message rather than after `count`
    /// of them: a message trimmed from history before the stream could
    /// load it is lost by design (see `ChatSubscriber`), and the run then
    /// counts what did arrive instead of waiting for it.
    private func roomEvents(
        _ count: Int,
        from executor: CallerExecutor,
        chat: ChatService,
        live: ChatSubscriber,
        room: BenchRoom,
        context: BenchContext,
        send: @escaping @Sendable (Int) async throws -> Void
    ) async throws -> Sample {
        let stream = try await live.events(inRoom: room.id)
        let last = try await chat.latestSeq(in: room.id) + count
        let before = Sample.processCPUSeconds()
        let (start, delivery) = try await withThrowingTaskGroup(of: (Int, Int)?.self) { group in
            group.addTask {
                try await executor.run(preferring: live.subscriber.executor) {
                    var received = 0
                    for try await event in stream {
                        guard case .message(let message) = event else { continue }
                        received += 1
                        if (message.seq ?? 0) >= last { return (monotonicNanoseconds(), received) }
                    }
                    throw BenchError(
                        "The room's event stream ended after \(received) of \(count) messages.")
                }
            }
            let start = try await executor.run(on: chat.connection) {
                let start = monotonicNanoseconds()
                try await send(count)
                return start
            }
            let delivery = try await collect(
                1, from: &group, within: Self.deliveryTimeout,
                failure: "The room's stream did not deliver its newest message "
                    + "within \(Self.deliveryTimeout) of the last send.")
            return (start, delivery[0])
        }
        let after = Sample.processCPUSeconds()

        let (finished, received) = delivery
        if received < count {
            context.progress(
                "  room events: \(count - received) of \(count) messages never arrived: the "
                    + "stream fell behind its buffer, and history had trimmed them before "
                    + "its backfill")
        }
        return Sample(
            operations: received, seconds: Double(finished - start) / 1e9,
            cpuSeconds: (after.user + after.system) - (before.user + before.system),
            systemCPUSeconds: after.system - before.system)
    }
}
