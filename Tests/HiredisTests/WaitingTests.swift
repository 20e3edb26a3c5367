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
}
