/// Conditions and reporting for `ZADD`.
///
/// ```swift
/// // Raise a player's best score, never lower it.
/// try await connection.zadd("scores", members: [player: 1200], options: .ifGreater)
/// ```
///
/// The server rejects combinations that contradict each other
/// (``ifNotExists`` with ``ifExists``, ``ifGreater`` or ``ifLess``) with an
/// `ERR` reply.
public struct RedisZAddOptions: OptionSet, Sendable, Hashable {
    /// One bit per option.
    public let rawValue: UInt8

    /// Options from their bits; prefer the named options and set literals.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Only add new members; never update the score of an existing one (`NX`).
    public static let ifNotExists = RedisZAddOptions(rawValue: 1 << 0)
    /// Only update existing members; never add one (`XX`).
    public static let ifExists = RedisZAddOptions(rawValue: 1 << 1)
    /// Only update a score when the new one is greater; new members are still
    /// added (`GT`).
    public static let ifGreater = RedisZAddOptions(rawValue: 1 << 2)
    /// Only update a score when the new one is less; new members are still
    /// added (`LT`).
    public static let ifLess = RedisZAddOptions(rawValue: 1 << 3)
    /// Count changed members as well as added ones in the result (`CH`).
    public static let countChanged = RedisZAddOptions(rawValue: 1 << 4)

    /// Appends the option words to a ZADD command, in the order ZADD reads them.
    func append(to command: inout RedisCommand) {
        if contains(.ifNotExists) { command.append("NX") }
        if contains(.ifExists) { command.append("XX") }
        if contains(.ifGreater) { command.append("GT") }
        if contains(.ifLess) { command.append("LT") }
        if contains(.countChanged) { command.append("CH") }
    }
}
