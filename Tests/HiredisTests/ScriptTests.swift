import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer)
struct ScriptTests {
    @Test func luaNumbersAndTablesConvertAsRedisDefines() async throws {
        let connection = try await RedisServerTrait.connect()
        #expect(try await connection.send("EVAL", "return 3.99", 0) == .integer(3))
        #expect(try await connection.send("EVAL", "return {1,nil,3}", 0) == .array([.integer(1)]))
        await connection.close()
    }

    @Test func theShaMatchesWhatTheServerComputes() async throws {
        let connection = try await RedisServerTrait.connect()
        let script = RedisScript("return 'hello'")
        let sha = try await connection.send("SCRIPT", "LOAD", script.source)
        #expect(try sha.decode(as: String.self) == script.sha1)
        await connection.close()
    }

    @Test func aReplyNestedNineDeepFailsOnlyThatCaller() async throws {
        let pool = RedisConnectionPool(
            configuration: try RedisServerTrait.configuration(), maximumConnections: 1)
        let nested = "return {{{{{{{{{1}}}}}}}}}"
        await #expect {
            try await pool.send(RedisCommand("EVAL", nested, 0))
        } throws: { error in
            (error as? RedisError)?.code == .protocolError
        }
        #expect(try await pool.send(RedisCommand("PING")) == .simpleString("PONG"))
        await pool.close()
    }

    /// Runs the script alone, in a pipeline and in a transaction, each right
    /// after SCRIPT FLUSH, and checks each run happened once and in order.
    @Test func aScriptRunsExactlyOnceAfterAFlush() async throws {
        let connection = try await RedisServerTrait.connect()
        let key = uniqueKey()
        let append = RedisScript("return redis.call('RPUSH', KEYS[1], ARGV[1])")

        try await connection.send("SCRIPT", "FLUSH")
        try await connection.evaluate(append, keys: [key], arguments: ["alone"])

        try await connection.send("SCRIPT", "FLUSH")
        let piped = try await connection.pipeline {
            $0.append("RPUSH", key, "before-pipeline")
            $0.evaluate(append, keys: [key], arguments: ["pipeline"])
            $0.append("RPUSH", key, "after-pipeline")
        }
        #expect(piped.count == 3)
        #expect(try piped[1].get() == .integer(3))

        try await connection.send("SCRIPT", "FLUSH")
        let transacted = try await connection.transaction {
            $0.append("RPUSH", key, "before-transaction")
            $0.evaluate(append, keys: [key], arguments: ["transaction"])
        }
        #expect(try transacted[1].get() == .integer(6))

        let items = try await connection.send("LRANGE", key, 0, -1).decode(as: [String].self)
        #expect(
            items == [
                "alone", "before-pipeline", "pipeline", "after-pipeline",
                "before-transaction", "transaction",
            ])
        await connection.close()
    }

    @Test func fiftyConcurrentRunsAfterAFlushAllSucceed() async throws {
        let connection = try await RedisServerTrait.connect()
        let key = uniqueKey()
        let increment = RedisScript("return redis.call('INCR', KEYS[1])")
        try await connection.send("SCRIPT", "FLUSH")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask { try await connection.evaluate(increment, keys: [key]) }
            }
            try await group.waitForAll()
        }
        #expect(try await connection.send("GET", key).decode(as: Int.self) == 50)
        await connection.close()
    }
}
