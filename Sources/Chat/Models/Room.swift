import Foundation

/// A chat room, as stored in `room:{R}`.
///
/// Encodes with snake_case keys: `id`, `name`, `description`, `created_at`.
public struct Room: Sendable, Hashable, Codable {
    /// The room's id: a lowercase UUID.
    public var id: String
    /// The room's name, unique among rooms.
    public var name: String
    /// What the room is about, if anyone said.
    public var description: String?
    /// When the room was created.
    public var createdAt: Date

    /// A room from its fields.
    public init(id: String, name: String, description: String? = nil, createdAt: Date) {
        self.id = id
        self.name = name
        self.description = description
        self.createdAt = createdAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, description
        case createdAt = "created_at"
    }

    /// Reads a room; `created_at` must be an RFC 3339 timestamp.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        createdAt = try container.decodeTimestamp(forKey: .createdAt)
    }

    /// Writes the room; an absent description is left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(ChatTimestamp.format(createdAt), forKey: .createdAt)
    }
}
