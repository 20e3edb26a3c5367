import Foundation

/// A chat user, as stored in `user:{U}`.
///
/// ``status`` is the status other users should see: the one the user set,
/// or ``UserStatus/offline`` once their client stopped sending heartbeats
/// (see ``ChatService/heartbeat(userID:)``).
///
/// Encodes with snake_case keys: `id`, `name`, `avatar`, `status`, `created_at`.
public struct User: Sendable, Hashable, Codable {
    /// The user's id: a lowercase UUID.
    public var id: String
    /// The user's name, unique among users.
    public var name: String
    /// A link or token for the user's picture, if they have one.
    public var avatar: String?
    /// The status other users see.
    public var status: UserStatus
    /// When the user was created; nil for users written by a program that
    /// does not record it (the tutorial's).
    public var createdAt: Date?

    /// A user from its fields.
    public init(
        id: String, name: String, avatar: String? = nil, status: UserStatus,
        createdAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.avatar = avatar
        self.status = status
        self.createdAt = createdAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, avatar, status
        case createdAt = "created_at"
    }

    /// Reads a user; `created_at` must be an RFC 3339 timestamp when present.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        avatar = try container.decodeIfPresent(String.self, forKey: .avatar)
        status = try container.decode(UserStatus.self, forKey: .status)
        createdAt = try container.decodeTimestampIfPresent(forKey: .createdAt)
    }

    /// Writes the user; absent optional fields are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(avatar, forKey: .avatar)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(createdAt.map(ChatTimestamp.format), forKey: .createdAt)
    }
}
