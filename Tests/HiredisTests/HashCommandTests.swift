import Foundation
import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer)
struct HashCommandTests {
    @Test func hsetCountsOnlyNewFields() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()

            let first = try await connection.hset(key, fields: ["name": "Ada", "year": 1815])
            let second = try await connection.hset(
                key, fields: ["name": "Ada L.", "city": "London"])

            #expect(first == 2)
            #expect(second == 1)
            #expect(try await connection.hlen(key) == 3)
        }
    }

    @Test func typedDictionariesAndByteFieldsAreAccepted() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            let profile: [String: String] = ["name": "Ada", "city": "London"]
            let counters: [[UInt8]: Int] = [[0xFF]: 1]

            try await connection.hset(key, fields: profile)
            try await connection.hset(key, fields: counters)

            #expect(try await connection.hget(key, field: "city", as: String.self) == "London")
            #expect(try await connection.hget(key, field: [0xFF] as [UInt8], as: Int.self) == 1)
        }
    }

    @Test func hgetallReadsEveryFieldAsTextOrBytes() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.hset(key, fields: [(field: "name", value: "Ada"), ("year", 1815)])

            let text = try await connection.hgetall(key, as: [String: String].self)
            let data = try await connection.hgetall(key, as: [String: Data].self)
            let bytes = try await connection.hgetall(key)

            #expect(text == ["name": "Ada", "year": "1815"])
            #expect(data["year"] == Data("1815".utf8))
            let expected: [[UInt8]: [UInt8]] = [
                Array("name".utf8): Array("Ada".utf8),
                Array("year".utf8): Array("1815".utf8),
            ]
            #expect(bytes == expected)
            #expect(try await connection.hgetall(uniqueKey("missing")).isEmpty)
        }
    }

    @Test func hgetAndHmgetReturnNilForMissingFields() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.hset(key, fields: ["name": "Ada", "year": 1815])

            #expect(try await connection.hget(key, field: "name", as: String.self) == "Ada")
            #expect(try await connection.hget(key, field: "year", as: Int.self) == 1815)
            #expect(try await connection.hget(key, field: "absent") == nil)
            #expect(
                try await connection.hmget(key, ["name", "absent", "year"], as: String.self)
                    == ["Ada", nil, "1815"])
            #expect(try await connection.hmget(key, ["absent"]) == [nil])
        }
    }

    @Test func hdelRemovesFieldsAndTheHashWithItsLastField() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.hset(key, fields: ["a": 1, "b": 2, "c": 3])

            #expect(try await connection.hdel(key, "a", "missing") == 1)
            #expect(try await !connection.hexists(key, field: "a"))
            #expect(try await connection.hexists(key, field: "b"))
            #expect(try await Set(connection.hkeys(key, as: String.self)) == ["b", "c"])
            #expect(try await connection.hdel(key, ["b", "c"]) == 2)
            #expect(try await connection.exists(key) == 0)
        }
    }

    @Test func hincrbyCountsFromZeroAndRejectsText() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.hset(key, fields: ["name": "Ada"])

            #expect(try await connection.hincrby(key, field: "visits", by: 1) == 1)
            #expect(try await connection.hincrby(key, field: "visits", by: -5) == -4)
            let error = await #expect(throws: RedisError.self) {
                try await connection.hincrby(key, field: "name", by: 1)
            }
            #expect(error?.serverCode == "ERR")
        }
    }
}
