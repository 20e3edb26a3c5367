import Hiredis

extension ChatService {
    /// Creates a room with a new id and adds it to the `rooms` index.
    ///
    /// One script claims `roomname:{N}`, writes `room:{R}` and adds the id to
    /// `rooms`, so the name is never claimed without its room.
    ///
    /// - Parameters:
    ///   - name: 1 to 64 characters, no control characters, no spaces at
    ///     either end; unique among rooms. Stored in Unicode form C.
    ///   - description: up to 1024 bytes, line breaks allowed; nil or empty
    ///     for none.
    /// - Returns: the new room.
    /// - Throws: ``ChatError`` with ``ChatError/Code-swift.struct/nameTaken``,
    ///   ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/tooLarge`` (field `name` or `description`).
    public func createRoom(named name: String, description: String? = nil) async throws(ChatError)
        -> Room
    {
        let name = try Validation.name(name, field: "name")
        let description = try Validation.optionalText(
            description, field: "description", limit: Validation.maximumDescriptionBytes,
            allowingLineBreaks: true)

        let room = Room(id: newID(), name: name, description: description, createdAt: now())
        var arguments: [any RedisArgument] = [room.id, name, ChatTimestamp.format(room.createdAt)]
        if let description { arguments.append(description) }

        try await run(
            RoomScripts.create,
            keys: [ChatKeys.roomName(name), ChatKeys.room(room.id), ChatKeys.rooms],
            arguments: arguments,
            about: Subject(roomID: room.id, name: name))
        return room
    }

    /// Reads a room (HGETALL).
    ///
    /// - Parameter id: the room's id.
    /// - Returns: the room, or nil when there is no such room.
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` for a
    ///   malformed id, or ``ChatError/Code-swift.struct/redis``.
    public func room(id: String) async throws(ChatError) -> Room? {
        try Validation.id(id, field: "roomID")

        let reply = try await request(RedisCommand("HGETALL", ChatKeys.room(id)))
        return try StoredValues.room(
            id: id, fields: try StoredValues.fields(reply, key: ChatKeys.room(id)))
    }

    /// Finds a room by name; two round trips (the name key, then the room).
    ///
    /// - Parameter name: the exact name, compared after Unicode form C.
    /// - Returns: the room, or nil when no room has the name.
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` when the
    ///   name could not be a room's name, or ``ChatError/Code-swift.struct/redis``.
    public func room(named name: String) async throws(ChatError) -> Room? {
        let name = try Validation.name(name, field: "name")

        let reply = try await request(RedisCommand("GET", ChatKeys.roomName(name)))
        guard let id = try Self.text(reply, key: ChatKeys.roomName(name)) else { return nil }
        return try await room(id: id)
    }

