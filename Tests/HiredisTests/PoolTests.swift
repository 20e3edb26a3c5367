import Hiredis
import RedisServerLauncher
import RedisTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite(.redisServer)
struct PoolTests {
    @Test func aThirdLeaseFailsWhileTwoAreBlockedThenIsServed() async throws {
        let pool = RedisConnectionPool(
            configuration: try RedisServerTrait.configuration(),
            maximumConnections: 2,
            leaseTimeout: .milliseconds(300))
        let queue = uniqueKey()

        let blocked = Task {
            try await withThrowingTaskGroup(of: RESPValue.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await pool.send(RedisCommand("BLPOP", queue, 0)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        // Both leases are taken once the server reports two blocked clients.
        let observer = try await RedisServerTrait.connect()
        for _ in 0..<200 {
            let info = try await observer.send("INFO", "clients").decode(as: String.self)
            if info.contains("blocked_clients:2") { break }
            try await Task.sleep(for: .milliseconds(10))
        }

        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
            try await pool.send(RedisCommand("PING"))
        } throws: { error in
            (error as? RedisError)?.code == .poolExhausted
        }
        #expect(clock.now - start < .seconds(30))

        let third = Task { try await pool.send(RedisCommand("ECHO", "served")) }
        try await observer.send("RPUSH", queue, "one", "two")
        #expect(try await third.value == .bulkString(Array("served".utf8)))
        #expect(try await blocked.value.count == 2)

        await observer.close()
        await pool.close()
    }

    @Test func aBlockingCommandExtendsTheDeadline() async throws {
        var configuration = try RedisServerTrait.configuration()
        configuration.commandTimeout = .seconds(1)
        let connection = try await RedisConnection.connect(configuration)
        let clock = ContinuousClock()
        let start = clock.now
        let reply = try await connection.send("BLPOP", uniqueKey(), 3)
        let elapsed = clock.now - start
        #expect(reply == .null)
        #expect(elapsed >= .milliseconds(2900))
        #expect(try await connection.send("PING") == .simpleString("PONG"))
        await connection.close()
    }

    @Test func aTimedOutCallerReturnsAndTheNextCallerGetsItsOwnReply() async throws {
        let frozen = try await LocalRedisServer.start()
        defer { frozen.stop() }
        var configuration = RedisConfiguration(unixSocketPath: frozen.socketPath)
        configuration.commandTimeout = .seconds(2)
        let connection = try await RedisConnection.connect(configuration)
        let pid = try #require(frozen.processIdentifier)
        // A stopped server would not stop on SIGTERM; this runs before `frozen.stop()`.
        defer { kill(pid, SIGCONT) }

        // A stopped server answers nothing, so only the deadline ends the wait,
        // however slow the machine; its reply comes after the server goes on.
        kill(pid, SIGSTOP)
        await #expect {
            try await connection.send("ECHO", "late")
        } throws: { error in
            (error as? RedisError)?.code == .timeout
        }
        kill(pid, SIGCONT)
        #expect(try await connection.send("ECHO", "after") == .bulkString(Array("after".utf8)))
        await connection.close()
    }

    @Test func aCancelledCallerReturnsAtOnce() async throws {
        let connection = try await RedisServerTrait.connect()
        let key = uniqueKey()
        let waiting = Task { try await connection.send("BLPOP", key, 0) }
        try await Task.sleep(for: .milliseconds(100))
        waiting.cancel()
        await #expect {
            try await waiting.value
        } throws: { error in
            (error as? RedisError)?.code == .cancelled
        }
        await connection.close()
    }

    @Test func closeFailsWhatIsPending() async throws {
        let connection = try await RedisServerTrait.connect()
        let waiting = Task { try await connection.send("BLPOP", uniqueKey(), 0) }
        try await Task.sleep(for: .milliseconds(100))
        await connection.close()
        await #expect {
            try await waiting.value
        } throws: { error in
            (error as? RedisError)?.code == .connectionClosed
        }
        await #expect(throws: RedisError.self) { try await connection.send("PING") }
    }
}
