import Chat
import Foundation
import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer) struct LiveEventTests {
    @Test func aRoomStreamCarriesEveryKindOfRoomEvent() async throws {
        let chat = try await makeService()
        let live = try await connectSubscriber(chat)
        let (alice, room) = try await makeMemberInRoom(chat)
        let bob = try await chat.createUser(named: uniqueName("bob"))
        let stream = try await live.events(inRoom: room.id)

        try await chat.join(userID: bob.id, roomID: room.id)
        try await chat.startTyping(userID: alice.id, roomID: room.id)
        let message = try await chat.send("hello", to: room.id, from: alice.id)
        try await chat.setStatus(.away, forUser: bob.id)
        try await chat.leave(userID: bob.id, roomID: room.id)

        let events = try await take(5, from: stream)
        #expect(
            events == [
                .userJoined(userID: bob.id, roomID: room.id),
                .typingStarted(userID: alice.id, roomID: room.id),
                .message(message),
                .presenceChanged(userID: bob.id, roomID: room.id, status: .away),
                .userLeft(userID: bob.id, roomID: room.id),
            ])
        await live.close()
    }

    @Test func aConsumerThatFellBehindItsBufferStillSeesEveryMessageInOrder() async throws {
        let chat = try await makeService()
        var options = RedisSubscriberOptions()
        options.bufferLimit = RedisSubscription.BufferLimit(messages: 4)
        let live = try await connectSubscriber(chat, options: options)
        let (alice, room) = try await makeMemberInRoom(chat)
        let stream = try await live.events(inRoom: room.id)

        var sent: [Message] = []
        for index in 1...40 {
            sent.append(try await chat.send("message \(index)", to: room.id, from: alice.id))
        }
        let received = try await take(40, from: stream)

        #expect(received == sent.map(ChatEvent.message))
        await live.close()
    }

    /// Further behind than the history keeps: the stream backfills from the
    /// oldest message still stored, not from where it fell behind.
    @Test(.timeLimit(.minutes(1)))
    func aConsumerFurtherBehindThanTheHistoryGetsEveryMessageStillKept() async throws {
        let chat = try await makeService(ChatConfiguration(historyLimit: 20))
        var options = RedisSubscriberOptions()
        options.bufferLimit = RedisSubscription.BufferLimit(messages: 4)
        let live = try await connectSubscriber(chat, options: options)
        let (alice, room) = try await makeMemberInRoom(chat)
        var events = try await live.events(inRoom: room.id).makeAsyncIterator()

        let first = try await chat.send("message 1", to: room.id, from: alice.id)
        #expect(try await events.next() == .message(first))
        for index in 2...300 {
            try await chat.send("message \(index)", to: room.id, from: alice.id)
        }
        // The buffer kept 297 to 300; the history keeps 281 to 300.
        var seqs: [Int] = []
        while seqs.count < 20, let event = try await events.next() {
            if case .message(let message) = event { seqs.append(message.seq ?? 0) }
        }

        #expect(seqs == Array(281...300))
        await live.close()
    }

    @Test func iteratingAgainGoesOnWhereTheLastIteratorStopped() async throws {
        let chat = try await makeService()
        let live = try await connectSubscriber(chat)
        let (alice, room) = try await makeMemberInRoom(chat)
        let stream = try await live.events(inRoom: room.id)

        let first = try await chat.send("one", to: room.id, from: alice.id)
        #expect(try await take(1, from: stream) == [.message(first)])
        let second = try await chat.send("two", to: room.id, from: alice.id)
        #expect(try await take(1, from: stream) == [.message(second)])
        await live.close()
    }

    /// A consumer cancelled while the stream reads history loses nothing,
    /// and is given nothing twice, when it iterates again.
    @Test(.timeLimit(.minutes(1)))
    func aConsumerCancelledDuringABackfillGetsEveryMessageOnceAfterwards() async throws {
        let chat = try await makeService()
        let admin = try await RedisServerTrait.connect()
        var options = RedisSubscriberOptions()
        options.bufferLimit = RedisSubscription.BufferLimit(messages: 4)
        let live = try await connectSubscriber(chat, options: options)
        let (alice, room) = try await makeMemberInRoom(chat)
        let stream = try await live.events(inRoom: room.id)

        var sent = [try await chat.send("message 1", to: room.id, from: alice.id)]
        #expect(try await take(1, from: stream) == [.message(sent[0])])
        for index in 2...30 {
            sent.append(try await chat.send("message \(index)", to: room.id, from: alice.id))
        }
        // Scripts wait while writes are paused, so the backfill's page read
        // waits, and the consumer is cancelled there. (Cancelled while it
        // waits for the next event instead, it would end the subscription.)
        let service = try await chat.connection.send("CLIENT", "ID").decode(as: Int.self)
        try await admin.send("CLIENT", "PAUSE", 30_000, "WRITE")
        let consumer = Task { try await take(30, from: stream) }
        while true {
            let clients = try await admin.send("CLIENT", "LIST").decode(as: String.self)
            let line = clients.split(separator: "\n").first { $0.hasPrefix("id=\(service) ") }
            // EVALSHA, or EVAL where the server did not have the script yet.
            if let line, line.contains(" flags=b"), line.contains(" cmd=eval") { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        consumer.cancel()
        _ = await consumer.result
        try await admin.send("CLIENT", "UNPAUSE")

        sent.append(try await chat.send("message 31", to: room.id, from: alice.id))
        let received = try await take(30, from: stream)
        #expect(received == sent.dropFirst().map(ChatEvent.message))
        await live.close()
        await admin.close()
    }

    @Test func aDirectMessageReachesBothParticipantsStreams() async throws {
        let chat = try await makeService()
        let live = try await connectSubscriber(chat)
        let alice = try await chat.createUser(named: uniqueName("alice"))
        let bob = try await chat.createUser(named: uniqueName("bob"))
        let carol = try await chat.createUser(named: uniqueName("carol"))
        let toAlice = try await live.directMessages(forUser: alice.id)
        let toBob = try await live.directMessages(forUser: bob.id)
        let toCarol = try await live.directMessages(forUser: carol.id)

        let message = try await chat.sendDirectMessage("psst", from: bob.id, to: alice.id)
        let marker = try await chat.sendDirectMessage("only carol", from: bob.id, to: carol.id)

        #expect(try await take(1, from: toAlice) == [.message(message)])
        #expect(try await take(2, from: toBob) == [.message(message), .message(marker)])
        #expect(try await take(1, from: toCarol) == [.message(marker)])
        await live.close()
    }

    @Test func aPayloadThatIsNotAnEventIsCountedAndTheStreamGoesOn() async throws {
        let chat = try await makeService()
        let live = try await connectSubscriber(chat)
        let (alice, room) = try await makeMemberInRoom(chat)
        let stream = try await live.events(inRoom: room.id)

        try await chat.connection.send("PUBLISH", ChatKeys.roomChannel(room.id), "not json")
        let message = try await chat.send("after the noise", to: room.id, from: alice.id)

        #expect(try await take(1, from: stream) == [.message(message)])
        #expect(live.undecodableEventCount == 1)
        await live.close()
    }

    @Test func aMalformedRoomIdIsRefusedBeforeSubscribing() async throws {
        let chat = try await makeService()
        let live = try await connectSubscriber(chat)
        await expectFailure(.invalidArgument, field: "roomID") { () async throws(ChatError) in
            try await live.events(inRoom: "room:{*}")
        }
        await live.close()
    }
}

/// Its own server: killing every pub/sub client would disturb other suites' tests.
@Suite(.redisServer) struct LiveEventReconnectTests {
    @Test func messagesSentWhileTheConnectionWasKilledArriveOnceAndInOrder() async throws {
        let chat = try await makeService()
        let live = try await connectSubscriber(chat)
        let (alice, room) = try await makeMemberInRoom(chat)
        let stream = try await live.events(inRoom: room.id)

        let channel = ChatKeys.roomChannel(room.id)
        let sender = Task {
            var sent: [Message] = []
            for index in 1...50 {
                sent.append(try await chat.send("message \(index)", to: room.id, from: alice.id))
                if index == 10 || index == 30 {
                    // Wait for the subscriber to be back from the last kill first.
                    while try await chat.connection.send("PUBSUB", "NUMSUB", channel).array?.last
                        != .integer(1)
                    {
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    let killed = try await chat.connection.send("CLIENT", "KILL", "TYPE", "pubsub")
                    #expect(killed == .integer(1))
                }
            }
            return sent
        }
        let received = try await take(50, from: stream)
        let sent = try await sender.value

        #expect(received == sent.map(ChatEvent.message))
        await live.close()
    }
}

/// Reads `count` events from a stream, failing the test if they take too long.
func take(
    _ count: Int, from stream: ChatEventStream, within timeout: Duration = .seconds(20)
) async throws -> [ChatEvent] {
    try await withThrowingTaskGroup(of: [ChatEvent]?.self) { group in
        group.addTask {
            var events: [ChatEvent] = []
            for try await event in stream {
                events.append(event)
                if events.count == count { break }
            }
            return events
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let first = try await group.next() ?? nil
        group.cancelAll()
        return try #require(first, "only part of \(count) events arrived in \(timeout)")
    }
}

func connectSubscriber(
    _ chat: ChatService, options: RedisSubscriberOptions = RedisSubscriberOptions()
) async throws -> ChatSubscriber {
    try await ChatSubscriber.connect(
        try RedisServerTrait.configuration(), service: chat, options: options)
}
