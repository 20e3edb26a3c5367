import Chat
import Foundation
import Hiredis
import RedisServerLauncher

/// One soak, from setup to verdict.
struct SoakRun {
    let server: LocalRedisServer
    let seconds: Int
    private let counter = ReconnectCounter()
    private let ledger = SendLedger()
    private let tally = ActionTally()

    /// Every write reaches the disk before its reply, so a confirmed send
    /// survives SIGKILL.
    static let serverSettings = ["appendonly yes", "appendfsync always"]
    /// Far above what a run sends, so that nothing is trimmed from history.
    static let chat = ChatConfiguration(historyLimit: 100_000)
    /// Keys the chat never reads; see ``addBallast(_:)``.
    static let ballastKeys = 200_000
    /// How long the streams get to catch up once the users stopped.
    static let settleTime = Duration.seconds(30)

    init(server: LocalRedisServer, seconds: Int) {
        self.server = server
        self.seconds = seconds
    }

    private var redis: RedisConfiguration {
        var configuration = RedisConfiguration(unixSocketPath: server.socketPath)
        configuration.logger = counter.logger
        return configuration
    }

    /// Runs the soak and prints what it found.
    ///
    /// - Returns: whether every check passed.
    /// - Throws: ``SoakFailure`` or a chat error when the soak itself could
    ///   not run: setup failed, or the server did not come back.
    func execute() async throws -> Bool {
        say(
            "chat-soak: \(seconds) s of \(SoakPlan.userCount) users in \(SoakPlan.roomCount) "
                + "rooms on a private redis-server (appendonly yes, appendfsync always)")
        let admin = try await ChatService.connect(redis, configuration: Self.chat)
        try await addBallast(admin.connection)
        let cast = try await Cast.make(SoakPlan.random(), admin: admin)

        // Every stream subscribes before anyone writes, so that each must
        // deliver every message of its conversations.
        let backfill = try await ChatService.connect(redis, configuration: Self.chat)
        let streams = try await subscribe(cast, service: backfill)
        var users: [SimulatedUser] = []
        for index in 0..<SoakPlan.userCount {
            users.append(
                SimulatedUser(
                    name: SoakPlan.name(ofUser: index), userID: cast.userIDs[index],
                    roomIDs: cast.plan.memberships[index].map { cast.roomIDs[$0] },
                    contactIDs: cast.plan.contacts[index].map { cast.userIDs[$0] },
                    chat: try await ChatService.connect(redis, configuration: Self.chat),
                    ledger: ledger, tally: tally))
        }
        say(
            "  \(streams.count) streams (\(SoakPlan.subscribersPerRoom) per room, "
                + "\(SoakPlan.listeningUsers.count) of direct messages), each on its own "
                + "pub/sub connection; \(cast.conversationIDs.count) direct conversations")

        let latest = try await withThrowingTaskGroup(of: Void.self) { listening in
            for stream in streams { listening.addTask { await stream.consume() } }
            try await openConversations(cast, admin: admin, streams: streams)
            try await talk(users, admin: admin, streams: streams)

            let latest = try await settle(cast, admin: admin, streams: streams)
            for stream in streams { await stream.live.close() }
            try await listening.waitForAll()
            return latest
        }

        let history = try await readHistory(Array(latest.keys), admin: admin)
        let verdict = SoakVerdict(
            sends: ledger.all, history: history, latest: latest, streams: streams)
        report(verdict, streams: streams)

        for user in users { await user.chat.connection.close() }
        await backfill.connection.close()
        await admin.connection.close()
        return verdict.passed
    }

    // MARK: Phases

    /// Fills the server with keys the chat never reads, so that replaying
    /// the append-only file takes a while, as with a real dataset. While it
    /// replays, the server accepts connections and answers most commands
    /// with `LOADING`: clients that come back early meet that too.
    private func addBallast(_ connection: RedisConnection) async throws {
        let value = String(repeating: "x", count: 100)
        for batch in 0..<(Self.ballastKeys / 1000) {
            var pipeline = RedisPipeline()
            for index in 0..<1000 {
                pipeline.append("SET", "soak-ballast:\(batch):\(index)", value)
            }
            for result in try await connection.execute(pipeline) { _ = try result.get() }
        }
        say("  \(Self.ballastKeys) ballast keys, so that the AOF takes a while to replay")
    }

