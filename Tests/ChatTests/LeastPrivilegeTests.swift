import Chat
import Foundation
import Hiredis
import RedisTestSupport
import Synchronization
import Testing

/// The chat user's password on the suite's server.
private let chatPassword = "chat-pw-5b0e9d1c-least-privilege"
/// A password that is not it, for the refused connections.
private let wrongPassword = "wrong-pw-31f7a2c8-not-the-one"

/// The chat service under a Redis user that has ``ChatService/aclRule`` and
/// nothing else: everything the service does works, everything else is
/// refused, and no password ever shows in a log line, an error or a
/// description.
@Suite(.redisServer(settings: ["user chat on >\(chatPassword) \(ChatService.aclRule)"]))
struct LeastPrivilegeTests {
    @Test func everyFlowOfTheServiceRunsUnderTheACLRule() async throws {
        let chat = try await ChatService.connect(
            try chatUser(password: chatPassword), configuration: ChatConfiguration(historyLimit: 2))
        let admin = try await RedisServerTrait.connect()

        // Users, rooms and membership.
        let alice = try await chat.createUser(named: uniqueName("alice"))
        let bob = try await chat.createUser(named: uniqueName("bob"), avatar: "https://x/b.png")
        let room = try await chat.createRoom(named: uniqueName("general"), description: "all")
        #expect(try await chat.join(userID: alice.id, roomID: room.id))
        #expect(try await chat.join(userID: bob.id, roomID: room.id))
        #expect(try await chat.user(named: alice.name) == alice)
        #expect(try await chat.room(named: room.name) == room)
        #expect(try await chat.rooms().contains(room))
        let members = try await chat.members(roomID: room.id)
        #expect(Set(members.map(\.id)) == [alice.id, bob.id])
        #expect(try await chat.roomIDs(userID: bob.id) == [room.id])
        let listener = try await listen(
            to: ChatKeys.roomChannel(room.id), ChatKeys.typingChannel(room.id),
            ChatKeys.presenceChannel(room.id), ChatKeys.directChannel(bob.id))
        defer { listener.stop() }

        // Typing, messages with trimming (its DEL reaches keys the script
        // derives), history by every mode, presence.
        try await chat.startTyping(userID: alice.id, roomID: room.id)
        #expect(try await chat.typingUserIDs(roomID: room.id) == [alice.id])
        try await chat.stopTyping(userID: alice.id, roomID: room.id)
        for index in 1...3 { try await chat.send("m\(index)", to: room.id, from: alice.id) }
        #expect(try await chat.latestMessages(in: room.id).map(\.seq) == [2, 3])
        #expect(try await chat.messages(in: room.id, before: 3).map(\.seq) == [2])
        #expect(try await chat.messages(in: room.id, after: 2).map(\.seq) == [3])
        #expect(try await chat.latestSeq(in: room.id) == 3)
        #expect(try await chat.setStatus(.away, forUser: alice.id) == 1)
        try await chat.heartbeat(userID: bob.id)

        // Direct messages, then a script cache flushed behind the service's
        // back, so that it falls back on EVAL.
        let direct = try await chat.sendDirectMessage("psst", from: alice.id, to: bob.id)
        #expect(try await chat.latestDirectMessages(between: bob.id, and: alice.id) == [direct])
        try await admin.send("SCRIPT", "FLUSH")
        try await chat.send("after the flush", to: room.id, from: bob.id)
        #expect(try await chat.leave(userID: bob.id, roomID: room.id))

        let deliveries = await listener.waitForDeliveries(count: 9)
        let types = try events(deliveries).map(\.type)
        #expect(
            types == [
                "TypingStarted", "TypingStopped", "Message", "Message", "Message",
                "PresenceChanged", "Message", "Message", "UserLeft",
            ])
        await chat.connection.close()
        await admin.close()
    }

    @Test(arguments: [
        ["FLUSHALL"], ["FLUSHDB"], ["CONFIG", "GET", "*"], ["CONFIG", "SET", "save", ""],
        ["KEYS", "*"], ["SCAN", "0"], ["GET", "secret"], ["SET", "secret", "mine"],
        ["DEL", "secret"], ["GET", "user:{*}"], ["HGETALL", "user:{not-an-id}"],
        ["RENAME", "rooms", "secret"], ["PUBLISH", "news", "hello"],
        ["PUBLISH", "chat:room:{general}", "hello"], ["SCRIPT", "FLUSH"],
        ["EVAL", "return redis.call('GET', KEYS[1])", "1", "secret"],
        ["ACL", "SETUSER", "chat", "+@all"], ["CLIENT", "LIST"], ["SELECT", "1"],
    ])
    func theChatUserIsRefusedWhatTheServiceDoesNotUse(command: [String]) async throws {
        let admin = try await RedisServerTrait.connect()
        try await admin.send("SET", "secret", "kept")
        let connection = try await RedisConnection.connect(try chatUser(password: chatPassword))

        let error = await #expect(throws: RedisError.self) {
            let arguments = command.dropFirst().map { $0 as any RedisArgument }
            try await connection.send(RedisCommand(command[0], arguments: arguments))
        }

        #expect(error?.code == .server, "\(String(describing: error))")
        #expect(error?.serverCode == "NOPERM", "\(String(describing: error))")
        #expect(try await admin.send("GET", "secret").decode(as: String.self) == "kept")
        await connection.close()
        await admin.close()
    }

    /// Redis checks each command a script calls against the same rule; it
    /// reports a refusal there as `ERR`, with the script's name.
    @Test(arguments: [
        "return redis.call('GET', 'secret')", "return redis.call('FLUSHALL')",
        "return redis.call('PUBLISH', 'news', 'hello')",
        "return redis.call('SET', 'user:{' .. ARGV[1] .. '}', 'x')",
    ])
    func aScriptOfTheChatUserReachesNothingBeyondTheRule(source: String) async throws {
        let admin = try await RedisServerTrait.connect()
        try await admin.send("SET", "secret", "kept")
        let connection = try await RedisConnection.connect(try chatUser(password: chatPassword))

        let error = await #expect(throws: RedisError.self) {
            try await connection.evaluate(RedisScript(source), arguments: ["not-an-id"])
        }

        #expect(error?.code == .server, "\(String(describing: error))")
        #expect(
            error?.message.contains("The user executing the script can't") == true,
            "\(String(describing: error))")
        #expect(try await admin.send("GET", "secret").decode(as: String.self) == "kept")
        #expect(try await admin.send("EXISTS", "user:{not-an-id}") == .integer(0))
        await connection.close()
        await admin.close()
    }

    @Test func thePasswordAppearsInNoLogLineErrorOrDescription() async throws {
        let lines = Locked<[String]>([])
        let logger = RedisLogger(level: .trace) { level, message, metadata in
            let fields = metadata.map { "\($0.key)=\($0.value)" }.sorted()
            lines.withLock { $0.append("[\(level)] \(message) \(fields)") }
        }
        let right = try chatUser(password: chatPassword, logger: logger)
        let wrong = try chatUser(password: wrongPassword, logger: logger)
        var texts: [String] = []

        // Refused: the client's error, and the chat service's.
        do {
            _ = try await RedisConnection.connect(wrong)
            Issue.record("a wrong password was accepted")
        } catch {
            texts += [
                "\(error)", String(reflecting: error), (error as? RedisError)?.message ?? "",
            ]
        }
        do {
            _ = try await ChatService.connect(
                wrong, configuration: ChatConfiguration(logger: logger))
            Issue.record("a wrong password was accepted")
        } catch {
            texts += [
                "\(error)", String(reflecting: error), error.message,
                error.underlying.map { "\($0)" } ?? "",
            ]
        }

        // Accepted: a session with a refusal of each kind in it.
        let chat = try await ChatService.connect(
            right, configuration: ChatConfiguration(logger: logger))
        let user = try await chat.createUser(named: uniqueName("user"))
        let room = try await chat.createRoom(named: uniqueName("room"))
        try await chat.join(userID: user.id, roomID: room.id)
        try await chat.send("hello", to: room.id, from: user.id)
        _ = try await chat.latestMessages(in: room.id)
        do {
            try await chat.send("hello", to: room.id, from: IDEntryPoint.someone)
        } catch {
            texts += ["\(error)", error.message]
        }
        do {
            try await chat.connection.send("CONFIG", "GET", "requirepass")
        } catch {
            texts += ["\(error)", String(reflecting: error)]
        }
        await chat.connection.close()

        for configuration in [right, wrong, chat.connection.configuration] {
            var dumped = ""
            dump(configuration, to: &dumped)
            texts += ["\(configuration)", String(reflecting: configuration), dumped]
        }
        let logged = lines.withLock { $0 }
        #expect(logged.contains { $0.hasPrefix("[trace]") }, "the logger saw no trace lines")
        #expect(texts.count >= 17)
        for text in logged + texts {
            #expect(!text.contains(chatPassword), "\(text)")
            #expect(!text.contains(wrongPassword), "\(text)")
        }
    }
}

/// A configuration for the suite's server as the chat user.
private func chatUser(password: String, logger: RedisLogger = .silent) throws
    -> RedisConfiguration
{
    var configuration = try RedisServerTrait.configuration()
    configuration.username = "chat"
    configuration.password = password
    configuration.logger = logger
    return configuration
}
