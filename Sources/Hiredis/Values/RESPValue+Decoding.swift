import Foundation

/// A type that can be read from a Redis reply.
///
/// Error replies never decode: reading one throws the server error it carries.
public protocol RESPDecodable {
    /// Reads a value from a reply, or throws ``RedisError/Code-swift.struct/decodingFailed``.
    init(fromRESP value: RESPValue) throws(RedisError)
}

extension RESPValue {
    /// Reads this reply as `type`.
    ///
    /// - Throws: the server error when this is an error reply, or
    ///   ``RedisError/Code-swift.struct/decodingFailed`` when the shape does not fit.
    public func decode<T: RESPDecodable>(as type: T.Type = T.self) throws(RedisError) -> T {
        try T(fromRESP: self)
    }

    /// The bytes of a bulk or status reply; nil for any other kind.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    /// The elements of an array reply; nil for any other kind.
    public var array: [RESPValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    /// The value of an integer reply; nil for any other kind.
    public var integer: Int64? {
        if case .integer(let value) = self { value } else { nil }
    }
}

extension RESPValue: RESPDecodable {
    public init(fromRESP value: RESPValue) throws(RedisError) {
        self = try value.unwrap()
    }
}

extension String: RESPDecodable {
    /// Reads a bulk or status reply that is valid UTF-8, or an integer reply.
    public init(fromRESP value: RESPValue) throws(RedisError) {
        switch try value.unwrap() {
        case .simpleString(let text):
            self = text
        case .integer(let number):
            self = String(number)
        case .bulkString(let bytes):
            guard let text = String(validUTF8: bytes) else {
                throw RedisError(
                    .decodingFailed,
                    "The reply holds \(bytes.count) bytes that are not valid UTF-8; "
                        + "read it as bytes ([UInt8] or Data) instead of String."
                )
            }
            self = text
        default:
            throw .decoding(value, as: String.self)
        }
    }
}

extension Int64: RESPDecodable {
    /// Reads an integer reply, or a bulk string holding a decimal integer.
    public init(fromRESP value: RESPValue) throws(RedisError) {
        switch try value.unwrap() {
        case .integer(let number):
            self = number
        case .bulkString(let bytes):
            guard let text = String(validUTF8: bytes), let number = Int64(text)
            else { throw .decoding(value, as: Int64.self) }
            self = number
        default:
            throw .decoding(value, as: Int64.self)
        }
    }
}

extension Int: RESPDecodable {
    public init(fromRESP value: RESPValue) throws(RedisError) {
        self = Int(try Int64(fromRESP: value))
    }
}

extension Double: RESPDecodable {
    /// Reads a bulk string holding a number (as ZSCORE and INCRBYFLOAT reply), or an integer.
    public init(fromRESP value: RESPValue) throws(RedisError) {
        switch try value.unwrap() {
        case .integer(let number):
            self = Double(number)
        case .bulkString(let bytes):
            guard let text = String(validUTF8: bytes), let number = Double(text)
            else { throw .decoding(value, as: Double.self) }
            self = number
        default:
            throw .decoding(value, as: Double.self)
        }
    }
}

extension Bool: RESPDecodable {
    /// Reads an integer reply as `!= 0`, or a status reply `OK` as true.
    public init(fromRESP value: RESPValue) throws(RedisError) {
        switch try value.unwrap() {
        case .integer(let number): self = number != 0
        case .simpleString(let text): self = text == "OK"
        case .null: self = false
        default: throw .decoding(value, as: Bool.self)
        }
    }
}

extension Data: RESPDecodable {
    /// Reads the bytes of a bulk or status reply.
    public init(fromRESP value: RESPValue) throws(RedisError) {
        guard let bytes = try value.unwrap().bytes else { throw .decoding(value, as: Data.self) }
        self = Data(bytes)
    }
}

extension Optional: RESPDecodable where Wrapped: RESPDecodable {
    /// Reads a nil reply as `nil`, anything else as `Wrapped`.
    public init(fromRESP value: RESPValue) throws(RedisError) {
        if case .null = value { self = nil } else { self = try Wrapped(fromRESP: value) }
    }
}

extension Array: RESPDecodable where Element: RESPDecodable {
    /// Reads each element of an array reply; a nil reply reads as an empty array.
    public init(fromRESP value: RESPValue) throws(RedisError) {
        switch try value.unwrap() {
        case .array(let elements):
            self = []
            reserveCapacity(elements.count)
            for element in elements { append(try Element(fromRESP: element)) }
        case .null:
            self = []
        default:
            throw .decoding(value, as: Array.self)
        }
    }
}

extension Dictionary: RESPDecodable where Key: RESPDecodable, Value: RESPDecodable {
    /// Reads a flat array of alternating fields and values, as HGETALL replies.
    public init(fromRESP value: RESPValue) throws(RedisError) {
        guard case .array(let elements) = try value.unwrap(), elements.count.isMultiple(of: 2)
        else { throw .decoding(value, as: Dictionary.self) }
        self.init(minimumCapacity: elements.count / 2)
        var index = 0
        while index < elements.count {
            let key = try Key(fromRESP: elements[index])
            self[key] = try Value(fromRESP: elements[index + 1])
            index += 2
        }
    }
}
