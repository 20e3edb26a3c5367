import Hiredis

/// The limits and timings of a ``ChatService``.
///
/// ```swift
/// var configuration = ChatConfiguration()
/// configuration.historyLimit = 500
/// configuration.typingTimeout = .seconds(5)
/// let chat = ChatService(connection: connection, configuration: configuration)
/// ```
public struct ChatConfiguration: Sendable {
    /// How many messages each room and direct conversation keeps; older ones
    /// are deleted as new ones arrive. Default 1000.
    public var historyLimit: Int
    /// The largest message content, in bytes of UTF-8. Default 16 KiB.
    public var maximumContentBytes: Int
    /// How long a typing indicator shows after its last refresh. Default 10 s.
    public var typingTimeout: Duration
    /// How long a user reads as online after their client's last heartbeat.
    /// Default 30 s; send heartbeats well within it (every third of it, say).
    public var presenceTimeout: Duration
    /// Where the service reports what it does; silent by default.
    public var logger: RedisLogger

    /// The defaults: 1000 messages of history, 16 KiB messages, 10 s typing
    /// indicators, 30 s presence.
    public init(
        historyLimit: Int = 1000,
        maximumContentBytes: Int = 16 * 1024,
        typingTimeout: Duration = .seconds(10),
        presenceTimeout: Duration = .seconds(30),
        logger: RedisLogger = .silent
    ) {
        self.historyLimit = historyLimit
        self.maximumContentBytes = maximumContentBytes
        self.typingTimeout = typingTimeout
        self.presenceTimeout = presenceTimeout
        self.logger = logger
    }

    /// Stops the program with a message when a value makes no sense; these
    /// are programming errors, not conditions to handle at run time.
    func checkValid() {
        precondition(historyLimit >= 1, "ChatConfiguration.historyLimit must be 1 or more")
        precondition(
            maximumContentBytes >= 1, "ChatConfiguration.maximumContentBytes must be 1 or more")
        precondition(
            typingTimeout.milliseconds >= 1,
            "ChatConfiguration.typingTimeout must be at least a millisecond")
        precondition(
            presenceTimeout.milliseconds >= 1,
            "ChatConfiguration.presenceTimeout must be at least a millisecond")
    }
}

extension Duration {
    /// Whole milliseconds, as PX and PEXPIREAT take them.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
