import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer)
struct SortedSetCommandTests {
    @Test func zaddCountsNewMembersAndUpdatesScores() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()

            #expect(try await connection.zadd(key, members: ["alice": 10, "bob": 20]) == 2)
            #expect(try await connection.zadd(key, members: ["alice": 15, "carol": 5]) == 1)

            #expect(try await connection.zscore(key, member: "alice") == 15)
            #expect(try await connection.zcard(key) == 3)
            #expect(try await connection.zscore(key, member: "zoe") == nil)
        }
    }

    @Test func zaddConditionsLimitWhatChanges() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.zadd(key, members: ["alice": 10])

            let onlyNew = try await connection.zadd(
                key, members: ["alice": 99, "bob": 1], options: .ifNotExists)
            let onlyExisting = try await connection.zadd(
                key, members: ["alice": 11, "zoe": 1], options: [.ifExists, .countChanged])
            let lower = try await connection.zadd(
                key, members: ["alice": 5], options: [.ifGreater, .countChanged])
            let higher = try await connection.zadd(
                key, members: ["alice": 50], options: [.ifGreater, .countChanged])
            let lowered = try await connection.zadd(
                key, members: ["bob": 0.5], options: [.ifLess, .countChanged])

            #expect(onlyNew == 1)
            #expect(onlyExisting == 1)
            #expect(lower == 0)
            #expect(higher == 1)
            #expect(lowered == 1)
            #expect(try await connection.zscore(key, member: "alice") == 50)
            #expect(try await connection.zscore(key, member: "bob") == 0.5)
            #expect(try await connection.zscore(key, member: "zoe") == nil)
        }
    }

    @Test func contradictoryZaddOptionsAreAServerError() async throws {
        try await withTestConnection { connection throws in
            let error = await #expect(throws: RedisError.self) {
                try await connection.zadd(
                    uniqueKey(), members: ["a": 1], options: [.ifNotExists, .ifGreater])
            }

            #expect(error?.serverCode == "ERR")
        }
    }

    @Test func zrangeOrdersByScoreAndCanReverseAndIncludeScores() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.zadd(key, members: ["b": 2, "a": 1, "c": 3.5])

            #expect(try await connection.zrange(key, as: String.self) == ["a", "b", "c"])
            #expect(
                try await connection.zrange(key, start: 0, stop: 1, reverse: true, as: String.self)
                    == ["c", "b"])
            let scored = try await connection.zrangeWithScores(key, as: String.self)
            #expect(scored.map(\.member) == ["a", "b", "c"])
            #expect(scored.map(\.score) == [1, 2, 3.5])
            let bytes = try await connection.zrangeWithScores(key, start: -1)
            #expect(bytes.first?.member == Array("c".utf8))
            #expect(bytes.first?.score == 3.5)
        }
    }

    @Test func zrangebyscoreHonoursInclusiveExclusiveAndInfiniteBounds() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.zadd(
                key, members: ["a": 1, "b": 2, "c": 3, "d": 4, "inf": .infinity])

            let closed = try await connection.zrangebyscore(key, min: 2, max: 3, as: String.self)
            let open = try await connection.zrangebyscore(
                key, min: .exclusive(2), max: .exclusive(4), as: String.self)
            let all = try await connection.zrangebyscore(
                key, min: .negativeInfinity, max: .infinity, as: String.self)
            let page = try await connection.zrangebyscore(
                key, min: .negativeInfinity, max: .infinity, limit: (offset: 1, count: 2),
                as: String.self)
            let scored = try await connection.zrangebyscoreWithScores(
                key, min: .exclusive(3), max: .infinity, as: String.self)

            #expect(closed == ["b", "c"])
            #expect(open == ["c"])
            #expect(all == ["a", "b", "c", "d", "inf"])
            #expect(page == ["b", "c"])
            #expect(scored.map(\.member) == ["d", "inf"])
            #expect(scored.map(\.score) == [4, .infinity])
        }
    }

    @Test func zremrangebyscoreRemovesTheRangeOnly() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.zadd(key, members: ["old": 100, "older": 50, "new": 300])

            let removed = try await connection.zremrangebyscore(
                key, min: .negativeInfinity, max: .exclusive(300))

            #expect(removed == 2)
            #expect(try await connection.zrange(key, as: String.self) == ["new"])
        }
    }

    @Test func zincrbyZrankAndZremTrackMembers() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.zadd(key, members: ["a": 1, "b": 2])

            #expect(try await connection.zincrby(key, member: "a", by: 5) == 6)
            #expect(try await connection.zincrby(key, member: "new", by: 0.25) == 0.25)
            #expect(try await connection.zrank(key, member: "a") == 2)
            #expect(try await connection.zrank(key, member: "new") == 0)
            #expect(try await connection.zrank(key, member: "zoe") == nil)
            #expect(try await connection.zrem(key, "a", "zoe") == 1)
            #expect(try await connection.zrem(key, ["b", "new"]) == 2)
            #expect(try await connection.zcard(key) == 0)
        }
    }
}
