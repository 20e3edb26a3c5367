import Foundation
import Hiredis

extension ChatService {
    /// Creates a user with a new id, online, with a heartbeat started.
    ///
    /// One script claims `username:{N}`, writes `user:{U}` and sets
    /// `user:{U}:alive`, so the name is never claimed without its user.
    ///
    /// - Parameters:
    ///   - name: 1 to 64 characters, no control characters, no spaces at
    ///     either end; unique among users. Stored in Unicode form C.
    ///   - avatar: a picture reference (URL), up to 2048 bytes, or nil.
    /// - Returns: the new user.
    /// - Throws: ``ChatError`` with ``ChatError/Code-swift.struct/nameTaken``,
    ///   ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/tooLarge`` (field `name` or `avatar`).
    public func createUser(named name: String, avatar: String? = nil) async throws(ChatError)
        -> User
    {
        let name = try Validation.name(name, field: "name")
        let avatar = try Validation.optionalText(
            avatar, field: "avatar", limit: Validation.maximumAvatarBytes,
            allowingLineBreaks: false)

        let createdAt = now()
        let user = User(
            id: newID(), name: name, avatar: avatar, status: .online, createdAt: createdAt)
        var arguments: [any RedisArgument] = [
            user.id, name, UserStatus.online.rawValue, ChatTimestamp.format(createdAt),
            configuration.presenceTimeout.milliseconds,
        ]
        if let avatar { arguments.append(avatar) }

        try await run(
            UserScripts.create,
            keys: [ChatKeys.userName(name), ChatKeys.user(user.id), ChatKeys.userAlive(user.id)],
            arguments: arguments,
            about: Subject(userID: user.id, name: name))
        return user
    }

    /// Reads a user; HGETALL and EXISTS in one round trip.
    ///
    /// - Parameter id: the user's id.
    /// - Returns: the user, with ``UserStatus/offline`` when their heartbeat
    ///   expired; nil when there is no such user.
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` for a
    ///   malformed id, or ``ChatError/Code-swift.struct/redis``.
    public func user(id: String) async throws(ChatError) -> User? {
        try await users(ids: [id]).first
    }

    /// Reads several users in one round trip (one pipeline).
    ///
    /// - Parameter ids: the users' ids.
    /// - Returns: the users that exist, in the order of `ids`.
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` (field
    ///   `userID`) for a malformed id, or ``ChatError/Code-swift.struct/redis``.
    public func users(ids: [String]) async throws(ChatError) -> [User] {
        for id in ids { try Validation.id(id, field: "userID") }

        var pipeline = RedisPipeline()
        for id in ids {
            pipeline.append("HGETALL", ChatKeys.user(id))
            pipeline.append("EXISTS", ChatKeys.userAlive(id))
        }
        let replies = try await execute(pipeline)

        var users: [User] = []
        for (index, id) in ids.enumerated() {
            let fields = try StoredValues.fields(replies[2 * index], key: ChatKeys.user(id))
            let alive = replies[2 * index + 1].integer == 1
            if let user = try StoredValues.user(id: id, fields: fields, alive: alive) {
                users.append(user)
            }
        }
        return users
    }

    /// Finds a user by name; two round trips (the name key, then the user).
    ///
    /// - Parameter name: the exact name, compared after Unicode form C.
    /// - Returns: the user, or nil when no user has the name.
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` when the
    ///   name could not be a user's name, or ``ChatError/Code-swift.struct/redis``.
    public func user(named name: String) async throws(ChatError) -> User? {
        let name = try Validation.name(name, field: "name")

        let reply = try await request(RedisCommand("GET", ChatKeys.userName(name)))
        guard let id = try Self.text(reply, key: ChatKeys.userName(name)) else { return nil }
        return try await user(id: id)
    }

    /// Reads an optional text reply (GET).
    static func text(_ reply: RESPValue, key: String) throws(ChatError) -> String? {
        do {
            return try reply.decode(as: String?.self)
        } catch {
            throw ChatError.corrupt(key, "is not UTF-8 text")
        }
    }
}
