import Foundation

/// One message in a room or a direct conversation.
///
/// Encodes with snake_case keys: `id`, `room_id`, `user_id`, `content`,
/// `timestamp` (RFC 3339, UTC, milliseconds) and `seq`.
public struct Message: Sendable, Hashable, Codable {
    /// The message's id: a lowercase UUID.
    public var id: String
    /// The room, or the direct conversation (`dm:A:B`), it was sent to.
    public var roomID: String
    /// The sender.
    public var userID: String
    /// The text, 1 byte up to the configured cap, any UTF-8.
    public var content: String
    /// When the service accepted it, to the millisecond.
    public var timestamp: Date
    /// The message's place in its room: 1 for the first message, one more
    /// for each after it, never reused. Nil only for messages from a
    /// producer that does not number them (the tutorial's program).
    public var seq: Int?

    /// A message from its fields.
    public init(
        id: String, roomID: String, userID: String, content: String, timestamp: Date,
        seq: Int? = nil
    ) {
        self.id = id
        self.roomID = roomID
        self.userID = userID
        self.content = content
        self.timestamp = timestamp
        self.seq = seq
    }

    enum CodingKeys: String, CodingKey {
        case id
        case roomID = "room_id"
        case userID = "user_id"
        case content, timestamp, seq
    }

    /// Reads a message; `timestamp` must be RFC 3339 and `seq` may be missing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        roomID = try container.decode(String.self, forKey: .roomID)
        userID = try container.decode(String.self, forKey: .userID)
        content = try container.decode(String.self, forKey: .content)
        timestamp = try container.decodeTimestamp(forKey: .timestamp)
        seq = try container.decodeIfPresent(Int.self, forKey: .seq)
    }

    /// Writes the message; a nil `seq` is left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(roomID, forKey: .roomID)
        try container.encode(userID, forKey: .userID)
        try container.encode(content, forKey: .content)
        try container.encode(ChatTimestamp.format(timestamp), forKey: .timestamp)
        try container.encodeIfPresent(seq, forKey: .seq)
    }
}
