import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer)
struct SetCommandTests {
    @Test func saddCountsOnlyNewMembers() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()

            #expect(try await connection.sadd(key, "alice", "bob") == 2)
            #expect(try await connection.sadd(key, ["bob", "carol"]) == 1)
            #expect(try await connection.sadd(key, [String]()) == 0)
            #expect(try await connection.scard(key) == 3)
        }
    }

    @Test func smembersReturnsEveryMemberOnce() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.sadd(key, ["alice", "bob", "alice"])

            let members = try await connection.smembers(key, as: String.self)

            #expect(members.sorted() == ["alice", "bob"])
            #expect(
                try await Set(connection.smembers(key)) == [Array("alice".utf8), Array("bob".utf8)])
            #expect(try await connection.smembers(uniqueKey("missing")).isEmpty)
        }
    }

    @Test func membershipIsAnsweredForOneOrManyValues() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.sadd(key, "alice", "bob")

            #expect(try await connection.sismember(key, member: "alice"))
            #expect(try await !connection.sismember(key, member: "zoe"))
            #expect(
                try await connection.smismember(key, ["zoe", "bob", "alice"]) == [
                    false, true, true,
                ])
            #expect(try await connection.smismember(key, []) == [])
        }
    }

    @Test func sremRemovesMembersAndTheSetWithItsLastMember() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.sadd(key, "alice", "bob")

            #expect(try await connection.srem(key, "alice", "zoe") == 1)
            #expect(try await connection.srem(key, ["bob"]) == 1)
            #expect(try await connection.scard(key) == 0)
            #expect(try await connection.exists(key) == 0)
        }
    }
}
