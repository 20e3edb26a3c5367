/// How a ``RedisSubscriber`` checks that its connection is alive, and how
/// much its subscriptions buffer.
///
/// ```swift
/// var options = RedisSubscriberOptions()
/// options.pingInterval = .seconds(5)
/// let subscriber = try await RedisSubscriber.connect(configuration, options: options)
/// ```
public struct RedisSubscriberOptions: Sendable, Hashable {
    /// How long after the answer to one liveness PING the next one goes out.
    ///
    /// A subscribed connection may legitimately carry nothing for hours, and
    /// a socket whose peer vanished (a host that lost power, a dropped NAT
    /// mapping) looks exactly like that: no error ever comes. So the
    /// subscriber keeps asking; the answers never reach consumers.
    public var pingInterval: Duration
    /// How long the answer to a liveness PING may take before the connection
    /// is declared dead, closed, and replaced by a new one.
    public var pingTimeout: Duration
    /// The buffer of each subscription, unless the call that makes it says
    /// otherwise.
    public var bufferLimit: RedisSubscription.BufferLimit

    /// Options with the defaults: a PING 10 s after the previous answer,
    /// answered within 5 s, so a dead connection is noticed within 15 s; 1,024
    /// messages or 16 MiB of buffer per subscription.
    public init(
        pingInterval: Duration = .seconds(10),
        pingTimeout: Duration = .seconds(5),
        bufferLimit: RedisSubscription.BufferLimit = .init()
    ) {
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.bufferLimit = bufferLimit
    }
}
