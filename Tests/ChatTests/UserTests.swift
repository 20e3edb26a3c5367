import Chat
import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer) struct UserTests {
    // The tutorial's first test.
    @Test func createsAUser() async throws {
        let chat = try await makeService()

        let user = try await chat.createUser(named: "TestUser")

        #expect(!user.id.isEmpty)
        #expect(user.name == "TestUser")
    }

    @Test func aNewUserReadsBackOnlineWithItsFields() async throws {
        let chat = try await makeService()
        let name = uniqueName("Ada")

        let created = try await chat.createUser(named: name, avatar: "https://example.com/ada.png")
        let read = try await chat.user(id: created.id)

        #expect(read == created)
        #expect(read?.status == .online)
        #expect(created.id == created.id.lowercased())
        #expect(created.id.count == 36)
    }

    @Test func aMissingUserReadsAsNil() async throws {
        let chat = try await makeService()

        let user = try await chat.user(id: "00000000-0000-4000-8000-000000000000")

        #expect(user == nil)
    }

    @Test func readsManyUsersInTheGivenOrderLeavingOutMissingOnes() async throws {
        let chat = try await makeService()
        let first = try await chat.createUser(named: uniqueName("first"))
        let second = try await chat.createUser(named: uniqueName("second"))
        let missing = "00000000-0000-4000-8000-000000000001"

        let users = try await chat.users(ids: [second.id, missing, first.id])

        #expect(users.map(\.id) == [second.id, first.id])
        #expect(try await chat.users(ids: []).isEmpty)
    }

    @Test func findsAUserByName() async throws {
        let chat = try await makeService()
        let name = uniqueName("Grace")
        let created = try await chat.createUser(named: name)

        let found = try await chat.user(named: name)
        let unknown = try await chat.user(named: uniqueName("nobody"))

        #expect(found == created)
        #expect(unknown == nil)
    }

    @Test func refusesANameThatIsTaken() async throws {
        let chat = try await makeService()
        let name = uniqueName("Linus")
        _ = try await chat.createUser(named: name)

        await expectFailure(.nameTaken, field: "name") { () async throws(ChatError) in
            try await chat.createUser(named: name)
        }
    }

    @Test func twoSpellingsOfOneNameClaimTheSameName() async throws {
        let chat = try await makeService()
        let suffix = UInt32.random(in: 0...UInt32.max)
        let precomposed = "Ren\u{E9}e \(suffix)"
        let decomposed = "Rene\u{301}e \(suffix)"
        _ = try await chat.createUser(named: precomposed)

        await expectFailure(.nameTaken, field: "name") { () async throws(ChatError) in
            try await chat.createUser(named: decomposed)
        }
        #expect(try await chat.user(named: decomposed)?.name == precomposed)
    }

    @Test(arguments: [
        ("", ChatError.Code.invalidArgument),
        (String(repeating: "a", count: 65), .tooLarge),
        ("tab\there", .invalidArgument),
        ("line\u{2028}separator", .invalidArgument),
        (" padded", .invalidArgument),
        ("padded ", .invalidArgument),
    ])
    func refusesAMalformedName(name: String, code: ChatError.Code) async throws {
        let chat = try await makeService()

        await expectFailure(code, field: "name") { () async throws(ChatError) in
            try await chat.createUser(named: name)
        }
    }

    @Test func acceptsSixtyFourCharactersOfAnyScript() async throws {
        let chat = try await makeService()
        let name =
            "👩‍👩‍👧‍👦" + String(repeating: "é", count: 53)
            + String(UInt32.random(in: 1_000_000_000...UInt32.max))

        let user = try await chat.createUser(named: name)

        #expect(name.count == 64)
        #expect(user.name == name)
    }

    @Test(arguments: [
        "", "{abc}", "not-a-uuid", "0E6C1C3A-3B0F-4C61-9A4B-7D2F1E0A9B8C",
        "0e6c1c3a-3b0f-4c61-9a4b-7d2f1e0a9b8\n",
    ])
    func refusesAMalformedUserID(id: String) async throws {
        let chat = try await makeService()

        await expectFailure(.invalidArgument, field: "userID") { () async throws(ChatError) in
            try await chat.user(id: id)
        }
    }
}
