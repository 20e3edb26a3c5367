import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer)
struct KeyCommandTests {
    @Test func ttlTellsMissingKeysFromKeysWithoutExpiryAndExpiringKeys() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()

            #expect(try await connection.ttl(key) == .noKey)
            #expect(try await connection.pttl(key) == .noKey)

            try await connection.set(key, to: "v")
            #expect(try await connection.ttl(key) == .noExpiry)
            #expect(try await connection.pttl(key) == .noExpiry)

            #expect(try await connection.expire(key, seconds: 100))
            guard case .expires(let seconds) = try await connection.ttl(key) else {
                Issue.record("TTL did not report an expiry")
                return
            }
            #expect(seconds > .seconds(50) && seconds <= .seconds(100))

            #expect(try await connection.pexpire(key, milliseconds: 20_000))
            guard case .expires(let milliseconds) = try await connection.pttl(key) else {
                Issue.record("PTTL did not report an expiry")
                return
            }
            #expect(milliseconds > .seconds(5) && milliseconds <= .seconds(20))
        }
    }

    @Test func persistRemovesTheTimeToLiveOnce() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.set(key, to: "v", options: .init(expiration: .seconds(100)))

            #expect(try await connection.persist(key))
            #expect(try await connection.ttl(key) == .noExpiry)
            #expect(try await !connection.persist(key))
            #expect(try await !connection.persist(uniqueKey("missing")))
        }
    }

    @Test func expiringAMissingKeyReportsFalse() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()

            #expect(try await !connection.expire(key, seconds: 10))
            #expect(try await !connection.pexpire(key, milliseconds: 10))
        }
    }

    @Test func delAndUnlinkCountOnlyKeysThatExisted() async throws {
        try await withTestConnection { connection throws in
            let prefix = uniqueKey()
            try await connection.mset([prefix + ":1": "a", prefix + ":2": "b", prefix + ":3": "c"])

            #expect(try await connection.del(prefix + ":1", prefix + ":missing") == 1)
            #expect(try await connection.unlink([prefix + ":2", prefix + ":3"]) == 2)
            #expect(try await connection.del([]) == 0)
            #expect(try await connection.exists(prefix + ":1", prefix + ":2", prefix + ":3") == 0)
        }
    }

    @Test func existsCountsAKeyOncePerMention() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.set(key, to: "v")

            #expect(try await connection.exists(key) == 1)
            #expect(try await connection.exists(key, key, uniqueKey("missing")) == 2)
        }
    }

    @Test func keyTypeNamesTheKindOfValueAndNilForMissingKeys() async throws {
        try await withTestConnection { connection throws in
            let prefix = uniqueKey()
            try await connection.set(prefix + ":string", to: "v")
            try await connection.rpush(prefix + ":list", "v")
            try await connection.sadd(prefix + ":set", "v")
            try await connection.zadd(prefix + ":zset", members: ["v": 1])
            try await connection.hset(prefix + ":hash", fields: ["f": "v"])

            #expect(try await connection.keyType(prefix + ":string") == .string)
            #expect(try await connection.keyType(prefix + ":list") == .list)
            #expect(try await connection.keyType(prefix + ":set") == .set)
            #expect(try await connection.keyType(prefix + ":zset") == .sortedSet)
            #expect(try await connection.keyType(prefix + ":hash") == .hash)
            #expect(try await connection.keyType(prefix + ":missing") == nil)
        }
    }

    @Test func renameMovesTheValueAndItsTimeToLive() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.set(key, to: "v", options: .init(expiration: .seconds(100)))

            try await connection.rename(key, to: key + ":renamed")

            #expect(try await connection.exists(key) == 0)
            #expect(try await connection.get(key + ":renamed", as: String.self) == "v")
            guard case .expires = try await connection.ttl(key + ":renamed") else {
                Issue.record("the time to live did not move with the key")
                return
            }
        }
    }

    @Test func renamingAMissingKeyIsAServerError() async throws {
        try await withTestConnection { connection throws in
            let error = await #expect(throws: RedisError.self) {
                try await connection.rename(uniqueKey("missing"), to: uniqueKey("target"))
            }

            #expect(error?.code == .server)
            #expect(error?.serverCode == "ERR")
        }
    }

    @Test func aCommandOnTheWrongKindOfValueKeepsTheWrongTypeCode() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.set(key, to: "text")

            let error = await #expect(throws: RedisError.self) {
                try await connection.lpush(key, "item")
            }

            #expect(error?.serverCode == "WRONGTYPE")
            #expect(try await connection.get(key, as: String.self) == "text")
        }
    }
}
