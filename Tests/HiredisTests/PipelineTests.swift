import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer)
struct PipelineTests {
    @Test func everySlotKeepsItsOwnResultAndTheNextCommandGetsItsOwnReply() async throws {
        let connection = try await RedisServerTrait.connect()
        let key = uniqueKey()

        var transaction = RedisPipeline()
        transaction.append("SET", "\(key):tx", "1")
        transaction.append("INCR", "\(key):tx-string")
        var pipeline = RedisPipeline()
        pipeline.append("SET", key, "text")
        pipeline.append("LPUSH", key, "item")
        pipeline.append("GET", key)
        pipeline.append("INCR", key)
        pipeline.append("MULTI")
        pipeline.append("SET", "\(key):tx-string", "not a number")
        pipeline.append("INCR", "\(key):tx-string")
        pipeline.append("EXEC")
        pipeline.append("ECHO", "last")
        let results = try await connection.execute(pipeline)

        #expect(results.count == 9)
        #expect(try results[0].get() == .simpleString("OK"))
        #expect(throws: RedisError.self) { try results[1].get() }
        if case .failure(let error) = results[1] { #expect(error.serverCode == "WRONGTYPE") }
        #expect(try results[2].get() == .bulkString(Array("text".utf8)))
        if case .failure(let error) = results[3] { #expect(error.serverCode == "ERR") }
        #expect(try results[4].get() == .simpleString("OK"))
        #expect(try results[5].get() == .simpleString("QUEUED"))
        #expect(try results[6].get() == .simpleString("QUEUED"))
        let exec = try results[7].get().array ?? []
        #expect(exec.count == 2)
        #expect(exec.first == .simpleString("OK"))
        #expect(exec.last?.serverError?.serverCode == "ERR")
        #expect(try results[8].get() == .bulkString(Array("last".utf8)))

        let next = try await connection.send("ECHO", "mine")
        #expect(next == .bulkString(Array("mine".utf8)))
        await connection.close()
    }

    @Test func aWatchAbortedExecDiffersFromAnEmptyTransaction() async throws {
        let connection = try await RedisServerTrait.connect()
        let other = try await RedisServerTrait.connect()
        let key = uniqueKey()

        let empty = try await connection.transaction(RedisPipeline())
        #expect(empty.isEmpty)

        try await connection.watch(key)
        try await other.send("SET", key, "changed")
        await #expect {
            try await connection.transaction { $0.append("SET", key, "mine") }
        } throws: { error in
            (error as? RedisError)?.code == .transactionAborted
        }
        #expect(try await other.send("GET", key).decode(as: String.self) == "changed")

        await connection.close()
        await other.close()
    }

    @Test func aCommandRefusedWhileQueueingAbortsTheWholeTransaction() async throws {
        let connection = try await RedisServerTrait.connect()
        let key = uniqueKey()
        await #expect {
            try await connection.transaction {
                $0.append("SET", key, "1")
                $0.append("NOSUCHCOMMAND")
            }
        } throws: { error in
            (error as? RedisError)?.serverCode == "EXECABORT"
        }
        #expect(try await connection.send("EXISTS", key) == .integer(0))
        await connection.close()
    }
}
