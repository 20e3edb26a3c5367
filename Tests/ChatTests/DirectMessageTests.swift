import Chat
import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer) struct DirectMessageTests {
    @Test func aDirectMessageReachesBothStreamsAndBothHistories() async throws {
        let chat = try await makeService()
        let alice = try await chat.createUser(named: uniqueName("alice"))
        let bob = try await chat.createUser(named: uniqueName("bob"))
        let listener = try await listen(
            to: ChatKeys.directChannel(alice.id), ChatKeys.directChannel(bob.id))
        defer { listener.stop() }

        let message = try await chat.sendDirectMessage("psst", from: alice.id, to: bob.id)
        let deliveries = await listener.waitForDeliveries(count: 2)

        let conversation = try ChatService.conversationID(between: bob.id, and: alice.id)
        #expect(message.roomID == conversation)
        #expect(message.seq == 1)
        #expect(
            Set(deliveries.map(\.channel)) == [
                ChatKeys.directChannel(alice.id), ChatKeys.directChannel(bob.id),
            ])
        #expect(try events(deliveries) == [.message(message), .message(message)])
        #expect(try await chat.latestDirectMessages(between: alice.id, and: bob.id) == [message])
        #expect(try await chat.latestDirectMessages(between: bob.id, and: alice.id) == [message])
        #expect(try await chat.latestMessages(in: conversation) == [message])
    }

    @Test func theConversationIDIsTheSameFromEitherSide() throws {
        let low = "00000000-0000-4000-8000-00000000000a"
        let high = "ffffffff-0000-4000-8000-00000000000a"

        #expect(try ChatService.conversationID(between: low, and: high) == "dm:\(low):\(high)")
        #expect(try ChatService.conversationID(between: high, and: low) == "dm:\(low):\(high)")
    }

    @Test func onlyTheTwoParticipantsMaySend() async throws {
        let chat = try await makeService()
        let alice = try await chat.createUser(named: uniqueName("alice"))
        let bob = try await chat.createUser(named: uniqueName("bob"))
        let mallory = try await chat.createUser(named: uniqueName("mallory"))
        let conversation = try ChatService.conversationID(between: alice.id, and: bob.id)

        let reply = try await chat.sendDirectMessage(
            "hi alice", inConversation: conversation, from: bob.id)
        await expectFailure(.notAMember, field: "userID") { () async throws(ChatError) in
            try await chat.sendDirectMessage("hi", inConversation: conversation, from: mallory.id)
        }

        #expect(try await chat.latestMessages(in: conversation) == [reply])
    }

    @Test func directMessagesNeedTwoExistingUsers() async throws {
        let chat = try await makeService()
        let alice = try await chat.createUser(named: uniqueName("alice"))
        let ghost = "00000000-0000-4000-8000-000000000008"

        await expectFailure(.userNotFound, field: "userID") { () async throws(ChatError) in
            try await chat.sendDirectMessage("boo", from: alice.id, to: ghost)
        }
        await expectFailure(.invalidArgument, field: "recipientID") { () async throws(ChatError) in
            try await chat.sendDirectMessage("me", from: alice.id, to: alice.id)
        }
        await expectFailure(.invalidArgument, field: "conversationID") {
            () async throws(ChatError) in
            try await chat.sendDirectMessage("x", inConversation: "dm:b:a", from: alice.id)
        }
    }

    @Test func aConversationKeepsItsHistoryUnderTheCapLikeARoom() async throws {
        let chat = try await makeService(ChatConfiguration(historyLimit: 5))
        let alice = try await chat.createUser(named: uniqueName("alice"))
        let bob = try await chat.createUser(named: uniqueName("bob"))

        for index in 1...8 {
            try await chat.sendDirectMessage("note \(index)", from: alice.id, to: bob.id)
        }

        let conversation = try ChatService.conversationID(between: alice.id, and: bob.id)
        let history = try await chat.latestDirectMessages(between: alice.id, and: bob.id)
        #expect(history.map(\.seq) == Array(4...8))
        #expect(
            try await allKeys(chat.connection, matching: "message:{\(conversation)}:*").count == 5)
    }
}
