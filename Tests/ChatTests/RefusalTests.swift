import Chat
import Hiredis
import RedisTestSupport
import Testing

/// Each refused call must leave every key as it was: the suite compares a
/// dump of the whole server before and after, so its tests run one by one.
@Suite(.redisServer, .serialized) struct RefusalTests {
    private static let limit = 1024

    /// Who and what a refused call is tried on.
    struct Cast {
        var member: User
        var outsider: User
        var room: Room
    }

    private func refusal(
        _ code: ChatError.Code, field: String,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ attempt: (ChatService, Cast) async throws(ChatError) -> Void
    ) async throws {
        let chat = try await makeService(ChatConfiguration(maximumContentBytes: Self.limit))
        let (member, room) = try await makeMemberInRoom(chat)
        let outsider = try await chat.createUser(named: uniqueName("outsider"))
        let cast = Cast(member: member, outsider: outsider, room: room)
        try await chat.send("already here", to: room.id, from: member.id)
        try await chat.startTyping(userID: member.id, roomID: room.id)
        let before = try await keyDump(chat.connection)

        await expectFailure(code, field: field, sourceLocation: sourceLocation) {
            () async throws(ChatError) in
            try await attempt(chat, cast)
        }

        let after = try await keyDump(chat.connection)
        #expect(after == before, "the refused call changed keys", sourceLocation: sourceLocation)
    }

    @Test func aNonMembersMessageFailsAndChangesNothing() async throws {
        try await refusal(.notAMember, field: "userID") { chat, cast throws(ChatError) in
            try await chat.send("let me in", to: cast.room.id, from: cast.outsider.id)
        }
    }

    @Test func aMessageToAnUnknownRoomFailsAndChangesNothing() async throws {
        try await refusal(.roomNotFound, field: "roomID") { chat, cast throws(ChatError) in
            try await chat.send(
                "anyone?", to: "00000000-0000-4000-8000-000000000006", from: cast.member.id)
        }
    }

    @Test func anEmptyMessageFailsAndChangesNothing() async throws {
        try await refusal(.invalidArgument, field: "content") { chat, cast throws(ChatError) in
            try await chat.send("", to: cast.room.id, from: cast.member.id)
        }
    }

    @Test func aMessageOneByteOverTheCapFailsAndChangesNothing() async throws {
        try await refusal(.tooLarge, field: "content") { chat, cast throws(ChatError) in
            // 1023 bytes and a two-byte character: one byte over.
            let content = String(repeating: "a", count: Self.limit - 1) + "é"
            try await chat.send(content, to: cast.room.id, from: cast.member.id)
        }
    }

    @Test func aDirectMessageFromOutsideTheConversationFailsAndChangesNothing() async throws {
        try await refusal(.notAMember, field: "userID") { chat, cast throws(ChatError) in
            let conversation = try ChatService.conversationID(
                between: cast.member.id, and: cast.outsider.id)
            try await chat.sendDirectMessage(
                "hello", inConversation: conversation, from: "00000000-0000-4000-8000-000000000007")
        }
    }

    @Test func typingInARoomOneIsNotInFailsAndChangesNothing() async throws {
        try await refusal(.notAMember, field: "userID") { chat, cast throws(ChatError) in
            try await chat.startTyping(userID: cast.outsider.id, roomID: cast.room.id)
        }
    }
}