    /// Lists every room, ordered by name (then id); two round trips (the
    /// `rooms` set, then the rooms in one pipeline).
    ///
    /// - Throws: ``ChatError/Code-swift.struct/redis``.
    public func rooms() async throws(ChatError) -> [Room] {
        let ids = try await members(of: ChatKeys.rooms)

        var pipeline = RedisPipeline()
        for id in ids { pipeline.append("HGETALL", ChatKeys.room(id)) }
        let replies = try await execute(pipeline)

        var rooms: [Room] = []
        for (id, reply) in zip(ids, replies) {
            let fields = try StoredValues.fields(reply, key: ChatKeys.room(id))
            if let room = try StoredValues.room(id: id, fields: fields) { rooms.append(room) }
        }
        return rooms.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// Adds a user to a room and publishes
    /// ``ChatEvent/userJoined(userID:roomID:)`` on `chat:room:{R}`.
    ///
    /// One script checks that both exist, adds the user to
    /// `room:{R}:members` and the room to `user:{U}:rooms`, and publishes,
    /// all at once. Joining a room twice changes nothing and publishes
    /// nothing the second time.
    ///
    /// - Parameters:
    ///   - userID: the user.
    ///   - roomID: the room.
    /// - Returns: true when the user joined, false when they were a member.
    /// - Throws: ``ChatError/Code-swift.struct/userNotFound``,
    ///   ``ChatError/Code-swift.struct/roomNotFound``,
    ///   ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    @discardableResult
    public func join(userID: String, roomID: String) async throws(ChatError) -> Bool {
        try Validation.id(userID, field: "userID")
        try Validation.id(roomID, field: "roomID")

        let event = ChatEvent.userJoined(userID: userID, roomID: roomID)
        let reply = try await run(
            RoomScripts.join,
            keys: [
                ChatKeys.user(userID), ChatKeys.userRooms(userID),
                ChatKeys.room(roomID), ChatKeys.roomMembers(roomID),
            ],
            arguments: [userID, roomID, ChatKeys.roomChannel(roomID), event.jsonBytes],
            about: Subject(userID: userID, roomID: roomID))
        return reply.integer == 1
    }

    /// Removes a user from a room, ends their typing indicator there, and
    /// publishes ``ChatEvent/userLeft(userID:roomID:)`` on `chat:room:{R}`.
    ///
    /// One script, like ``join(userID:roomID:)``. Leaving a room one is not
    /// in changes nothing and publishes nothing.
    ///
    /// - Parameters:
    ///   - userID: the user.
    ///   - roomID: the room.
    /// - Returns: true when the user left, false when they were not a member.
    /// - Throws: ``ChatError/Code-swift.struct/userNotFound``,
    ///   ``ChatError/Code-swift.struct/roomNotFound``,
    ///   ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    @discardableResult
    public func leave(userID: String, roomID: String) async throws(ChatError) -> Bool {
        try Validation.id(userID, field: "userID")
        try Validation.id(roomID, field: "roomID")

        let event = ChatEvent.userLeft(userID: userID, roomID: roomID)
        let reply = try await run(
            RoomScripts.leave,
            keys: [
                ChatKeys.user(userID), ChatKeys.userRooms(userID),
                ChatKeys.room(roomID), ChatKeys.roomMembers(roomID), ChatKeys.roomTyping(roomID),
            ],
            arguments: [userID, roomID, ChatKeys.roomChannel(roomID), event.jsonBytes],
            about: Subject(userID: userID, roomID: roomID))
        return reply.integer == 1
    }

    /// The ids of a room's members, in ascending order of id (SMEMBERS).
    ///
    /// - Parameter roomID: the room.
    /// - Returns: the ids; empty for a room with no members or no room.
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    public func memberIDs(roomID: String) async throws(ChatError) -> [String] {
        try Validation.id(roomID, field: "roomID")

        return try await members(of: ChatKeys.roomMembers(roomID))
    }

    /// A room's members with their current status, ordered by name, then id.
    ///
    /// Two round trips: the member set, then every member's hash and
    /// heartbeat in one pipeline. (One script cannot do it: the member keys
    /// are known only once the set is read, and scripts get their keys up
    /// front.)
    ///
    /// - Parameter roomID: the room.
    /// - Returns: the members.
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    public func members(roomID: String) async throws(ChatError) -> [User] {
        let ids = try await memberIDs(roomID: roomID)

        let users = try await users(ids: ids)
        return users.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// The ids of the rooms a user joined, in ascending order (SMEMBERS).
    ///
    /// - Parameter userID: the user.
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    public func roomIDs(userID: String) async throws(ChatError) -> [String] {
        try Validation.id(userID, field: "userID")

        return try await members(of: ChatKeys.userRooms(userID))
    }

    /// The members of a set as text, sorted.
    private func members(of key: String) async throws(ChatError) -> [String] {
        let reply = try await request(RedisCommand("SMEMBERS", key))
        do {
            return try reply.decode(as: [String].self).sorted()
        } catch {
            throw ChatError.corrupt(key, "is not a set of UTF-8 text")
        }
    }
}
