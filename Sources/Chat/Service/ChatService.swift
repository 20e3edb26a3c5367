import Foundation
import Hiredis

/// The chat service: users, rooms, membership, message history, presence,
/// typing indicators and direct messages, stored in Redis under the keys of
/// ``ChatKeys`` and announced as ``ChatEvent``s over pub/sub.
///
/// ```swift
/// let chat = try await ChatService.connect(RedisConfiguration(url: "redis://localhost:6379"))
/// let alice = try await chat.createUser(named: "Alice")
/// let room = try await chat.createRoom(named: "General", description: "Anything goes")
/// try await chat.join(userID: alice.id, roomID: room.id)
/// let message = try await chat.send("Hello, everyone!", to: room.id, from: alice.id)
/// let history = try await chat.latestMessages(in: room.id)
/// ```
///
/// ## Guarantees
///
/// - Every argument is validated first; a call that throws anything but
///   ``ChatError/Code-swift.struct/redis`` wrote nothing.
/// - Each operation that writes is one Lua script, so it happens entirely
///   or not at all, and its event is published by the same script: an event
///   is never published for a write that did not happen, nor lost for one
///   that did (while a subscriber is connected).
/// - Messages of a room are numbered by `seq`, 1, 2, 3..., with no gaps, in
///   the order they were stored; history is read by seq.
/// - A history page, a read of users by id and a membership change each
///   cost one round trip; finding by name and listing members or rooms
///   cost two (the name key or the set, then the entries).
///
/// The service holds no state of its own beyond its connection, which
/// already pipelines concurrent callers; share one service between tasks.
///
/// The scripts that touch one room (send, history, typing) or one user
/// (heartbeat) stay within one hash tag, as Redis Cluster requires. The
/// ones that link two entities (create with a unique name, join, leave, set
/// status) span tags and need a single server.
public struct ChatService: Sendable {
    /// The connection every command goes through.
    public let connection: RedisConnection
    /// The service's limits and timings.
    public let configuration: ChatConfiguration

    /// The most messages one history call returns.
    public static let maximumPageSize = 1000

    /// A service on an open connection.
    ///
    /// - Parameters:
    ///   - connection: the connection to use; the service does not close it.
    ///   - configuration: limits and timings; the program stops when one is
    ///     not positive.
    public init(
        connection: RedisConnection, configuration: ChatConfiguration = ChatConfiguration()
    ) {
        configuration.checkValid()
        self.connection = connection
        self.configuration = configuration
    }

    /// Connects to Redis and returns a service on the new connection; close
    /// it with `chat.connection.close()` when done.
    ///
    /// - Throws: ``ChatError/Code-swift.struct/redis`` when the connection fails.
    public static func connect(
        _ redis: RedisConfiguration, configuration: ChatConfiguration = ChatConfiguration()
    ) async throws(ChatError) -> ChatService {
        do {
            let connection = try await RedisConnection.connect(redis)
            return ChatService(connection: connection, configuration: configuration)
        } catch {
            throw ChatError.wrapping(error)
        }
    }

    // MARK: Talking to Redis

    /// What a failed script was about, to turn its refusal into a ``ChatError``.
    struct Subject {
        var userID: String?
        var roomID: String?
        var name: String?
    }

    /// Runs a chat script and turns its refusals into chat errors.
    @discardableResult
    func run(
        _ script: RedisScript, keys: [String], arguments: sending [any RedisArgument],
        about subject: Subject
    ) async throws(ChatError) -> RESPValue {
        do {
            return try await connection.evaluate(script, keys: keys, arguments: arguments)
        } catch let error as RedisError {
            let failure = ChatError(scriptFailure: error, about: subject)
            if failure.code != .redis {
                configuration.logger.log(
                    .debug, "chat call refused",
                    [
                        "code": "\(failure.code)", "user_id": subject.userID ?? "",
                        "room_id": subject.roomID ?? "",
                    ])
            }
            throw failure
        } catch {
            throw ChatError.wrapping(error)
        }
    }

    /// Sends one command.
    func request(_ command: RedisCommand) async throws(ChatError) -> RESPValue {
        do {
            return try await connection.send(command)
        } catch {
            throw ChatError.wrapping(error)
        }
    }

    /// Sends a pipeline and returns each reply, throwing the first error reply.
    func execute(_ pipeline: RedisPipeline) async throws(ChatError) -> [RESPValue] {
        guard pipeline.count > 0 else { return [] }
        do {
            return try await connection.execute(pipeline).map { try $0.get() }
        } catch {
            throw ChatError.wrapping(error)
        }
    }

    /// The time to stamp on a new message or entity, to the millisecond the
    /// wire format carries.
    func now() -> Date { ChatTimestamp.rounded(Date()) }

    /// A new id: a lowercase UUID, as the Rust `uuid` crate writes them.
    func newID() -> String { UUID().uuidString.lowercased() }
}

extension ChatError {
    /// Wraps whatever the client threw.
    static func wrapping(_ error: any Error) -> ChatError {
        if let error = error as? ChatError { return error }
        if let error = error as? RedisError { return .redis(error) }
        return ChatError(.redis, "The Redis client failed: \(error)")
    }

    /// Reads a script's refusal word; any other error is the client's.
    init(scriptFailure error: RedisError, about subject: ChatService.Subject) {
        guard error.code == .server, let word = error.serverCode,
            let failure = ScriptFailure(rawValue: word)
        else {
            self = .redis(error)
            return
        }
        switch failure {
        case .userNotFound:
            self = .userNotFound(subject.userID ?? "")
        case .roomNotFound:
            self = .roomNotFound(subject.roomID ?? "")
        case .notAMember:
            self = .notAMember(userID: subject.userID ?? "", roomID: subject.roomID ?? "")
        case .nameTaken:
            self = .nameTaken(subject.name ?? "", field: "name")
        case .malformedEvent:
            self = ChatError(
                .redis,
                "The service built an event payload the script could not use; "
                    + "this is a bug in the Chat library.", underlying: error)
        case .seqNotANumber:
            self = .corrupt(ChatKeys.roomSeq(subject.roomID ?? ""), "is not a number")
        }
    }

    /// A stored value that does not have the shape the service writes.
    static func corrupt(_ key: String, _ problem: String) -> ChatError {
        let underlying = RedisError(
            .decodingFailed, "The value at \(key) \(problem); was it written by another program?")
        return ChatError(.redis, underlying.message, underlying: underlying)
    }
}
