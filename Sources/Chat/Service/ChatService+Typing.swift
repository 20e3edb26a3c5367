import Hiredis

extension ChatService {
    /// Shows that a member is typing, or keeps showing it.
    ///
    /// The indicator lasts ``ChatConfiguration/typingTimeout`` from this call
    /// by the server's clock, independently of everyone else's; call it
    /// again while the user keeps typing. Publishes
    /// ``ChatEvent/typingStarted(userID:roomID:)`` on `typing:{R}` when the
    /// user was not shown as typing, and nothing on a refresh.
    ///
    /// - Parameters:
    ///   - userID: a member of the room.
    ///   - roomID: the room.
    /// - Throws: ``ChatError/Code-swift.struct/roomNotFound``,
    ///   ``ChatError/Code-swift.struct/notAMember``,
    ///   ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    public func startTyping(userID: String, roomID: String) async throws(ChatError) {
        try Validation.id(userID, field: "userID")
        try Validation.id(roomID, field: "roomID")

        let event = ChatEvent.typingStarted(userID: userID, roomID: roomID)
        try await run(
            TypingScripts.start,
            keys: [
                ChatKeys.room(roomID), ChatKeys.roomMembers(roomID), ChatKeys.roomTyping(roomID),
            ],
            arguments: [
                userID, configuration.typingTimeout.milliseconds, ChatKeys.typingChannel(roomID),
                event.jsonBytes,
            ],
            about: Subject(userID: userID, roomID: roomID))
    }

    /// Stops showing that a user is typing, and publishes
    /// ``ChatEvent/typingStopped(userID:roomID:)`` on `typing:{R}` when the
    /// indicator was still showing. Sending a message does this too.
    ///
    /// - Parameters:
    ///   - userID: the user.
    ///   - roomID: the room.
    /// - Throws: ``ChatError/Code-swift.struct/roomNotFound``,
    ///   ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    public func stopTyping(userID: String, roomID: String) async throws(ChatError) {
        try Validation.id(userID, field: "userID")
        try Validation.id(roomID, field: "roomID")

        let event = ChatEvent.typingStopped(userID: userID, roomID: roomID)
        try await run(
            TypingScripts.stop,
            keys: [ChatKeys.room(roomID), ChatKeys.roomTyping(roomID)],
            arguments: [userID, ChatKeys.typingChannel(roomID), event.jsonBytes],
            about: Subject(userID: userID, roomID: roomID))
    }

    /// The users shown as typing in a room, in ascending order of id; an
    /// expired indicator is never listed. One round trip (a read-only script
    /// that compares with the server's clock).
    ///
    /// - Parameter roomID: the room.
    /// - Throws: ``ChatError/Code-swift.struct/roomNotFound``,
    ///   ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    public func typingUserIDs(roomID: String) async throws(ChatError) -> [String] {
        try Validation.id(roomID, field: "roomID")

        let reply = try await run(
            TypingScripts.list,
            keys: [ChatKeys.room(roomID), ChatKeys.roomTyping(roomID)],
            arguments: [],
            about: Subject(roomID: roomID))
        do {
            return try reply.decode(as: [String].self).sorted()
        } catch {
            throw ChatError.corrupt(ChatKeys.roomTyping(roomID), "is not a set of user ids")
        }
    }
}
