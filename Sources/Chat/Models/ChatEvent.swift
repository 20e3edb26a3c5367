import Foundation

/// Something that happened in a room or a direct conversation, as it
/// travels over pub/sub.
///
/// On the wire an event is a JSON object tagged by `"type"`, with the
/// fields of its case in snake_case beside the tag (serde's
/// `#[serde(tag = "type")]`), so the tutorial's Rust program and this
/// library read each other's events:
///
/// ```
/// {"type":"Message","id":"…","room_id":"…","user_id":"…","content":"…",
///  "timestamp":"2026-01-02T03:04:05.678Z","seq":42}
/// {"type":"UserJoined","user_id":"…","room_id":"…"}
/// {"type":"TypingStarted","user_id":"…","room_id":"…"}
/// {"type":"PresenceChanged","user_id":"…","room_id":"…","status":"online"}
/// ```
///
/// Any `Encoder` writes these fields; ``jsonData`` writes them in the
/// order above, which is what the service publishes. Decoding accepts the
/// Rust program's events, which lack `seq` on messages and `room_id` on
/// typing events.
public enum ChatEvent: Sendable, Hashable, Codable {
    /// A message was posted; published on `chat:room:{R}`, or on `dm:{U}`
    /// of both participants for a direct message.
    case message(Message)
    /// A user joined a room; published on `chat:room:{R}`.
    case userJoined(userID: String, roomID: String)
    /// A user left a room; published on `chat:room:{R}`.
    case userLeft(userID: String, roomID: String)
    /// A member started typing; published on `typing:{R}`. The room is nil
    /// only in events from the tutorial's program.
    case typingStarted(userID: String, roomID: String?)
    /// A member stopped typing; published on `typing:{R}`. The room is nil
    /// only in events from the tutorial's program.
    case typingStopped(userID: String, roomID: String?)
    /// A user set a new status; published on `presence:{R}` of each of
    /// their rooms.
    case presenceChanged(userID: String, roomID: String, status: UserStatus)

    /// The `"type"` tag of this event.
    public var type: String {
        switch self {
        case .message: "Message"
        case .userJoined: "UserJoined"
        case .userLeft: "UserLeft"
        case .typingStarted: "TypingStarted"
        case .typingStopped: "TypingStopped"
        case .presenceChanged: "PresenceChanged"
        }
    }

    /// The room (or direct conversation) the event belongs to, when it says.
    public var roomID: String? {
        switch self {
        case .message(let message): message.roomID
        case .userJoined(_, let roomID), .userLeft(_, let roomID): roomID
        case .typingStarted(_, let roomID), .typingStopped(_, let roomID): roomID
        case .presenceChanged(_, let roomID, _): roomID
        }
    }

    /// The user who caused the event.
    public var userID: String {
        switch self {
        case .message(let message): message.userID
        case .userJoined(let userID, _), .userLeft(let userID, _): userID
        case .typingStarted(let userID, _), .typingStopped(let userID, _): userID
        case .presenceChanged(let userID, _, _): userID
        }
    }

    private enum CodingKeys: String, CodingKey {
        case type
        case userID = "user_id"
        case roomID = "room_id"
        case status
    }

    /// Reads an event by its `"type"` tag.
    ///
    /// - Throws: `DecodingError` when the tag is unknown or a field is
    ///   missing or malformed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)

        switch type {
        case "Message":
            self = .message(try Message(from: decoder))
        case "UserJoined":
            self = .userJoined(
                userID: try container.decode(String.self, forKey: .userID),
                roomID: try container.decode(String.self, forKey: .roomID))
        case "UserLeft":
            self = .userLeft(
                userID: try container.decode(String.self, forKey: .userID),
                roomID: try container.decode(String.self, forKey: .roomID))
        case "TypingStarted":
            self = .typingStarted(
                userID: try container.decode(String.self, forKey: .userID),
                roomID: try container.decodeIfPresent(String.self, forKey: .roomID))
        case "TypingStopped":
            self = .typingStopped(
                userID: try container.decode(String.self, forKey: .userID),
                roomID: try container.decodeIfPresent(String.self, forKey: .roomID))
        case "PresenceChanged":
            self = .presenceChanged(
                userID: try container.decode(String.self, forKey: .userID),
                roomID: try container.decode(String.self, forKey: .roomID),
                status: try container.decode(UserStatus.self, forKey: .status))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "'\(type)' is not a chat event type.")
        }
    }

    /// Writes the `"type"` tag and the case's fields beside it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)

        switch self {
        case .message(let message):
            try message.encode(to: encoder)
        case .userJoined(let userID, let roomID), .userLeft(let userID, let roomID):
            try container.encode(userID, forKey: .userID)
            try container.encode(roomID, forKey: .roomID)
        case .typingStarted(let userID, let roomID), .typingStopped(let userID, let roomID):
            try container.encode(userID, forKey: .userID)
            try container.encodeIfPresent(roomID, forKey: .roomID)
        case .presenceChanged(let userID, let roomID, let status):
            try container.encode(userID, forKey: .userID)
            try container.encode(roomID, forKey: .roomID)
            try container.encode(status, forKey: .status)
        }
    }
}
