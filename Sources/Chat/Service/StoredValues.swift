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
    /// of ``MessageScripts/pageFields`` in order (null for a missing field).
    ///
    /// Every page decodes fifty of these, so the fields are read straight
    /// from the reply's bytes, and error text is built only on failure.
    static func message(paged entry: ArraySlice<RESPValue>, roomID: String) throws(ChatError)
        -> Message
    {
        let first = entry.startIndex
        guard let id = try pagedText(entry[first], "id", roomID: roomID) else {
            throw ChatError.corrupt(ChatKeys.roomMessages(roomID), "holds an entry without an id")
        }
        guard let userID = try pagedText(entry[first + 1], "user_id", roomID: roomID),
            let content = try pagedText(entry[first + 2], "content", roomID: roomID)
        else {
            throw ChatError.corrupt(
                ChatKeys.message(id, inRoom: roomID), "lacks user_id or content")
        }
        guard case .bulkString(let stamp) = entry[first + 3],
            let timestamp = ChatTimestamp.parse(utf8: stamp)
        else {
            throw ChatError.corrupt(
                ChatKeys.message(id, inRoom: roomID), "has no RFC 3339 timestamp")
        }
        let seq = try pagedText(entry[first + 4], "seq", roomID: roomID).flatMap { Int($0) }
        return Message(
            id: id, roomID: roomID, userID: userID, content: content, timestamp: timestamp,
            seq: seq)
    }

    /// A value of a history page as text: nil for a null (a missing field).
    private static func pagedText(_ value: RESPValue, _ field: String, roomID: String)
        throws(ChatError) -> String?
    {
        switch value {
        case .null:
            return nil
        case .bulkString(let bytes):
            if let text = String(validUTF8: bytes) { return text }
        default:
            break
        }
        throw ChatError.corrupt(
            ChatKeys.roomMessages(roomID), "holds a message whose \(field) is not UTF-8 text")
    }
}
