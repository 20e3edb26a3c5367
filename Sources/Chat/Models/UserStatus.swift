/// Whether a user is around, as other users see it.
///
/// Encodes as the lowercase words `online`, `away` and `offline`, which is
/// how the user hash stores it and how `PresenceChanged` events carry it.
/// Decoding also accepts the capitalised words (`Online`) that the
/// tutorial's Rust program writes for its `User` type.
public enum UserStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// The user's client is connected and the user is active.
    case online
    /// The user's client is connected but the user stepped away.
    case away
    /// The user signed off, or their client stopped sending heartbeats.
    case offline

    /// Reads a status word in any letter case; nil when it is not one of the three.
    public init?(word: String) {
        self.init(rawValue: word.lowercased())
    }

    /// Reads a status word in any letter case.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the word is not a status.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let word = try container.decode(String.self)
        guard let status = UserStatus(word: word) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(word)' is not a user status (online, away, offline).")
        }
        self = status
    }
}
