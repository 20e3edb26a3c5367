import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer)
struct ListCommandTests {
    @Test func lpushPutsTheLastValueFirstAndRpushKeepsOrder() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()

            #expect(try await connection.rpush(key, "b", "c") == 2)
            #expect(try await connection.lpush(key, ["a", "z"]) == 4)

            #expect(try await connection.lrange(key, as: String.self) == ["z", "a", "b", "c"])
            #expect(try await connection.llen(key) == 4)
        }
    }

    @Test func lrangeIncludesBothEndsAndCountsNegativeIndexesFromTheTail() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.rpush(key, ["0", "1", "2", "3", "4"])

            #expect(
                try await connection.lrange(key, start: 1, stop: 2, as: String.self) == ["1", "2"])
            #expect(try await connection.lrange(key, start: -2, as: String.self) == ["3", "4"])
            #expect(try await connection.lrange(key, start: 10, stop: 20).isEmpty)
            #expect(try await connection.lindex(key, -1, as: String.self) == "4")
            #expect(try await connection.lindex(key, 10) == nil)
        }
    }

    @Test func popsTakeFromEitherEndAndReturnNilWhenEmpty() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.rpush(key, "first", "middle", "last")

            #expect(try await connection.lpop(key, as: String.self) == "first")
            #expect(try await connection.rpop(key, as: String.self) == "last")
            #expect(try await connection.rpop(key) == Array("middle".utf8))
            #expect(try await connection.lpop(key) == nil)
            #expect(try await connection.exists(key) == 0)
        }
    }

    @Test func ltrimKeepsOnlyTheRange() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.lpush(key, (1...10).map(String.init))

            try await connection.ltrim(key, start: 0, stop: 2)

            #expect(try await connection.lrange(key, as: String.self) == ["10", "9", "8"])
        }
    }

    @Test func lremRemovesFromTheHeadTheTailOrEverywhere() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.rpush(key, ["x", "a", "x", "b", "x", "x"])

            #expect(try await connection.lrem(key, value: "x", count: 1) == 1)
            #expect(try await connection.lrem(key, value: "x", count: -1) == 1)
            #expect(try await connection.lrange(key, as: String.self) == ["a", "x", "b", "x"])
            #expect(try await connection.lrem(key, value: "x") == 2)
            #expect(try await connection.lrange(key, as: String.self) == ["a", "b"])
        }
    }

    @Test func pushingNoValuesIsAnInvalidArgument() async throws {
        try await withTestConnection { connection throws in
            let error = await #expect(throws: RedisError.self) {
                try await connection.rpush(uniqueKey(), [String]())
            }

            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func blpopReturnsNilWhenItsShortTimeoutPasses() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            let clock = ContinuousClock()
            let start = clock.now

            let popped = try await connection.blpop([key], timeout: .milliseconds(200))

            let elapsed = clock.now - start
            #expect(popped == nil)
            #expect(elapsed >= .milliseconds(150))
            #expect(elapsed < .seconds(60))
            #expect(try await connection.ping() == "PONG")
        }
    }

    @Test func blpopTakesAnElementThatIsAlreadyThereFromTheFirstNonEmptyList() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.rpush(key + ":second", "b1", "b2")

            let popped = try await connection.blpop(
                [key + ":first", key + ":second"], timeout: .seconds(1), as: String.self)
            let fromTail = try await connection.brpop([key + ":second"], timeout: .seconds(1))

            #expect(popped?.key == Array((key + ":second").utf8))
            #expect(popped?.value == "b1")
            #expect(fromTail?.value == Array("b2".utf8))
        }
    }

    @Test func blpopWakesUpWhenAnotherConnectionPushes() async throws {
        try await withTestConnection { waiter throws in
            try await withTestConnection { pusher throws in
                let key = uniqueKey()

                async let popped = waiter.blpop([key], timeout: .seconds(60), as: String.self)
                try await Task.sleep(for: .milliseconds(100))
                try await pusher.rpush(key, "wake up")

                #expect(try await popped?.value == "wake up")
            }
        }
    }

    @Test func blockingPopWithoutKeysIsAnInvalidArgument() async throws {
        try await withTestConnection { connection throws in
            let error = await #expect(throws: RedisError.self) {
                try await connection.brpop([], timeout: .seconds(1))
            }

            #expect(error?.code == .invalidArgument)
        }
    }
}
