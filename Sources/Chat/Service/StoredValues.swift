import Foundation
import Hiredis

/// Turns the hashes the service stores back into models.
enum StoredValues {
    /// The fields of a hash reply (HGETALL), as text.
    static func fields(_ reply: RESPValue, key: String) throws(ChatError) -> [String: String] {
        do {
            return try reply.decode(as: [String: String].self)
        } catch {
            throw ChatError.corrupt(key, "is not a hash of UTF-8 text (\(error.message))")
        }
    }

    /// A user from `user:{U}`, nil when the hash is empty (no such user).
    ///
    /// - Parameter alive: whether `user:{U}:alive` exists; without it the
    ///   user reads as offline whatever status they set.
    static func user(id: String, fields: [String: String], alive: Bool) throws(ChatError) -> User? {
        guard !fields.isEmpty else { return nil }
        guard let name = fields["name"] else {
            throw ChatError.corrupt(ChatKeys.user(id), "has no name")
        }
        let chosen = fields["status"].flatMap(UserStatus.init(word:)) ?? .online
        return User(
            id: id,
            name: name,
            avatar: fields["avatar"].flatMap { $0.isEmpty ? nil : $0 },
            status: alive ? chosen : .offline,
            createdAt: fields["created_at"].flatMap(ChatTimestamp.parse))
    }

    /// A room from `room:{R}`, nil when the hash is empty (no such room).
    static func room(id: String, fields: [String: String]) throws(ChatError) -> Room? {
        guard !fields.isEmpty else { return nil }
        guard let name = fields["name"] else {
            throw ChatError.corrupt(ChatKeys.room(id), "has no name")
        }
        guard let createdAt = fields["created_at"].flatMap(ChatTimestamp.parse) else {
            throw ChatError.corrupt(ChatKeys.room(id), "has no RFC 3339 created_at")
        }
        // The tutorial stores an empty description for none.
        let description = fields["description"].flatMap { $0.isEmpty ? nil : $0 }
        return Room(id: id, name: name, description: description, createdAt: createdAt)
    }

    /// A message from `message:{R}:M`.
    static func message(id: String, roomID: String, fields: [String: String]) throws(ChatError)
        -> Message
    {
        let key = ChatKeys.message(id, inRoom: roomID)
        guard let userID = fields["user_id"], let content = fields["content"] else {
            throw ChatError.corrupt(key, "lacks user_id or content")
        }
        guard let timestamp = fields["timestamp"].flatMap(ChatTimestamp.parse) else {
            throw ChatError.corrupt(key, "has no RFC 3339 timestamp")
        }
        return Message(
            id: id, roomID: fields["room_id"] ?? roomID, userID: userID, content: content,
            timestamp: timestamp, seq: fields["seq"].flatMap { Int($0) })
    }
}