    private func subscribe(_ cast: Cast, service: ChatService) async throws -> [StreamRecorder] {
        var streams: [StreamRecorder] = []
        for (index, roomID) in cast.roomIDs.enumerated() {
            for number in 1...SoakPlan.subscribersPerRoom {
                var configuration = redis
                if index == 0 && number == 1 {
                    configuration.clientName = SoakPlan.victimClientName
                }
                streams.append(
                    try await .room(
                        roomID, name: "room \(index) #\(number)", redis: configuration,
                        service: service))
            }
        }
        for user in SoakPlan.listeningUsers {
            let conversations = try cast.plan.contacts[user].map { other throws(ChatError) in
                try ChatService.conversationID(
                    between: cast.userIDs[user], and: cast.userIDs[other])
            }
            streams.append(
                try await .directMessages(
                    forUser: cast.userIDs[user], conversations: conversations,
                    name: "direct \(SoakPlan.name(ofUser: user))", redis: redis, service: service))
        }
        return streams
    }

    /// Sends one greeting in each direct conversation and waits until the
    /// direct-message streams have them.
    ///
    /// A stream of a user's direct messages learns of a conversation from
    /// its first message, and can backfill after a reconnect only the
    /// conversations it knows (see ``ChatSubscriber/directMessages(forUser:)``).
    /// So every conversation is opened before the faults start.
    private func openConversations(
        _ cast: Cast, admin: ChatService, streams: [StreamRecorder]
    ) async throws {
        for (first, second) in cast.plan.conversations {
            let text = "soak hello \(SoakPlan.name(ofUser: first)) \(SoakPlan.name(ofUser: second))"
            let conversationID = try ChatService.conversationID(
                between: cast.userIDs[first], and: cast.userIDs[second])
            let sent = await ledger.send(text, in: conversationID) { () async throws(ChatError) in
                try await admin.sendDirectMessage(
                    text, from: cast.userIDs[first], to: cast.userIDs[second])
            }
            guard sent else { throw SoakFailure("could not open the conversation \(text)") }
        }

        var opened: [String: Int] = [:]
        for conversationID in cast.conversationIDs { opened[conversationID] = 1 }
        let deadline = ContinuousClock.now + .seconds(10)
        while !streams.allSatisfy({ $0.hasCaughtUp(to: opened) }) {
            guard ContinuousClock.now < deadline else {
                throw SoakFailure("the direct-message streams did not get the greetings in 10 s")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The users talk for the run's length while the faults happen.
    private func talk(
        _ users: [SimulatedUser], admin: ChatService, streams: [StreamRecorder]
    ) async throws {
        let start = ContinuousClock.now
        let length = Duration.seconds(seconds)
        let timeline = Timeline(start: start)
        let chaos = Chaos(
            server: server, admin: admin.connection, victim: SoakPlan.victimClientName,
            unanswered: { [ledger] in ledger.unanswered }, report: timeline.log)

        try await withThrowingTaskGroup(of: Void.self) { activity in
            for user in users { activity.addTask { await user.run(until: start + length) } }
            activity.addTask { try await chaos.run(from: start, lasting: length) }
            activity.addTask { [ledger, counter] in
                var mark = 10
                while mark < seconds {
                    try await ContinuousClock().sleep(until: start + .seconds(mark))
                    let sends = ledger.figures
                    let delivered = streams.reduce(0) { $0 + $1.deliveredCount }
                    let reconnects = counter.reconnects
                    timeline.log(
                        "sent \(sends.sent), confirmed \(sends.confirmed), unknown "
                            + "\(sends.unknown), failed \(sends.failed); delivered \(delivered); "
                            + "reconnects \(reconnects.connections + reconnects.subscribers)")
                    mark += 10
                }
            }
            try await activity.waitForAll()
        }
        timeline.log("users stopped; waiting for the streams to catch up")
    }

    /// Waits until every stream has each of its conversations' last message.
    ///
    /// - Returns: each conversation's last seq.
    private func settle(
        _ cast: Cast, admin: ChatService, streams: [StreamRecorder]
    ) async throws -> [String: Int] {
        var latest: [String: Int] = [:]
        for conversationID in cast.roomIDs + cast.conversationIDs {
            latest[conversationID] = try await retrying {
                () async throws(ChatError) in try await admin.latestSeq(in: conversationID)
            }
        }

        let start = ContinuousClock.now
        while !streams.allSatisfy({ $0.hasCaughtUp(to: latest) }) {
            guard ContinuousClock.now - start < Self.settleTime else {
                let behind = streams.filter { !$0.hasCaughtUp(to: latest) }.map(\.name)
                say("  still behind after \(Self.settleTime): \(behind.joined(separator: ", "))")
                return latest
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        say("  every stream caught up \(milliseconds(ContinuousClock.now - start)) ms later")
        return latest
    }

    /// Every stored message of each conversation, in seq order.
    private func readHistory(
        _ conversationIDs: [String], admin: ChatService
    ) async throws -> [String: [Message]] {
        var history: [String: [Message]] = [:]
        for conversationID in conversationIDs {
            var messages: [Message] = []
            while true {
                let after = messages.last?.seq ?? 0
                let page = try await retrying { () async throws(ChatError) in
                    try await admin.messages(
                        in: conversationID, after: after, limit: ChatService.maximumPageSize)
                }
                messages += page
                if page.count < ChatService.maximumPageSize { break }
            }
            history[conversationID] = messages
        }
        return history
    }

    /// Runs a read again after a short pause when the connection fails it:
    /// the faults are over, but a connection may still be on its way back.
    private func retrying<Value>(
        _ read: () async throws(ChatError) -> Value
    ) async throws(ChatError) -> Value {
        var attempt = 1
        while true {
            do {
                return try await read()
            } catch {
                guard error.code == .redis && attempt < 10 else { throw error }
                attempt += 1
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    // MARK: Report

    private func report(_ verdict: SoakVerdict, streams: [StreamRecorder]) {
        let sends = ledger.figures
        let reconnects = counter.reconnects
        let unknown = verdict.unknownStored + verdict.unknownAbsent
        let otherEvents = streams.reduce(0) { $0 + $1.otherEventCount }
        let lines = [
            "history: \(verdict.stored) messages stored; \(verdict.historyHoles) seqs missing, "
                + "\(verdict.unaccounted) stored without a send",
            "sends: \(verdict.confirmed) confirmed, \(verdict.confirmedMissing) of them missing "
                + "and \(verdict.misplaced) stored otherwise; \(unknown) unknown, "
                + "\(verdict.unknownStored) stored and \(verdict.unknownAbsent) not; "
                + "\(verdict.failed) failed, \(verdict.phantoms) stored anyway; "
                + "\(verdict.storedTwice) extra copies; \(verdict.pending) unanswered",
            "streams: \(streams.count), \(verdict.delivered) messages delivered, "
                + "\(verdict.deliveriesMissing) missing, \(verdict.deliveredTwice) twice, "
                + "\(verdict.outOfOrder) out of order, \(verdict.strangers) not as stored; "
                + "\(otherEvents) other events",
            "why unknown: \(ledger.reasons.unknown); why failed: \(ledger.reasons.failed)",
            "other actions: \(tally.summary)",
            "reconnects: \(reconnects.connections) of command connections, "
                + "\(reconnects.subscribers) of subscribers",
        ]
        for line in lines { say(line) }
        for stream in verdict.failedStreams { say("stream failed: \(stream)") }
        for finding in verdict.findings { say("finding: \(finding)") }
        say(
            "soak: sent=\(sends.sent) confirmed=\(sends.confirmed) unknown=\(sends.unknown) "
                + "failed=\(sends.failed) delivered=\(verdict.delivered) lost=\(verdict.lost) "
                + "duplicated=\(verdict.duplicated) "
                + "reconnects=\(reconnects.connections + reconnects.subscribers) "
                + (verdict.passed ? "PASS" : "FAIL"))
    }
}

/// The users, rooms and conversations of a soak, as created in Redis.
struct Cast: Sendable {
    let plan: SoakPlan
    let userIDs: [String]
    let roomIDs: [String]
    let conversationIDs: [String]

    static func make(_ plan: SoakPlan, admin: ChatService) async throws(ChatError) -> Cast {
        var roomIDs: [String] = []
        for index in 0..<SoakPlan.roomCount {
            roomIDs.append(try await admin.createRoom(named: "soak-room-\(index)").id)
        }
        var userIDs: [String] = []
        for index in 0..<SoakPlan.userCount {
            let user = try await admin.createUser(named: "soak-\(SoakPlan.name(ofUser: index))")
            userIDs.append(user.id)
            for room in plan.memberships[index] {
                try await admin.join(userID: user.id, roomID: roomIDs[room])
            }
        }
        let conversationIDs = try plan.conversations.map { pair throws(ChatError) in
            try ChatService.conversationID(between: userIDs[pair.0], and: userIDs[pair.1])
        }
        return Cast(
            plan: plan, userIDs: userIDs, roomIDs: roomIDs, conversationIDs: conversationIDs)
    }
}

/// Prints lines stamped with the seconds since the users started.
struct Timeline: Sendable {
    let start: ContinuousClock.Instant

    func log(_ line: String) {
        let tenths = milliseconds(ContinuousClock.now - start) / 100
        let stamp = "\(tenths / 10).\(tenths % 10)s"
        say(String(repeating: " ", count: max(0, 7 - stamp.count)) + stamp + "  " + line)
    }
}
