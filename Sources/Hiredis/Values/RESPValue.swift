/// A reply from Redis, as RESP2 defines it.
///
/// Bulk strings are bytes: nothing is decoded until a caller asks for a
/// `String`, and a reply that is not UTF-8 is then an error rather than a
/// silent replacement.
public enum RESPValue: Sendable, Hashable {
    /// A status reply such as `OK` or `QUEUED`.
    case simpleString(String)
    /// An error reply; ``RedisError/init(serverReply:)`` splits its code word.
    case error(String)
    /// An integer reply.
    case integer(Int64)
    /// A bulk string, byte for byte.
    case bulkString([UInt8])
    /// An array reply; nil elements keep their positions as ``null``.
    case array([RESPValue])
    /// A nil bulk string or nil array.
    case null
}

extension RESPValue {
    /// Whether this is a nil reply.
    public var isNull: Bool {
        if case .null = self { true } else { false }
    }

    /// The server error this reply carries, if it is an error reply.
    public var serverError: RedisError? {
        if case .error(let text) = self { RedisError(serverReply: text) } else { nil }
    }

    /// The reply itself, or the server error it carries thrown.
    @discardableResult
    public func unwrap() throws(RedisError) -> RESPValue {
        if let error = serverError { throw error }
        return self
    }
}

extension RESPValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .simpleString(let text): return text
        case .error(let text): return "(error) \(text)"
        case .integer(let value): return "(integer) \(value)"
        case .null: return "(nil)"
        case .bulkString(let bytes):
            if let text = String(validUTF8: bytes) {
                return "\"\(text)\""
            }
            return "<\(bytes.count) bytes>"
        case .array(let elements):
            return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

extension RESPValue {
    /// The kind of reply and its size, without its contents.
    var kindDescription: String {
        switch self {
        case .simpleString: "a status reply"
        case .error: "an error reply"
        case .integer: "an integer reply"
        case .bulkString(let bytes): "a bulk reply of \(bytes.count) bytes"
        case .array(let elements): "an array reply of \(elements.count) elements"
        case .null: "a nil reply"
        }
    }
}
