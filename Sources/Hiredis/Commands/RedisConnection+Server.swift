// Server: PING, ECHO, TIME.

extension RedisConnection {
    /// Checks that the server answers (`PING`).
    ///
    /// - Complexity: O(1).
    /// - Returns: the server's reply, `PONG`.
    /// - Throws: ``RedisError`` when the connection fails or the server does
    ///   not answer within the command timeout.
    @discardableResult
    public nonisolated func ping() async throws -> String {
        try await send(RedisCommand("PING")).decode(as: String.self)
    }

    /// Sends bytes for the server to send back (`ECHO`).
    ///
    /// - Complexity: O(1).
    /// - Parameter message: the bytes to echo.
    /// - Returns: the same bytes.
    /// - Throws: ``RedisError`` when the connection fails.
    public nonisolated func echo(_ message: some RedisArgument) async throws -> [UInt8] {
        try await echo(message, as: BulkBytes.self).bytes
    }

    /// Sends bytes for the server to send back, and decodes them as `type`
    /// (`ECHO`).
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - message: the bytes to echo.
    ///   - type: what to decode the reply as.
    /// - Returns: the decoded reply.
    /// - Throws: ``RedisError``; `decodingFailed` when the bytes do not read as
    ///   `type`.
    public nonisolated func echo<Value: RESPDecodable>(
        _ message: some RedisArgument, as type: Value.Type
    ) async throws -> Value {
        try await send(RedisCommand("ECHO", message)).decode(as: Value.self)
    }

    /// The server's clock, as the time since the Unix epoch (`TIME`).
    ///
    /// Servers that share keys should agree on time through one clock; this
    /// is that clock, to the microsecond.
    ///
    /// ```swift
    /// let now = try await connection.time()
    /// let date = Date(timeIntervalSince1970: Double(now.components.seconds))
    /// ```
    ///
    /// - Complexity: O(1).
    /// - Returns: the time elapsed since 1970-01-01 00:00:00 UTC.
    /// - Throws: ``RedisError``; `decodingFailed` when the reply is not the
    ///   pair of seconds and microseconds that TIME returns.
    public nonisolated func time() async throws -> Duration {
        let reply = try await send(RedisCommand("TIME"))
        let parts = try reply.decode(as: [Int].self)
        guard parts.count == 2 else { throw RedisError.decoding(reply, as: Duration.self) }
        return .seconds(parts[0]) + .microseconds(parts[1])
    }
}
