import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer)
struct ScanTests {
    @Test func scanVisitsEveryMatchingKeyExactlyOnce() async throws {
        try await withTestConnection { connection throws in
            let prefix = uniqueKey()
            let keys = (0..<500).map { "\(prefix):\($0)" }
            try await connection.mset(Dictionary(uniqueKeysWithValues: keys.map { ($0, "v") }))

            var seen: [String] = []
            for try await key in connection.scan(match: prefix + ":*", count: 25, as: String.self) {
                seen.append(key)
            }

            #expect(seen.count == keys.count)
            #expect(seen.sorted() == keys.sorted())
        }
    }

    @Test func scanPagesEndWithCursorZeroAndCoverEveryKey() async throws {
        try await withTestConnection { connection throws in
            let prefix = uniqueKey()
            let keys = (0..<100).map { "\(prefix):\($0)" }
            try await connection.mset(Dictionary(uniqueKeysWithValues: keys.map { ($0, "v") }))

            var cursor: UInt64 = 0
            var pages = 0
            var seen: [[UInt8]] = []
            repeat {
                let page = try await connection.scan(
                    cursor: cursor, match: prefix + ":*", count: 10)
                cursor = page.cursor
                seen += page.keys
                pages += 1
            } while cursor != 0

            #expect(pages > 1)
            #expect(Set(seen) == Set(keys.map { Array($0.utf8) }))
        }
    }

    @Test func scanCanKeepOnlyOneKindOfValue() async throws {
        try await withTestConnection { connection throws in
            let prefix = uniqueKey()
            try await connection.set(prefix + ":string", to: "v")
            try await connection.rpush(prefix + ":list", "v")
            try await connection.hset(prefix + ":hash", fields: ["f": "v"])

            var lists: [String] = []
            for try await key in connection.scan(match: prefix + ":*", type: .list, as: String.self)
            {
                lists.append(key)
            }

            #expect(lists == [prefix + ":list"])
        }
    }

    @Test func scanStopsWhenTheLoopIsLeft() async throws {
        try await withTestConnection { connection throws in
            let prefix = uniqueKey()
            try await connection.mset((0..<50).map { (key: "\(prefix):\($0)", value: "v") })

            var taken = 0
            for try await _ in connection.scan(match: prefix + ":*") {
                taken += 1
                if taken == 3 { break }
            }

            #expect(taken == 3)
            #expect(try await connection.ping() == "PONG")
        }
    }

    @Test func scanWithNoMatchingKeysEndsEmpty() async throws {
        try await withTestConnection { connection throws in
            var count = 0
            for try await _ in connection.scan(match: uniqueKey() + ":*") { count += 1 }

            #expect(count == 0)
        }
    }
}
