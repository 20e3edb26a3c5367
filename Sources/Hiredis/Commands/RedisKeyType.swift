/// The kind of value a key holds, as `TYPE` names it.
///
/// A struct rather than an enum, because modules add kinds of their own
/// (`ReJSON-RL`, `TSDB-TYPE`, ...); those arrive with their name as
/// ``rawValue``.
public struct RedisKeyType: RawRepresentable, Sendable, Hashable {
    /// The name the server uses, such as `zset`.
    public let rawValue: String

    /// A kind named as the server names it.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A string, number or binary value.
    public static let string = RedisKeyType(rawValue: "string")
    /// A list.
    public static let list = RedisKeyType(rawValue: "list")
    /// A set.
    public static let set = RedisKeyType(rawValue: "set")
    /// A sorted set (`zset`).
    public static let sortedSet = RedisKeyType(rawValue: "zset")
    /// A hash.
    public static let hash = RedisKeyType(rawValue: "hash")
    /// A stream.
    public static let stream = RedisKeyType(rawValue: "stream")
}

extension RedisKeyType: CustomStringConvertible {
    /// The name the server uses.
    public var description: String { rawValue }
}

extension RedisKeyType: RedisArgument {
    /// Writes the name the server uses, as SCAN's `TYPE` filter expects.
    public func appendRedisArgument(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: rawValue.utf8)
    }
}
