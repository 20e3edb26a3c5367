import Chat
import Foundation
import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer) struct MessageTests {
    @Test func sendingPublishesTheStoredMessageWithItsSeq() async throws {
        let chat = try await makeService()
        let (user, room) = try await makeMemberInRoom(chat)
        let listener = try await listen(to: ChatKeys.roomChannel(room.id))
        defer { listener.stop() }

        let first = try await chat.send("one", to: room.id, from: user.id)
        let second = try await chat.send("two", to: room.id, from: user.id)
        let deliveries = await listener.waitForDeliveries(count: 2)

        #expect(first.seq == 1)
        #expect(second.seq == 2)
        #expect(
            deliveries.map(\.payload) == [first, second].map { ChatEvent.message($0).jsonBytes })
        #expect(try await chat.latestMessages(in: room.id) == [first, second])
        #expect(try await chat.latestSeq(in: room.id) == 2)
    }

    @Test func keepsTheNewestMessagesUpToTheCapAndDeletesTheTrimmedOnes() async throws {
        let chat = try await makeService()
        let (user, room) = try await makeMemberInRoom(chat)

        var sent: [Message] = []
        for index in 1...1010 {
            sent.append(try await chat.send("message \(index)", to: room.id, from: user.id))
        }

        let ids = try await chat.connection.send("LRANGE", ChatKeys.roomMessages(room.id), 0, -1)
            .decode(as: [String].self)
        let hashes = try await allKeys(chat.connection, matching: "message:{\(room.id)}:*")
        let kept = sent.suffix(1000)
        #expect(ids.count == 1000)
        #expect(ids == kept.reversed().map(\.id))
        #expect(Set(hashes) == Set(kept.map { ChatKeys.message($0.id, inRoom: room.id) }))
        for trimmed in sent.prefix(10) {
            let exists = try await chat.connection.send(
                "EXISTS", ChatKeys.message(trimmed.id, inRoom: room.id))
            #expect(exists == .integer(0))
        }
        let newest = try await chat.latestMessages(in: room.id, limit: 1000)
        #expect(newest.map(\.seq) == Array(11...1010))
    }

    @Test func concurrentSendersGetDistinctConsecutiveSeqs() async throws {
        let chat = try await makeService(ChatConfiguration(historyLimit: 150))
        let room = try await chat.createRoom(named: uniqueName("busy"))
        var senders: [User] = []
        for index in 0..<20 {
            let user = try await chat.createUser(named: uniqueName("sender \(index)"))
            try await chat.join(userID: user.id, roomID: room.id)
            senders.append(user)
        }

        let seqs = try await withThrowingTaskGroup(of: [Int].self) { group in
            for sender in senders {
                group.addTask {
                    var seqs: [Int] = []
                    for round in 0..<10 {
                        let message = try await chat.send(
                            "round \(round)", to: room.id, from: sender.id)
                        seqs.append(try #require(message.seq))
                    }
                    return seqs
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }

        #expect(seqs.sorted() == Array(1...200))
        let newer = try await chat.latestMessages(in: room.id, limit: 100)
        let older = try await chat.messages(
            in: room.id, before: try #require(newer.first?.seq), limit: 100)
        let oldest = try await chat.messages(in: room.id, before: try #require(older.first?.seq))
        #expect((older + newer).map(\.seq) == Array(51...200))
        #expect(oldest.isEmpty)
        let listed = try await chat.connection.send("LLEN", ChatKeys.roomMessages(room.id))
        #expect(listed == .integer(150))
        #expect(try await allKeys(chat.connection, matching: "message:{\(room.id)}:*").count == 150)
    }

    @Test func pagesThroughHistoryBackwardAndForwardBySeq() async throws {
        let chat = try await makeService()
        let (user, room) = try await makeMemberInRoom(chat)
        for index in 1...25 { try await chat.send("message \(index)", to: room.id, from: user.id) }

        let latest = try await chat.latestMessages(in: room.id, limit: 10)
        let before16 = try await chat.messages(in: room.id, before: 16, limit: 10)
        let before6 = try await chat.messages(in: room.id, before: 6, limit: 10)
        let before1 = try await chat.messages(in: room.id, before: 1, limit: 10)
        let beforeFuture = try await chat.messages(in: room.id, before: 1000, limit: 3)
        let after0 = try await chat.messages(in: room.id, after: 0, limit: 10)
        let after20 = try await chat.messages(in: room.id, after: 20, limit: 10)
        let after25 = try await chat.messages(in: room.id, after: 25, limit: 10)

        #expect(latest.map(\.seq) == Array(16...25))
        #expect(latest.map(\.content) == (16...25).map { "message \($0)" })
        #expect(before16.map(\.seq) == Array(6...15))
        #expect(before6.map(\.seq) == Array(1...5))
        #expect(before1.isEmpty)
        #expect(beforeFuture.map(\.seq) == [23, 24, 25])
        #expect(after0.map(\.seq) == Array(1...10))
        #expect(after20.map(\.seq) == Array(21...25))
        #expect(after25.isEmpty)
    }

    @Test func aPageAfterACursorBelowTheTrimmedHistoryStartsAtTheOldestKept() async throws {
        let chat = try await makeService(ChatConfiguration(historyLimit: 20))
        let (user, room) = try await makeMemberInRoom(chat)
        for index in 1...30 { try await chat.send("message \(index)", to: room.id, from: user.id) }

        // Seqs 11 to 30 are kept.
        let after0 = try await chat.messages(in: room.id, after: 0, limit: 5)
        let after8 = try await chat.messages(in: room.id, after: 8, limit: 5)
        let after9 = try await chat.messages(in: room.id, after: 9, limit: 15)
        let after10 = try await chat.messages(in: room.id, after: 10, limit: 50)
        let after28 = try await chat.messages(in: room.id, after: 28, limit: 5)

        #expect(after0.map(\.seq) == Array(11...15))
        #expect(after8.map(\.seq) == Array(11...15))
        #expect(after9.map(\.seq) == Array(11...25))
        #expect(after10.map(\.seq) == Array(11...30))
        #expect(after28.map(\.seq) == [29, 30])
    }

    @Test func aSeqThatIsNotANumberFailsEveryPageReadAsCorrupt() async throws {
        let chat = try await makeService()
        let (user, room) = try await makeMemberInRoom(chat)
        try await chat.send("hello", to: room.id, from: user.id)
        try await chat.connection.send("SET", ChatKeys.roomSeq(room.id), "many")

        let failures = [
            await expectFailure(.redis) { () async throws(ChatError) in
                try await chat.latestMessages(in: room.id)
            },
            await expectFailure(.redis) { () async throws(ChatError) in
                try await chat.messages(in: room.id, before: 5)
            },
            await expectFailure(.redis) { () async throws(ChatError) in
                try await chat.messages(in: room.id, after: 0)
            },
        ]
        for failure in failures {
            #expect(
                failure?.message.contains("\(ChatKeys.roomSeq(room.id)) is not a number") == true)
        }
    }

    @Test func historyOfAnEmptyRoomIsEmptyAndOfAnUnknownRoomFails() async throws {
        let chat = try await makeService()
        let room = try await chat.createRoom(named: uniqueName("quiet"))

        #expect(try await chat.latestMessages(in: room.id).isEmpty)
        #expect(try await chat.latestSeq(in: room.id) == 0)
        await expectFailure(.roomNotFound, field: "roomID") { () async throws(ChatError) in
            try await chat.latestMessages(in: "00000000-0000-4000-8000-000000000005")
        }
        await expectFailure(.invalidArgument, field: "limit") { () async throws(ChatError) in
            try await chat.latestMessages(in: room.id, limit: 0)
        }
    }

    @Test func contentOfAnyUTF8UpToTheCapComesBackByteForByte() async throws {
        let chat = try await makeService(ChatConfiguration(maximumContentBytes: 64))
        let (user, room) = try await makeMemberInRoom(chat)
        let contents = [
            "x",
            "émoji 👋🏽 and \"quotes\" \\ / \n\t\u{0}",
            String(repeating: "é", count: 32),
        ]

        for content in contents {
            try await chat.send(content, to: room.id, from: user.id)
        }

        #expect(try await chat.latestMessages(in: room.id).map(\.content) == contents)
    }

    @Test func sendingEndsTheSendersTypingIndicator() async throws {
        let chat = try await makeService()
        let (user, room) = try await makeMemberInRoom(chat)
        try await chat.startTyping(userID: user.id, roomID: room.id)

        try await chat.send("done typing", to: room.id, from: user.id)

        #expect(try await chat.typingUserIDs(roomID: room.id).isEmpty)
    }
}
