import Hiredis
import RedisServerLauncher
import RedisTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A connection waits for a quick reply on its own queue's thread, blocked in
/// `poll`; these tests show that such waits hold up nothing else.
@Suite(.redisServer)
struct WaitingTests {
    @Test(.timeLimit(.minutes(1)))
    func connectionsWaitingOnAFrozenServerHoldUpNoOtherConnection() async throws {
        let frozen = try await LocalRedisServer.start()
        defer { frozen.stop() }
        var configuration = RedisConfiguration(unixSocketPath: frozen.socketPath)
        configuration.commandTimeout = .seconds(50)
        var connections: [RedisConnection] = []
        for _ in 0..<8 { connections.append(try await RedisConnection.connect(configuration)) }
        let waiting = connections
        configuration.commandTimeout = .milliseconds(300)
        let impatient = try await RedisConnection.connect(configuration)
        let pid = try #require(frozen.processIdentifier)
        // A stopped server would not stop on SIGTERM; this runs before `frozen.stop()`.
        defer { kill(pid, SIGCONT) }

        kill(pid, SIGSTOP)
        let pending = Task {
            try await withThrowingTaskGroup(of: RESPValue.self) { group in
                for connection in waiting { group.addTask { try await connection.send("PING") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        // More waiting connections than cores: the deadline of one more, on
        // the same frozen server, still fires, and another server is served.
        await #expect {
            try await impatient.send("PING")
        } throws: { error in
            (error as? RedisError)?.code == .timeout
        }
        let other = try await RedisServerTrait.connect()
        for _ in 0..<100 {
            #expect(try await other.send("PING") == .simpleString("PONG"))
        }
        kill(pid, SIGCONT)

        let replies = try await pending.value
        #expect(replies == Array(repeating: .simpleString("PONG"), count: 8))
        for connection in waiting + [impatient, other] { await connection.close() }
    }

    @Test func aCancelledCallerReturnsWhileItsConnectionWaitsForAReply() async throws {
        let frozen = try await LocalRedisServer.start()
        defer { frozen.stop() }
        var configuration = RedisConfiguration(unixSocketPath: frozen.socketPath)
        configuration.commandTimeout = .seconds(50)
        let connection = try await RedisConnection.connect(configuration)
        let pid = try #require(frozen.processIdentifier)
        // A stopped server would not stop on SIGTERM; this runs before `frozen.stop()`.
        defer { kill(pid, SIGCONT) }

        kill(pid, SIGSTOP)
        let waiting = Task { try await connection.send("PING") }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        await #expect {
            try await waiting.value
        } throws: { error in
            (error as? RedisError)?.code == .cancelled
        }
        kill(pid, SIGCONT)
        #expect(try await connection.send("ECHO", "next") == .bulkString(Array("next".utf8)))
        await connection.close()
    }

    /// After a reconnect, the handshake's reply is read in a parked wait, and
    /// the commands queued meanwhile go out from there. A backlog larger than
    /// the socket takes at once must still be written in full, though no
    /// other work comes to end the wait.
    @Test func aBacklogLargerThanTheSocketGoesOutAfterTheHandshake() async throws {
        var configuration = try RedisServerTrait.configuration()
        configuration.clientName = "backlog"
        // No timer may end the wait before the reply would: the command
        // timeout is long, and the connect timers come later still.
        configuration.commandTimeout = .seconds(30)
        configuration.connectTimeout = .seconds(120)
        configuration.reconnect = RedisBackoff(
            initialDelay: .seconds(1), maximumDelay: .seconds(1), minimumDelay: .seconds(1))
        let connection = try await RedisConnection.connect(configuration)
        let admin = try await RedisServerTrait.connect()
        // Found by its name, not asked: a command would leave a deadline
        // timer behind, whose firing would end the wait too.
        let clients = try await admin.send("CLIENT", "LIST").decode(as: String.self)
        let line = try #require(
            clients.split(separator: "\n").first { $0.contains(" name=backlog ") })
        let id = try #require(line.split(separator: " ").first?.dropFirst("id=".count))

        try await admin.send("CLIENT", "KILL", "ID", String(id))
        // Once the connection has seen the close, the SET waits for the
        // reconnect; sent before that, it is lost with the socket, and goes
        // again.
        try await Task.sleep(for: .milliseconds(200))
        let key = uniqueKey()
        let value = [UInt8](repeating: 0x61, count: 8 << 20)
        var reply: RESPValue?
        for _ in 0..<2 where reply == nil {
            do {
                reply = try await connection.send("SET", key, value)
            } catch let error as RedisError where error.code == .connectionLost {
                continue
            }
        }
        #expect(reply == .simpleString("OK"))
        #expect(try await admin.send("STRLEN", key) == .integer(8 << 20))
        await connection.close()
        await admin.close()
    }
}
