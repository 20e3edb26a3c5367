import Foundation
import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer)
struct StringCommandTests {
    @Test func setWithoutOptionsWritesAndClearsTheTimeToLive() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.set(key, to: "old", options: .init(expiration: .seconds(100)))

            let written = try await connection.set(key, to: "new")

            #expect(written)
            #expect(try await connection.get(key, as: String.self) == "new")
            #expect(try await connection.ttl(key) == .noExpiry)
        }
    }

    @Test func setIfNotExistsWritesOnlyTheFirstTime() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            let options = RedisSetOptions(condition: .ifNotExists)

            let first = try await connection.set(key, to: "first", options: options)
            let second = try await connection.set(key, to: "second", options: options)

            #expect(first)
            #expect(!second)
            #expect(try await connection.get(key, as: String.self) == "first")
        }
    }

    @Test func setIfExistsWritesOnlyExistingKeys() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            let options = RedisSetOptions(condition: .ifExists)

            let onMissing = try await connection.set(key, to: "value", options: options)
            #expect(!onMissing)
            #expect(try await connection.get(key) == nil)

            try await connection.set(key, to: "value")
            let onExisting = try await connection.set(key, to: "updated", options: options)
            #expect(onExisting)
            #expect(try await connection.get(key, as: String.self) == "updated")
        }
    }

    @Test func setWithAnExpirationGivesTheKeyATimeToLive() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()

            try await connection.set(
                key + ":ex", to: "v", options: .init(expiration: .seconds(100)))
            try await connection.set(
                key + ":px", to: "v", options: .init(expiration: .milliseconds(50_000)))
            try await connection.set(
                key + ":after", to: "v", options: .init(expiration: .after(.seconds(90.5))))

            let ex = try await timeLeft(connection, key + ":ex")
            let px = try await timeLeft(connection, key + ":px")
            let after = try await timeLeft(connection, key + ":after")
            #expect(ex > .seconds(50) && ex <= .seconds(100))
            #expect(px > .seconds(25) && px <= .seconds(50))
            #expect(after > .seconds(45) && after <= .seconds(90.5))
        }
    }

    @Test func aKeyWrittenWithAShortExpirationDisappears() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()

            try await connection.set(key, to: "v", options: .init(expiration: .milliseconds(50)))
            try await Task.sleep(for: .milliseconds(150))

            #expect(try await connection.get(key) == nil)
        }
    }

    @Test func setKeepingTheTimeToLiveLeavesTheExpiryInPlace() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.set(key, to: "v1", options: .init(expiration: .seconds(100)))

            try await connection.set(key, to: "v2", options: .init(expiration: .keepTTL))

            #expect(try await connection.get(key, as: String.self) == "v2")
            let left = try await timeLeft(connection, key)
            #expect(left > .seconds(50) && left <= .seconds(100))
        }
    }

    @Test func setIfNotExistsWithAnExpirationActsAsALock() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            let options = RedisSetOptions(condition: .ifNotExists, expiration: .seconds(30))

            let acquired = try await connection.set(key, to: "owner-1", options: options)
            let stolen = try await connection.set(key, to: "owner-2", options: options)

            #expect(acquired)
            #expect(!stolen)
            let left = try await timeLeft(connection, key)
            #expect(left > .seconds(10) && left <= .seconds(30))
        }
    }

    @Test func mgetKeepsOneSlotPerKeyWithNilForMissingKeys() async throws {
        try await withTestConnection { connection throws in
            let prefix = uniqueKey()
            try await connection.set(prefix + ":a", to: "A")
            try await connection.set(prefix + ":c", to: "C")
            let keys = [prefix + ":a", prefix + ":b", prefix + ":c"]

            let bytes = try await connection.mget(keys)
            let strings = try await connection.mget(keys, as: String.self)

            #expect(bytes == [Array("A".utf8), nil, Array("C".utf8)])
            #expect(strings == ["A", nil, "C"])
            #expect(try await connection.mget([]).isEmpty)
        }
    }

    @Test func msetWritesEveryKeyFromADictionaryOrPairs() async throws {
        try await withTestConnection { connection throws in
            let prefix = uniqueKey()

            try await connection.mset([prefix + ":a": "1", prefix + ":b": 2])
            try await connection.mset([(prefix + ":c", "3"), (Array((prefix + ":d").utf8), 4.5)])

            let values = try await connection.mget(
                ["a", "b", "c", "d"].map { prefix + ":" + $0 }, as: String.self)
            #expect(values == ["1", "2", "3", "4.5"])
        }
    }

    @Test func expirationAfterADurationRoundsUpToMilliseconds() {
        #expect(RedisSetOptions.Expiration.after(.seconds(2)) == .milliseconds(2000))
        #expect(RedisSetOptions.Expiration.after(.microseconds(1500)) == .milliseconds(2))
        #expect(RedisSetOptions.Expiration.after(.seconds(Int64.max)) == .milliseconds(.max))
    }

    @Test func incrementingPastTheLargestIntegerFailsAndKeepsTheValue() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.set(key, to: "9223372036854775806")

            let largest = try await connection.incr(key)
            let error = await #expect(throws: RedisError.self) {
                try await connection.incr(key)
            }

            #expect(largest == 9_223_372_036_854_775_807)
            #expect(error?.code == .server)
            #expect(error?.serverCode == "ERR")
            #expect(try await connection.get(key, as: String.self) == "9223372036854775807")
        }
    }

    @Test func countersAddAndSubtractFromZero() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()

            #expect(try await connection.incr(key) == 1)
            #expect(try await connection.incr(key, by: 10) == 11)
            #expect(try await connection.decr(key) == 10)
            #expect(try await connection.decr(key, by: 15) == -5)
            #expect(try await connection.incr(key, by: 2.5) == -2.5)
            #expect(try await connection.get(key, as: Double.self) == -2.5)
        }
    }

    @Test func incrementingTextIsAServerError() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.set(key, to: "not a number")

            let error = await #expect(throws: RedisError.self) {
                try await connection.incr(key)
            }

            #expect(error?.serverCode == "ERR")
        }
    }

    @Test func getdelReturnsTheValueAndRemovesTheKey() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.set(key, to: "once")

            #expect(try await connection.getdel(key, as: String.self) == "once")
            #expect(try await connection.getdel(key) == nil)
            #expect(try await connection.exists(key) == 0)
        }
    }

    @Test func appendGrowsTheValueAndStrlenCountsBytes() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()

            #expect(try await connection.append("héllo", to: key) == 6)
            #expect(try await connection.append([0x00, 0xFF] as [UInt8], to: key) == 8)
            #expect(try await connection.strlen(key) == 8)
            #expect(try await connection.strlen(uniqueKey("missing")) == 0)
            #expect(try await connection.get(key) == Array("héllo".utf8) + [0x00, 0xFF])
        }
    }

    /// The time to live PTTL reports, or zero when the key has none.
    private func timeLeft(_ connection: RedisConnection, _ key: String) async throws -> Duration {
        guard case .expires(let left) = try await connection.pttl(key) else { return .zero }
        return left
    }
}
