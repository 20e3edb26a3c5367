import Chat
import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer) struct TypingTests {
    @Test func eachIndicatorExpiresOnItsOwn() async throws {
        let chat = try await makeService(ChatConfiguration(typingTimeout: .seconds(3)))
        let room = try await chat.createRoom(named: uniqueName("typists"))
        let stopped = try await chat.createUser(named: uniqueName("a"))
        let busy = try await chat.createUser(named: uniqueName("b"))
        for user in [stopped, busy] { try await chat.join(userID: user.id, roomID: room.id) }

        // A machine stalled for longer than the timeout lets both indicators
        // run out before the first read; they are then started again.
        var atFirst: [String] = []
        for _ in 0..<10 where atFirst.count < 2 {
            try await chat.startTyping(userID: stopped.id, roomID: room.id)
            try await chat.startTyping(userID: busy.id, roomID: room.id)
            atFirst = try await chat.typingUserIDs(roomID: room.id)
        }
        // B refreshes far more often than the timeout while A's runs out; a
        // stall that lets B's run out too is undone by B's next refresh.
        var later = atFirst
        for _ in 0..<600 where later != [busy.id] {
            try await Task.sleep(for: .milliseconds(100))
            try await chat.startTyping(userID: busy.id, roomID: room.id)
            later = try await chat.typingUserIDs(roomID: room.id)
        }

        #expect(atFirst == [stopped.id, busy.id].sorted())
        #expect(later == [busy.id])
    }

    @Test func startingAndStoppingPublishOnceAndRefreshingStaysQuiet() async throws {
        let chat = try await makeService()
        let (user, room) = try await makeMemberInRoom(chat)
        let listener = try await listen(to: ChatKeys.typingChannel(room.id))
        defer { listener.stop() }

        try await chat.startTyping(userID: user.id, roomID: room.id)
        try await chat.startTyping(userID: user.id, roomID: room.id)
        try await chat.stopTyping(userID: user.id, roomID: room.id)
        try await chat.stopTyping(userID: user.id, roomID: room.id)
        // A marker event: once it arrives, everything before it has too.
        try await chat.startTyping(userID: user.id, roomID: room.id)
        let deliveries = await listener.waitForDeliveries(count: 3)

        #expect(
            try events(deliveries) == [
                .typingStarted(userID: user.id, roomID: room.id),
                .typingStopped(userID: user.id, roomID: room.id),
                .typingStarted(userID: user.id, roomID: room.id),
            ])
    }

    @Test func leavingTheRoomEndsTheIndicator() async throws {
        let chat = try await makeService()
        let (user, room) = try await makeMemberInRoom(chat)
        try await chat.startTyping(userID: user.id, roomID: room.id)

        try await chat.leave(userID: user.id, roomID: room.id)

        #expect(try await chat.typingUserIDs(roomID: room.id).isEmpty)
    }

    @Test func theTypingSetGoesAwayWithItsLastIndicator() async throws {
        let chat = try await makeService(ChatConfiguration(typingTimeout: .milliseconds(300)))
        let (user, room) = try await makeMemberInRoom(chat)

        try await chat.startTyping(userID: user.id, roomID: room.id)
        try await Task.sleep(for: .milliseconds(600))

        let exists = try await chat.connection.send("EXISTS", ChatKeys.roomTyping(room.id))
        #expect(exists == .integer(0))
    }
}
