/// The one error type of the Redis client.
///
/// Errors fall in two families that callers usually treat differently:
/// the server answered with an error reply (``Code-swift.struct/server``,
/// with the reply's code word such as `WRONGTYPE` in ``serverCode``), or the
/// client could not get an answer at all (connection, timeout, protocol).
/// ``Code-swift.struct/connectionLost`` is special: the command may or may not
/// have run on the server, and the client never re-sends it on its own.
///
/// Messages never contain credentials.
public struct RedisError: Error, Sendable, Hashable {
    /// What went wrong, as a code that can grow without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case server, connectionFailed, connectionLost, connectionClosed
            case authenticationFailed, timeout, cancelled, protocolError
            case decodingFailed, poolExhausted, invalidArgument, unsupportedCommand
            case transactionAborted
        }

        private let kind: Kind

        /// The server answered with an error reply.
        public static let server = Code(kind: .server)
        /// No connection could be made to the server.
        public static let connectionFailed = Code(kind: .connectionFailed)
        /// The connection dropped after the command was sent: it may or may not have run.
        public static let connectionLost = Code(kind: .connectionLost)
        /// The connection was closed with `close()`, or gave up for good.
        public static let connectionClosed = Code(kind: .connectionClosed)
        /// The server refused the configured credentials.
        public static let authenticationFailed = Code(kind: .authenticationFailed)
        /// No reply arrived before the deadline.
        public static let timeout = Code(kind: .timeout)
        /// The calling task was cancelled before its reply arrived.
        public static let cancelled = Code(kind: .cancelled)
        /// The server's bytes could not be parsed.
        public static let protocolError = Code(kind: .protocolError)
        /// A reply did not have the shape or encoding the caller asked for.
        public static let decodingFailed = Code(kind: .decodingFailed)
        /// No pooled connection became free within the lease timeout.
        public static let poolExhausted = Code(kind: .poolExhausted)
        /// An argument or a configuration value was not valid.
        public static let invalidArgument = Code(kind: .invalidArgument)
        /// The command cannot be sent on this kind of connection.
        public static let unsupportedCommand = Code(kind: .unsupportedCommand)
        /// EXEC returned nil because a watched key changed.
        public static let transactionAborted = Code(kind: .transactionAborted)

        public var description: String { kind.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence saying what happened and what to do about it.
    public var message: String
    /// For server errors, the reply's first word (`ERR`, `WRONGTYPE`, `NOSCRIPT`, ...).
    public var serverCode: String?

    public init(_ code: Code, _ message: String, serverCode: String? = nil) {
        self.code = code
        self.message = message
        self.serverCode = serverCode
    }

    /// An error built from a server error reply such as `WRONGTYPE Operation against ...`.
    public init(serverReply text: String) {
        let word = text.prefix { $0 != " " }
        let isCodeWord = !word.isEmpty && word.allSatisfy { $0.isUppercase || $0 == "_" }
        self.init(.server, text, serverCode: isCodeWord ? String(word) : nil)
    }
}

extension RedisError: CustomStringConvertible {
    public var description: String {
        switch code {
        case .server: "Redis replied with an error: \(message)"
        default: message
        }
    }
}

extension RedisError {
    static func connectionLost(_ reason: String) -> RedisError {
        RedisError(
            .connectionLost,
            "The connection to Redis dropped (\(reason)) after the command was sent; "
                + "it may or may not have run. Check its effect before sending it again."
        )
    }

    static let closed = RedisError(
        .connectionClosed,
        "The connection was closed; create a new one to send more commands."
    )

    static func timedOut(after timeout: Duration) -> RedisError {
        RedisError(
            .timeout,
            "No reply arrived within \(timeout); the command may still run on the server. "
                + "Raise the command timeout if the server is just slow."
        )
    }

    static let cancelled = RedisError(
        .cancelled,
        "The task waiting for this reply was cancelled; the command may still run on the server."
    )

    /// A reply of the wrong shape; the message names its kind and size,
    /// never its contents, which may be large or private.
    static func decoding(_ value: RESPValue, as type: Any.Type) -> RedisError {
        RedisError(.decodingFailed, "Cannot read \(value.kindDescription) as \(type).")
    }
}
