import Hiredis

extension ChatService {
    /// Sets the status a user chose and tells every room they are in.
    ///
    /// One script stores the status in `user:{U}`, refreshes the heartbeat
    /// (``UserStatus/online`` and ``UserStatus/away`` mean the client is
    /// there) or ends it (``UserStatus/offline`` means it signed off), and
    /// publishes ``ChatEvent/presenceChanged(userID:roomID:status:)`` on
    /// `presence:{R}` of each of the user's rooms.
    ///
    /// - Parameters:
    ///   - status: the new status.
    ///   - userID: the user.
    /// - Returns: how many rooms were told.
    /// - Throws: ``ChatError/Code-swift.struct/userNotFound``,
    ///   ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    @discardableResult
    public func setStatus(_ status: UserStatus, forUser userID: String) async throws(ChatError)
        -> Int
    {
        try Validation.id(userID, field: "userID")

        let template = ChatEvent.presenceTemplate(userID: userID, status: status)
        let channel = ChatKeys.presenceChannelAffixes
        let heartbeat = status == .offline ? 0 : configuration.presenceTimeout.milliseconds
        let reply = try await run(
            UserScripts.setStatus,
            keys: [ChatKeys.user(userID), ChatKeys.userRooms(userID), ChatKeys.userAlive(userID)],
            arguments: [
                status.rawValue, heartbeat, template.prefix, template.suffix,
                channel.prefix, channel.suffix,
            ],
            about: Subject(userID: userID))
        return Int(reply.integer ?? 0)
    }

    /// Tells the service that a user's client is still there.
    ///
    /// Sets `user:{U}:alive` to expire after
    /// ``ChatConfiguration/presenceTimeout``; a user whose key expired
    /// reads as ``UserStatus/offline``, so a client that crashed or lost
    /// its network goes offline on its own. Call it every third of the
    /// timeout or so. The expiry itself publishes no event.
    ///
    /// - Parameter userID: the user.
    /// - Throws: ``ChatError/Code-swift.struct/userNotFound``,
    ///   ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    public func heartbeat(userID: String) async throws(ChatError) {
        try Validation.id(userID, field: "userID")

        try await run(
            UserScripts.heartbeat,
            keys: [ChatKeys.user(userID), ChatKeys.userAlive(userID)],
            arguments: [configuration.presenceTimeout.milliseconds],
            about: Subject(userID: userID))
    }
}

extension ChatEvent {
    /// The JSON of a PresenceChanged event around its room id, which the
    /// status script fills in for each room: `prefix + "\"R\"" + suffix` is
    /// exactly ``jsonBytes`` of the event for room R.
    static func presenceTemplate(userID: String, status: UserStatus) -> (
        prefix: [UInt8], suffix: [UInt8]
    ) {
        // A NUL room id is written as "\u0000", which no user id or status
        // contains (both are validated), so it marks the one place to cut.
        let marker = Array(#""\u0000""#.utf8)
        let bytes = ChatEvent.presenceChanged(userID: userID, roomID: "\u{0}", status: status)
            .jsonBytes
        guard let start = bytes.firstRange(of: marker) else {
            preconditionFailure("the presence event lost its room id placeholder")
        }
        return (Array(bytes[..<start.lowerBound]), Array(bytes[start.upperBound...]))
    }
}
