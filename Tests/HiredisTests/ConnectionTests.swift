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
}
