import Hiredis

/// The one error type of the chat service.
///
/// A ``code`` says what went wrong; ``field`` names the argument at fault
/// for ``Code-swift.struct/invalidArgument`` and ``Code-swift.struct/tooLarge``;
/// ``underlying`` holds the client's error for ``Code-swift.struct/redis``.
/// An operation that throws any code but ``Code-swift.struct/redis`` wrote
/// nothing. With ``Code-swift.struct/redis`` the operation may or may not
/// have run (the connection can drop after a script was sent); the
/// underlying ``RedisError`` says which.
///
/// ```swift
/// do {
///     try await chat.send("hello", to: roomID, from: userID)
/// } catch where error.code == .notAMember {
///     try await chat.join(userID: userID, roomID: roomID)
/// }
/// ```
public struct ChatError: Error, Sendable, Hashable {
    /// What went wrong, as a code that can grow without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case userNotFound, roomNotFound, notAMember, invalidArgument, tooLarge
            case nameTaken, undecodableEvent, redis
        }

        private let kind: Kind

        /// No user has the given id.
        public static let userNotFound = Code(kind: .userNotFound)
        /// No room has the given id.
        public static let roomNotFound = Code(kind: .roomNotFound)
        /// The user is not a member of the room, or not a participant of the
        /// direct conversation.
        public static let notAMember = Code(kind: .notAMember)
        /// An argument has the wrong form; ``ChatError/field`` names it.
        public static let invalidArgument = Code(kind: .invalidArgument)
        /// An argument is longer than allowed; ``ChatError/field`` names it.
        public static let tooLarge = Code(kind: .tooLarge)
        /// Another user or room already has the name.
        public static let nameTaken = Code(kind: .nameTaken)
        /// A published payload is not a chat event.
        public static let undecodableEvent = Code(kind: .undecodableEvent)
        /// The Redis client failed; ``ChatError/underlying`` says how.
        public static let redis = Code(kind: .redis)

        /// The code's name, such as `notAMember`.
        public var description: String { kind.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence saying what happened and what to do about it.
    public var message: String
    /// The argument at fault (`content`, `name`, `userID`, ...), if one is.
    public var field: String?
    /// The client's error, for ``Code-swift.struct/redis``.
    public var underlying: RedisError?

    /// An error from its parts.
    public init(
        _ code: Code, _ message: String, field: String? = nil, underlying: RedisError? = nil
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.underlying = underlying
    }
}

extension ChatError: CustomStringConvertible {
    /// The message: what happened and what to do about it.
    public var description: String { message }
}

extension ChatError {
    static func userNotFound(_ id: String) -> ChatError {
        ChatError(
            .userNotFound, "No user has the id \(id); create the user first.", field: "userID")
    }

    static func roomNotFound(_ id: String) -> ChatError {
        ChatError(
            .roomNotFound, "No room has the id \(id); create the room first.", field: "roomID")
    }

    static func notAMember(userID: String, roomID: String) -> ChatError {
        ChatError(
            .notAMember,
            "User \(userID) is not a member of \(roomID); join the room before using it.",
            field: "userID")
    }

    static func invalid(_ field: String, _ reason: String) -> ChatError {
        ChatError(.invalidArgument, "The \(field) \(reason).", field: field)
    }

    static func tooLarge(_ field: String, size: Int, limit: Int, unit: String) -> ChatError {
        ChatError(
            .tooLarge,
            "The \(field) is \(size) \(unit) long, over the limit of \(limit); shorten it.",
            field: field)
    }

    static func nameTaken(_ name: String, field: String) -> ChatError {
        ChatError(.nameTaken, "The name '\(name)' is taken; choose another.", field: field)
    }

    static func redis(_ error: RedisError) -> ChatError {
        ChatError(.redis, "The Redis client failed: \(error)", underlying: error)
    }
}

extension ChatError {
    /// Whether a later attempt may get past this failure: the connection
    /// dropped, is reconnecting or timed out, or the server answered that it
    /// is not ready yet (loading its data, running a long script, failing
    /// over). Only a call that is safe to repeat, such as a read, may be
    /// retried on it.
    var isTransient: Bool {
        guard code == .redis, let underlying else { return false }
        switch underlying.code {
        case .connectionLost, .connectionFailed, .timeout:
            return true
        case .server:
            let notReady: Set = ["LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN"]
            return notReady.contains(underlying.serverCode ?? "")
        default:
            return false
        }
    }
}
