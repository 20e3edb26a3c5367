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

    /// A message from one entry of a history page: its id, then the values
    /// of ``MessageScripts/pageFields`` in order (nil for a missing field).
    static func message(paged entry: ArraySlice<RESPValue>, roomID: String) throws(ChatError)
        -> Message
    {
        var values = entry.makeIterator()
        func next(_ what: String) throws(ChatError) -> String? {
            let value = values.next() ?? .null
            if value == .null { return nil }
            guard case .bulkString(let bytes) = value, let text = String(validating: bytes, as: UTF8.self)
            else {
                throw ChatError.corrupt(
                    ChatKeys.roomMessages(roomID), "holds a message whose \(what) is not UTF-8 text")
            }
            return text
        }
        guard let id = try next("id") else {
            throw ChatError.corrupt(ChatKeys.roomMessages(roomID), "holds an entry without an id")
        }
        let key = ChatKeys.message(id, inRoom: roomID)
        let storedRoomID = try next("room_id")
        guard let userID = try next("user_id"), let content = try next("content") else {
            throw ChatError.corrupt(key, "lacks user_id or content")
        }
        guard let timestamp = try next("timestamp").flatMap(ChatTimestamp.parse) else {
            throw ChatError.corrupt(key, "has no RFC 3339 timestamp")
        }
        let seq = try next("seq").flatMap { Int($0) }
        return Message(
            id: id, roomID: storedRoomID ?? roomID, userID: userID, content: content,
            timestamp: timestamp, seq: seq)
    }
}
