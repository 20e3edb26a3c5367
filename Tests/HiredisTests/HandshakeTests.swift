import Hiredis
import RedisTestSupport
import Synchronization
import Testing

/// Serialized: one test restarts the server that the others use.
@Suite(
    .serialized,
    .redisServer(settings: [
        "requirepass default-secret",
        "user chat on >chat-secret ~* &* +@all",
    ]))
struct HandshakeTests {
    private func configuration(user: String?, password: String) throws -> RedisConfiguration {
        var configuration = try RedisServerTrait.configuration()
        configuration.username = user
        configuration.password = password
        configuration.database = 3
        configuration.clientName = "handshake-test"
        configuration.reconnect = RedisBackoff(
            initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200))
        return configuration
    }

    @Test(arguments: [(nil, "default-secret"), ("chat", "chat-secret")] as [(String?, String)])
    func theHandshakeRunsAgainAfterClientKill(user: String?, password: String) async throws {
        let connection = try await RedisConnection.connect(
            configuration(user: user, password: password))
        let key = uniqueKey()
        try await connection.send("SET", key, "in database 3")

        let before = try await clientID(connection)
        try await connection.send("CLIENT", "KILL", "SKIPME", "no", "ID", before)
        // A command written before the client read the close is lost with it.
        let after = try await retryingLostConnections { try await clientID(connection) }
        #expect(after != before)

        #expect(try await connection.send("GET", key).decode(as: String.self) == "in database 3")
        let name = try await connection.send("CLIENT", "GETNAME").decode(as: String.self)
        #expect(name == "handshake-test")
        await connection.close()
    }

    @Test func theHandshakeRunsAgainAfterAServerRestart() async throws {
        let connection = try await RedisConnection.connect(
            configuration(user: "chat", password: "chat-secret"))
        try await connection.send("SET", uniqueKey(), "x")

        try await RedisServerTrait.server.restart()
        var reply: RESPValue?
        for _ in 0..<100 where reply == nil {
            reply = try? await connection.send("CLIENT", "GETNAME")
            if reply == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(try reply?.decode(as: String.self) == "handshake-test")
        #expect(try await connection.send("ACL", "WHOAMI").decode(as: String.self) == "chat")
        await connection.close()
    }

    @Test(
        arguments: [(nil, "wrong"), ("chat", "wrong"), ("nobody", "chat-secret")]
            as [(String?, String)])
    func aWrongPasswordFailsFast(user: String?, password: String) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
            try await RedisConnection.connect(configuration(user: user, password: password))
        } throws: { error in
            let error = try #require(error as? RedisError)
            return error.code == .authenticationFailed && !error.description.contains(password)
        }
        #expect(clock.now - start < .seconds(30))
    }

    @Test func theDescriptionOfAConfigurationHidesThePassword() throws {
        let configuration = try RedisConfiguration(url: "redis://chat:p%40ss@localhost:6380/2")
        #expect(configuration.username == "chat")
        #expect(configuration.password == "p@ss")
        #expect(configuration.database == 2)
        #expect(configuration.endpoint == .tcp(host: "localhost", port: 6380))
        #expect(!"\(configuration)".contains("p@ss"))
    }

    private func clientID(_ connection: RedisConnection) async throws -> Int {
        try await connection.send("CLIENT", "ID").decode(as: Int.self)
    }
}

@Suite(.redisServer(tcp: true))
struct ReconnectTests {
    @Test func aCommandInFlightWhenTheConnectionDropsReportsAnUnknownOutcome() async throws {
        let connection = try await RedisServerTrait.connect()
        let killer = try await RedisServerTrait.connect()
        let id = try await connection.send("CLIENT", "ID").decode(as: Int.self)
        let blocked = Task { try await connection.send("BLPOP", uniqueKey(), 0) }
        try await Task.sleep(for: .milliseconds(100))
        try await killer.send("CLIENT", "KILL", "ID", id)
        await #expect {
            try await blocked.value
        } throws: { error in
            (error as? RedisError)?.code == .connectionLost
        }
        #expect(try await connection.send("PING") == .simpleString("PONG"))
        await connection.close()
        await killer.close()
    }

    @Test func connectsByUrlOverTcpAndUnixSocket() async throws {
        let server = try RedisServerTrait.server
        let port = try #require(server.port)
        for url in ["redis://127.0.0.1:\(port)/1", "unix://\(server.socketPath)?db=1"] {
            let connection = try await RedisConnection.connect(RedisConfiguration(url: url))
            #expect(try await connection.send("PING") == .simpleString("PONG"))
            await connection.close()
        }
    }

}

/// Serialized: each test stops the server that the suite shares.
@Suite(.serialized, .redisServer(tcp: true))
struct OutageTests {
    @Test func aCommandThatTimedOutBeforeItWasSentNeverRuns() async throws {
        let server = try RedisServerTrait.server
        var configuration = try RedisServerTrait.configuration()
        configuration.commandTimeout = .milliseconds(300)
        configuration.reconnect = RedisBackoff(
            initialDelay: .milliseconds(50), maximumDelay: .milliseconds(100))
        let connection = try await RedisConnection.connect(configuration)
        let key = uniqueKey()

        server.halt()
        // Until the client has read the close, a command can still be written
        // to the dead socket (and fail as lost); wait until one times out unsent.
        for _ in 0..<100 {
            do {
                try await connection.send("PING")
            } catch let error as RedisError where error.code == .connectionLost {
                continue
            } catch {
                break
            }
        }
        await #expect {
            try await connection.send("SET", key, "late")
        } throws: { error in
            (error as? RedisError)?.code == .timeout
        }
        try await server.restart()

        var reply: RESPValue?
        for _ in 0..<50 where reply == nil {
            reply = try? await connection.send("EXISTS", key)
        }
        #expect(reply == .integer(0))
        await connection.close()
    }

    /// Fifty clients lose the server for three seconds: their reconnect
    /// attempts must not arrive in lockstep, and all of them come back.
    @Test func fiftyClientsSpreadTheirReconnectsAndAllComeBack() async throws {
        let server = try RedisServerTrait.server
        let attempts = Locked<[ContinuousClock.Instant]>([])
        var configuration = RedisConfiguration(host: "127.0.0.1", port: try #require(server.port))
        configuration.reconnect = RedisBackoff(
            initialDelay: .milliseconds(100), maximumDelay: .milliseconds(800))
        configuration.logger = RedisLogger(level: .debug) { _, message, _ in
            if message == "connecting" { attempts.withLock { $0.append(.now) } }
        }
        var connections: [RedisConnection] = []
        for _ in 0..<50 { connections.append(try await RedisConnection.connect(configuration)) }
        attempts.withLock { $0.removeAll() }

        server.halt()
        try await Task.sleep(for: .seconds(3))
        try await server.restart()

        try await withThrowingTaskGroup(of: RESPValue.self) { group in
            for connection in connections {
                group.addTask { try await connection.send("PING") }
            }
            for try await reply in group { #expect(reply == .simpleString("PONG")) }
        }
        let times = attempts.withLock { $0 }.sorted()
        #expect(times.count >= 50)
        let spread = try #require(times.last) - (try #require(times.first))
        #expect(spread > .milliseconds(100))
        for connection in connections { await connection.close() }
    }
}

/// Runs `body` again while it fails with ``RedisError/Code-swift.struct/connectionLost``.
func retryingLostConnections<T>(_ body: () async throws -> T) async throws -> T {
    for _ in 0..<50 {
        do {
            return try await body()
        } catch let error as RedisError where error.code == .connectionLost {
            continue
        }
    }
    return try await body()
}
