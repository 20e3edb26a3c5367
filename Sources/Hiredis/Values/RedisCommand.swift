import Foundation

/// A value that can be sent as one argument of a Redis command.
///
/// Every argument goes to hiredis as a pointer and a length, so any bytes,
/// spaces, quotes and `%` included, arrive as exactly one argument.
public protocol RedisArgument: Sendable {
    /// Appends this argument's bytes to `buffer`.
    func appendRedisArgument(to buffer: inout [UInt8])
}

/// A Redis command: its name and arguments, stored flat and binary-safe.
///
/// ```swift
/// var command = RedisCommand("SET", "greeting", "hello")
/// command.append("EX")
/// command.append(60)
/// ```
public struct RedisCommand: Sendable, Hashable {
    /// Every argument's bytes, one after another.
    var bytes: [UInt8] = []
    /// Where each argument ends in ``bytes``.
    var ends: [Int] = []

    /// A command from its name and arguments.
    public init(_ name: String, _ arguments: any RedisArgument...) {
        self.init(name, arguments: arguments)
    }

    /// A command from its name and an array of arguments.
    public init(_ name: String, arguments: [any RedisArgument]) {
        ends.reserveCapacity(arguments.count + 1)
        append(name)
        for argument in arguments { append(argument) }
    }

    /// Appends one argument.
    public mutating func append(_ argument: some RedisArgument) {
        argument.appendRedisArgument(to: &bytes)
        ends.append(bytes.count)
    }

    /// Appends each argument in turn.
    public mutating func append<S: Sequence>(contentsOf arguments: S)
    where S.Element: RedisArgument {
        for argument in arguments { append(argument) }
    }

    /// The number of arguments, the command name included.
    public var count: Int { ends.count }

    /// The arguments, the command name first, as bytes.
    public var arguments: [[UInt8]] {
        var start = 0
        return ends.map { end in
            defer { start = end }
            return Array(bytes[start..<end])
        }
    }

    /// The command name in upper case.
    public var name: String {
        String(decoding: bytes[0..<(ends.first ?? 0)], as: UTF8.self).uppercased()
    }
}

extension RedisCommand: CustomStringConvertible {
    /// The command name and argument count; argument values stay out of logs.
    public var description: String { "\(name) (\(count - 1) arguments)" }
}

extension String: RedisArgument {
    public func appendRedisArgument(to buffer: inout [UInt8]) { buffer.append(contentsOf: utf8) }
}

extension Substring: RedisArgument {
    public func appendRedisArgument(to buffer: inout [UInt8]) { buffer.append(contentsOf: utf8) }
}

extension Array: RedisArgument where Element == UInt8 {
    public func appendRedisArgument(to buffer: inout [UInt8]) { buffer.append(contentsOf: self) }
}

extension ArraySlice: RedisArgument where Element == UInt8 {
    public func appendRedisArgument(to buffer: inout [UInt8]) { buffer.append(contentsOf: self) }
}

extension Data: RedisArgument {
    public func appendRedisArgument(to buffer: inout [UInt8]) { buffer.append(contentsOf: self) }
}

extension Int: RedisArgument {
    public func appendRedisArgument(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: String(self).utf8)
    }
}

extension Int64: RedisArgument {
    public func appendRedisArgument(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: String(self).utf8)
    }
}

extension UInt64: RedisArgument {
    public func appendRedisArgument(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: String(self).utf8)
    }
}

extension Double: RedisArgument {
    /// Writes the shortest decimal form that reads back as the same value;
    /// infinities as `inf` and `-inf`, as Redis expects.
    public func appendRedisArgument(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: description.utf8)
    }
}
