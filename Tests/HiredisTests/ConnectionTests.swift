import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer)
struct ConnectionTests {
    @Test func answersPing() async throws {
        let connection = try await RedisServerTrait.connect()
        defer { Task { await connection.close() } }
        let reply = try await connection.send("PING")
        #expect(reply == .simpleString("PONG"))
    }

    @Test func isClosedTurnsTrueWithCloseAndCommandsThenFail() async throws {
        let connection = try await RedisServerTrait.connect()
        #expect(!connection.isClosed)
        await connection.close()
        #expect(connection.isClosed)
        await #expect {
            try await connection.send("PING")
        } throws: { error in
            (error as? RedisError)?.code == .connectionClosed
        }
    }

    @Test func concurrentCallersEachGetTheirOwnReply() async throws {
        let connection = try await RedisServerTrait.connect()
        let prefix = uniqueKey()
        for index in 0..<100 {
            try await connection.send("SET", "\(prefix):\(index)", "value-\(index)")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<100 {
                group.addTask {
                    for round in 0..<100 {
                        let index = (task * 31 + round) % 100
                        let value = try await connection.send("GET", "\(prefix):\(index)")
                        #expect(try value.decode(as: String.self) == "value-\(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        await connection.close()
    }

    @Test func callersOnEitherExecutorAtOnceEachGetTheirOwnReply() async throws {
        let connection = try await RedisServerTrait.connect()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<50 {
                // Half submit in place on the connection's queue, half hand over.
                let preference: (any TaskExecutor)? = task % 2 == 0 ? connection.executor : nil
                group.addTask(executorPreference: preference) {
                    for round in 0..<100 {
                        let value = "\(task)-\(round)"
                        let reply = try await connection.send("ECHO", value)
                        #expect(try reply.decode(as: String.self) == value)
                    }
                }
            }
            try await group.waitForAll()
        }
        await connection.close()
    }

    @Test(arguments: [false, true])
    func callersCancelledAtAnyMomentGetTheirReplyOrCancelled(preferringExecutor: Bool)
        async throws
    {
        let connection = try await RedisServerTrait.connect()
        let preference: (any TaskExecutor)? = preferringExecutor ? connection.executor : nil
        for round in 0..<20 {
            let callers = (0..<50).map { index in
                Task(executorPreference: preference) {
                    let value = "\(round)-\(index)"
                    do {
                        let reply = try await connection.send("ECHO", value)
                        #expect(try reply.decode(as: String.self) == value)
                    } catch {
                        #expect((error as? RedisError)?.code == .cancelled)
                    }
                }
            }
            // Some are cancelled before they send, some while their command is
            // out, some after their reply came.
            for (index, caller) in callers.enumerated() where index % 2 == 0 {
                if index % 4 == 0 { await Task.yield() }
                caller.cancel()
            }
            for caller in callers { await caller.value }
            let reply = try await connection.send("ECHO", "after \(round)")
            #expect(try reply.decode(as: String.self) == "after \(round)")
        }
        await connection.close()
    }
}
