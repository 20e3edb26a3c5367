import Hiredis

extension ChatService {
    /// The conversation id of two users: `dm:A:B` with the smaller id first,
    /// so both name the same conversation.
    ///
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` for a
    ///   malformed id, or when both ids are the same user.
    public static func conversationID(between userID: String, and otherUserID: String)
        throws(ChatError) -> String
    {
        try Validation.id(userID, field: "userID")
        try Validation.id(otherUserID, field: "recipientID")
        guard userID != otherUserID else {
            throw ChatError.invalid("recipientID", "is the sender; a conversation needs two users")
        }
        return ChatKeys.conversationID(userID, otherUserID)
    }

    /// Sends a direct message from one user to another.
    ///
    /// Checks that both users exist (users are never deleted, so the check
    /// still holds when the script runs), then one script stores the message
    /// in the conversation `dm:A:B`, trims it like a room, and publishes
    /// ``ChatEvent/message(_:)`` on `dm:{A}` and `dm:{B}`. The message's
    /// ``Message/roomID`` is the conversation id. Two round trips.
    ///
    /// - Parameters:
    ///   - content: 1 byte up to ``ChatConfiguration/maximumContentBytes``.
    ///   - senderID: who sends it.
    ///   - recipientID: who receives it; not the sender.
    /// - Returns: the stored message, seq included.
    /// - Throws: ``ChatError/Code-swift.struct/userNotFound``,
    ///   ``ChatError/Code-swift.struct/invalidArgument``,
    ///   ``ChatError/Code-swift.struct/tooLarge`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    @discardableResult
    public func sendDirectMessage(_ content: String, from senderID: String, to recipientID: String)
        async throws(ChatError) -> Message
    {
        let conversationID = try Self.conversationID(between: senderID, and: recipientID)
        return try await sendDirectMessage(content, inConversation: conversationID, from: senderID)
    }

    /// Sends a direct message in a conversation; only its two participants
    /// may.
    ///
    /// - Parameters:
    ///   - content: 1 byte up to ``ChatConfiguration/maximumContentBytes``.
    ///   - conversationID: `dm:A:B`, as ``conversationID(between:and:)`` makes it.
    ///   - senderID: A or B.
    /// - Returns: the stored message, seq included.
    /// - Throws: ``ChatError/Code-swift.struct/notAMember`` when the sender is
    ///   not a participant, ``ChatError/Code-swift.struct/userNotFound``,
    ///   ``ChatError/Code-swift.struct/invalidArgument``,
    ///   ``ChatError/Code-swift.struct/tooLarge`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    @discardableResult
    public func sendDirectMessage(
        _ content: String, inConversation conversationID: String, from senderID: String
    ) async throws(ChatError) -> Message {
        let participants = try Validation.conversationID(conversationID, field: "conversationID")
        try Validation.id(senderID, field: "userID")
        guard senderID == participants.0 || senderID == participants.1 else {
            throw ChatError.notAMember(userID: senderID, roomID: conversationID)
        }
        try Validation.content(content, limit: configuration.maximumContentBytes)

        try await requireUsers([participants.0, participants.1])

        var message = Message(
            id: newID(), roomID: conversationID, userID: senderID, content: content,
            timestamp: now())
        var arguments = storeArguments(for: message)
        arguments += [
            ChatKeys.directChannel(participants.0), ChatKeys.directChannel(participants.1),
        ]
        let reply = try await run(
            MessageScripts.sendDirect, keys: storeKeys(for: message), arguments: arguments,
            about: Subject(userID: senderID, roomID: conversationID))
        message.seq = try Self.seq(from: reply)
        return message
    }

    /// The newest direct messages between two users, oldest first; see
    /// ``latestMessages(in:limit:)`` and, for older pages,
    /// ``messages(in:before:limit:)`` with the conversation id.
    ///
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    public func latestDirectMessages(
        between userID: String, and otherUserID: String, limit: Int = 50
    ) async throws(ChatError) -> [Message] {
        let conversationID = try Self.conversationID(between: userID, and: otherUserID)
        return try await latestMessages(in: conversationID, limit: limit)
    }

    /// Throws ``ChatError/Code-swift.struct/userNotFound`` for the first
    /// id without a user; one pipeline of EXISTS.
    private func requireUsers(_ ids: [String]) async throws(ChatError) {
        var pipeline = RedisPipeline()
        for id in ids { pipeline.append("EXISTS", ChatKeys.user(id)) }
        let replies = try await execute(pipeline)

        for (id, reply) in zip(ids, replies) where reply.integer != 1 {
            throw ChatError.userNotFound(id)
        }
    }
}
