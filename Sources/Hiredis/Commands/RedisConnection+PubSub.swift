// Publishing: PUBLISH. Subscribing needs a connection of its own.

extension RedisConnection {
    /// Sends a message to every client subscribed to a channel (`PUBLISH`).
    ///
    /// Delivery is at most once: a subscriber that is not connected at this
    /// moment never sees the message.
    ///
    /// ```swift
    /// try await connection.publish(eventJSON, to: "chat:room:7")
    /// ```
    ///
    /// - Complexity: O(N + M) for N subscribers of the channel and M
    ///   subscribed patterns.
    /// - Parameters:
    ///   - message: the bytes to send.
    ///   - channel: the channel to send them on.
    /// - Returns: how many subscribers received the message (on a cluster,
    ///   only those connected to this node).
    /// - Throws: ``RedisError`` when the connection fails.
    @discardableResult
    public nonisolated func publish(
        _ message: some RedisArgument, to channel: some RedisArgument
    ) async throws -> Int {
        try await send(RedisCommand("PUBLISH", channel, message)).decode(as: Int.self)
    }
}
