/// Every Redis key and pub/sub channel name of the chat service, built in
/// this one place.
///
/// The braces are literal: they are Redis Cluster hash tags. Each room's
/// keys (and its messages' keys) share the tag `{R}`, and each user's keys
/// share `{U}`, so a script that touches one room, or one user, touches one
/// cluster slot. Direct conversations use their conversation id
/// (`dm:A:B`) as the room id.
///
/// | key | type | holds |
/// | --- | --- | --- |
/// | `user:{U}` | hash | name, avatar, status, created_at |
/// | `user:{U}:rooms` | set | ids of the rooms the user joined |
/// | `user:{U}:alive` | string with TTL | present while heartbeats arrive |
/// | `username:{N}` | string | the id of the user named N |
/// | `rooms` | set | every room id |
/// | `roomname:{N}` | string | the id of the room named N |
/// | `room:{R}` | hash | name, description, created_at |
/// | `room:{R}:members` | set | user ids |
/// | `room:{R}:messages` | list | message ids, newest first, capped |
/// | `room:{R}:seq` | string | the room's last message seq |
/// | `room:{R}:typing` | sorted set | user ids scored by expiry (ms) |
/// | `message:{R}:M` | hash | room_id, user_id, content, timestamp, seq |
public enum ChatKeys {
    // MARK: Users

    /// `user:{U}`: the user's hash.
    public static func user(_ userID: String) -> String { "user:{\(userID)}" }

    /// `user:{U}:rooms`: the set of rooms the user joined.
    public static func userRooms(_ userID: String) -> String { "user:{\(userID)}:rooms" }

    /// `user:{U}:alive`: present while the user's client sends heartbeats.
    public static func userAlive(_ userID: String) -> String { "user:{\(userID)}:alive" }

    /// `username:{N}`: the id of the user named N.
    public static func userName(_ name: String) -> String { "username:{\(name)}" }

    // MARK: Rooms

    /// `rooms`: every room id.
    public static let rooms = "rooms"

    /// `roomname:{N}`: the id of the room named N.
    public static func roomName(_ name: String) -> String { "roomname:{\(name)}" }

    /// `room:{R}`: the room's hash.
    public static func room(_ roomID: String) -> String { "room:{\(roomID)}" }

    /// `room:{R}:members`: the room's member ids.
    public static func roomMembers(_ roomID: String) -> String { "room:{\(roomID)}:members" }

    /// `room:{R}:messages`: the room's message ids, newest first.
    public static func roomMessages(_ roomID: String) -> String { "room:{\(roomID)}:messages" }

    /// `room:{R}:seq`: the room's last message sequence number.
    public static func roomSeq(_ roomID: String) -> String { "room:{\(roomID)}:seq" }

    /// `room:{R}:typing`: who is typing, scored by when each indicator expires.
    public static func roomTyping(_ roomID: String) -> String { "room:{\(roomID)}:typing" }

    /// `message:{R}:M`: one message's hash.
    public static func message(_ messageID: String, inRoom roomID: String) -> String {
        messagePrefix(roomID) + messageID
    }

    /// `message:{R}:`, the start of every message key of a room.
    ///
    /// Scripts get this prefix to reach message hashes whose ids they read
    /// from `room:{R}:messages` (trimmed messages, history pages): such ids
    /// cannot be known before the script runs, and the prefix keeps their
    /// keys in the room's hash tag, so in the slot of the script's declared
    /// keys.
    public static func messagePrefix(_ roomID: String) -> String { "message:{\(roomID)}:" }

    // MARK: Channels

    /// `chat:room:{R}`: Message, UserJoined and UserLeft events of a room.
    public static func roomChannel(_ roomID: String) -> String { "chat:room:{\(roomID)}" }

    /// `typing:{R}`: TypingStarted and TypingStopped events of a room.
    public static func typingChannel(_ roomID: String) -> String { "typing:{\(roomID)}" }

    /// `presence:{R}`: PresenceChanged events of a room's members.
    public static func presenceChannel(_ roomID: String) -> String {
        presenceChannelAffixes.prefix + roomID + presenceChannelAffixes.suffix
    }

    /// `dm:{U}`: direct Message events to or from user U.
    public static func directChannel(_ userID: String) -> String { "dm:{\(userID)}" }

    /// What goes before and after the room id in a presence channel name;
    /// the status script builds one channel per room of the user from these,
    /// as it reads the user's rooms.
    static let presenceChannelAffixes = (prefix: "presence:{", suffix: "}")

    // MARK: Direct conversations

    /// The conversation id of two users, `dm:A:B` with A the smaller id, so
    /// both participants name the same conversation.
    public static func conversationID(_ userID: String, _ otherUserID: String) -> String {
        let (first, second) = userID < otherUserID ? (userID, otherUserID) : (otherUserID, userID)
        return "dm:\(first):\(second)"
    }
}
