import Chat
import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer) struct KeyLayoutTests {
    @Test func aShortSessionLeavesOnlyTheKeysOfTheDesign() async throws {
        let chat = try await makeService()
        let alice = try await chat.createUser(named: "Alice", avatar: "https://example.com/a.png")
        let bob = try await chat.createUser(named: "Bob")
        let general = try await chat.createRoom(named: "General", description: "Anything")
        let random = try await chat.createRoom(named: "Random")
        for room in [general, random] {
            for user in [alice, bob] { try await chat.join(userID: user.id, roomID: room.id) }
        }
        try await chat.startTyping(userID: alice.id, roomID: general.id)
        try await chat.startTyping(userID: bob.id, roomID: general.id)
        try await chat.send("hello", to: general.id, from: alice.id)
        try await chat.send("hi", to: general.id, from: bob.id)
        try await chat.sendDirectMessage("psst", from: alice.id, to: bob.id)
        try await chat.setStatus(.away, forUser: bob.id)
        try await chat.heartbeat(userID: alice.id)
        try await chat.leave(userID: bob.id, roomID: random.id)
        _ = try await chat.latestMessages(in: general.id)
        _ = try await chat.members(roomID: general.id)

        let keys = try await allKeys(chat.connection)

        let layout = try KeyLayout.regexes()
        for key in keys {
            #expect(KeyLayout.contains(Array(key.utf8), among: layout), "unexpected key \(key)")
        }
        let conversation = try ChatService.conversationID(between: alice.id, and: bob.id)
        // 2 users × 3 keys, 2 user names, rooms, 2 room names, 2 rooms, 2
        // member sets, 2 keys each for General's and the conversation's
        // history, 3 messages. Both typists sent, so no typing set is left.
        #expect(keys.count == 22, "\(keys)")
        #expect(keys.contains(ChatKeys.roomMessages(conversation)))
        #expect(keys.contains(ChatKeys.userName("Alice")))
        #expect(keys.contains(ChatKeys.roomTyping(general.id)) == false)
    }
}
