import Chat
import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer) struct RoomTests {
    // The tutorial's second test.
    @Test func createsJoinsSendsAndReadsHistory() async throws {
        let chat = try await makeService()
        let user = try await chat.createUser(named: uniqueName("TestUser"))
        let room = try await chat.createRoom(named: uniqueName("TestRoom"))

        try await chat.join(userID: user.id, roomID: room.id)
        let message = try await chat.send("Hello!", to: room.id, from: user.id)
        let history = try await chat.latestMessages(in: room.id, limit: 10)

        #expect(message.content == "Hello!")
        #expect(history == [message])
    }

    @Test func aRoomReadsBackByIDByNameAndInTheList() async throws {
        let chat = try await makeService()
        let name = uniqueName("General")

        let room = try await chat.createRoom(named: name, description: "Anything goes\nreally")

        #expect(try await chat.room(id: room.id) == room)
        #expect(try await chat.room(named: name) == room)
        #expect(try await chat.rooms().contains(room))
        #expect(try await chat.room(id: "00000000-0000-4000-8000-000000000003") == nil)
        #expect(try await chat.room(named: uniqueName("nowhere")) == nil)
    }

    @Test func listsRoomsByName() async throws {
        let chat = try await makeService()
        let stem = uniqueName("sorted")
        for letter in ["c", "a", "b"] { _ = try await chat.createRoom(named: "\(stem) \(letter)") }

        let names = try await chat.rooms().map(\.name).filter { $0.hasPrefix(stem) }

        #expect(names == ["\(stem) a", "\(stem) b", "\(stem) c"])
    }

    @Test func refusesARoomNameThatIsTaken() async throws {
        let chat = try await makeService()
        let name = uniqueName("Lobby")
        _ = try await chat.createRoom(named: name)

        await expectFailure(.nameTaken, field: "name") { () async throws(ChatError) in
            try await chat.createRoom(named: name)
        }
    }

    @Test func joiningAndLeavingUpdateBothSetsAndPublishOnce() async throws {
        let chat = try await makeService()
        let user = try await chat.createUser(named: uniqueName("joiner"))
        let room = try await chat.createRoom(named: uniqueName("club"))
        let listener = try await listen(to: ChatKeys.roomChannel(room.id))
        defer { listener.stop() }

        let joined = try await chat.join(userID: user.id, roomID: room.id)
        let joinedAgain = try await chat.join(userID: user.id, roomID: room.id)
        let membersWhileIn = try await chat.memberIDs(roomID: room.id)
        let roomsWhileIn = try await chat.roomIDs(userID: user.id)
        let left = try await chat.leave(userID: user.id, roomID: room.id)
        let leftAgain = try await chat.leave(userID: user.id, roomID: room.id)
        let deliveries = await listener.waitForDeliveries(count: 2)

        #expect(joined && !joinedAgain && left && !leftAgain)
        #expect(membersWhileIn == [user.id])
        #expect(roomsWhileIn == [room.id])
        #expect(try await chat.memberIDs(roomID: room.id).isEmpty)
        #expect(try await chat.roomIDs(userID: user.id).isEmpty)
        #expect(
            try events(deliveries) == [
                .userJoined(userID: user.id, roomID: room.id),
                .userLeft(userID: user.id, roomID: room.id),
            ])
    }

    @Test func membersComeOrderedByNameWithTheirStatus() async throws {
        let chat = try await makeService()
        let room = try await chat.createRoom(named: uniqueName("ordered"))
        let stem = uniqueName("m")
        var users: [User] = []
        for letter in ["carol", "alice", "bob"] {
            let user = try await chat.createUser(named: "\(stem) \(letter)")
            try await chat.join(userID: user.id, roomID: room.id)
            users.append(user)
        }
        try await chat.setStatus(.away, forUser: users[2].id)

        let members = try await chat.members(roomID: room.id)

        #expect(members.map(\.name) == ["\(stem) alice", "\(stem) bob", "\(stem) carol"])
        #expect(members.map(\.status) == [.online, .away, .online])
    }

    @Test func joiningNeedsAnExistingUserAndRoom() async throws {
        let chat = try await makeService()
        let user = try await chat.createUser(named: uniqueName("lost"))
        let room = try await chat.createRoom(named: uniqueName("real"))
        let nobody = "00000000-0000-4000-8000-000000000004"

        await expectFailure(.roomNotFound, field: "roomID") { () async throws(ChatError) in
            try await chat.join(userID: user.id, roomID: nobody)
        }
        await expectFailure(.userNotFound, field: "userID") { () async throws(ChatError) in
            try await chat.join(userID: nobody, roomID: room.id)
        }
        await expectFailure(.invalidArgument, field: "roomID") { () async throws(ChatError) in
            try await chat.join(userID: user.id, roomID: "room:{x}")
        }
    }
}
