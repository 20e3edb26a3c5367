// Lists: LPUSH, RPUSH, LPOP, RPOP, LRANGE, LLEN, LTRIM, LREM, LINDEX,
// BLPOP, BRPOP.
//
// Indexes count from 0 at the head; negative ones count from the tail
// (-1 is the last element), and ranges include both ends, as in Redis.

extension RedisConnection {
    // MARK: Pushing

    /// Pushes values onto the head of a list (`LPUSH`), creating the list
    /// when needed.
    ///
    /// Values go in one at a time, so the last one given ends up first.
    ///
    /// - Complexity: O(N) for N values.
    /// - Parameters:
    ///   - key: the list.
    ///   - values: the values to push; at least one.
    /// - Returns: the length of the list afterwards.
    /// - Throws: ``RedisError``; `invalidArgument` for an empty list of values,
    ///   or a `WRONGTYPE` server error when the key holds something other
    ///   than a list.
    @discardableResult
    public nonisolated func lpush(
        _ key: some RedisArgument, _ values: [any RedisArgument]
    ) async throws -> Int {
        try await push("LPUSH", key, values)
    }

    /// Pushes the values given as arguments onto the head of a list (`LPUSH`).
    ///
    /// - Complexity: O(N) for N values.
    /// - Parameters:
    ///   - key: the list.
    ///   - values: the values to push; at least one.
    /// - Returns: the length of the list afterwards.
    /// - Throws: ``RedisError``; `invalidArgument` without values, or a
    ///   `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func lpush(
        _ key: some RedisArgument, _ values: any RedisArgument...
    ) async throws -> Int {
        try await push("LPUSH", key, values)
    }

    /// Appends values to the tail of a list (`RPUSH`), creating the list when
    /// needed.
    ///
    /// - Complexity: O(N) for N values.
    /// - Parameters:
    ///   - key: the list.
    ///   - values: the values to append, in order; at least one.
    /// - Returns: the length of the list afterwards.
    /// - Throws: ``RedisError``; `invalidArgument` for an empty list of values,
    ///   or a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func rpush(
        _ key: some RedisArgument, _ values: [any RedisArgument]
    ) async throws -> Int {
        try await push("RPUSH", key, values)
    }

    /// Appends the values given as arguments to the tail of a list (`RPUSH`).
    ///
    /// - Complexity: O(N) for N values.
    /// - Parameters:
    ///   - key: the list.
    ///   - values: the values to append, in order; at least one.
    /// - Returns: the length of the list afterwards.
    /// - Throws: ``RedisError``; `invalidArgument` without values, or a
    ///   `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func rpush(
        _ key: some RedisArgument, _ values: any RedisArgument...
    ) async throws -> Int {
        try await push("RPUSH", key, values)
    }

    private nonisolated func push(
        _ name: String, _ key: some RedisArgument, _ values: [any RedisArgument]
    ) async throws -> Int {
        // The new length cannot be known without asking, so refuse rather than guess.
        guard !values.isEmpty else {
            throw RedisError(
                .invalidArgument, "\(name) needs at least one value; check for an empty list first."
            )
        }
        return try await send(RedisCommand(name, key: key, values)).decode(as: Int.self)
    }

    // MARK: Popping

    /// Removes and returns the first element of a list, as bytes (`LPOP`).
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the list.
    /// - Returns: the element, or nil when the list does not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func lpop(_ key: some RedisArgument) async throws -> [UInt8]? {
        try await lpop(key, as: BulkBytes.self)?.bytes
    }

    /// Removes and returns the first element of a list, as `type` (`LPOP`).
    ///
    /// The element is removed even when it then fails to decode.
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the list.
    ///   - type: what to decode the element as.
    /// - Returns: the element, or nil when the list does not exist.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func lpop<Value: RESPDecodable>(
        _ key: some RedisArgument, as type: Value.Type
    ) async throws -> Value? {
        try await send(RedisCommand("LPOP", key)).decode(as: Value?.self)
    }

    /// Removes and returns the last element of a list, as bytes (`RPOP`).
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the list.
    /// - Returns: the element, or nil when the list does not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func rpop(_ key: some RedisArgument) async throws -> [UInt8]? {
        try await rpop(key, as: BulkBytes.self)?.bytes
    }

    /// Removes and returns the last element of a list, as `type` (`RPOP`).
    ///
    /// The element is removed even when it then fails to decode.
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the list.
    ///   - type: what to decode the element as.
    /// - Returns: the element, or nil when the list does not exist.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func rpop<Value: RESPDecodable>(
        _ key: some RedisArgument, as type: Value.Type
    ) async throws -> Value? {
        try await send(RedisCommand("RPOP", key)).decode(as: Value?.self)
    }

    /// Removes and returns the first element of the first non-empty list,
    /// waiting up to `timeout` for one to appear (`BLPOP`).
    ///
    /// The connection's command timeout is extended by `timeout`, so a long
    /// wait is not mistaken for a dead server. While this call waits, the
    /// commands queued behind it on the same connection wait too: give
    /// blocking pops a connection of their own.
    ///
    /// - Complexity: O(N) for N keys.
    /// - Parameters:
    ///   - keys: the lists to watch, in order of preference; at least one.
    ///   - timeout: how long to wait; `.zero` waits forever. Fractions of a
    ///     second are allowed.
    /// - Returns: the list the element came from and the element, or nil when
    ///   the timeout passed first.
    /// - Throws: ``RedisError``; `invalidArgument` without keys, or a
    ///   `WRONGTYPE` server error.
    public nonisolated func blpop(
        _ keys: [any RedisArgument], timeout: Duration
    ) async throws -> (key: [UInt8], value: [UInt8])? {
        try await blockingPop("BLPOP", keys, timeout: timeout, as: BulkBytes.self)
            .map { ($0.key, $0.value.bytes) }
    }

    /// Removes and returns the first element of the first non-empty list, as
    /// `type`, waiting up to `timeout` (`BLPOP`).
    ///
    /// - Complexity: O(N) for N keys.
    /// - Parameters:
    ///   - keys: the lists to watch, in order of preference; at least one.
    ///   - timeout: how long to wait; `.zero` waits forever.
    ///   - type: what to decode the element as.
    /// - Returns: the list the element came from and the element, or nil when
    ///   the timeout passed first.
    /// - Throws: ``RedisError``; `invalidArgument` without keys,
    ///   `decodingFailed`, or a `WRONGTYPE` server error.
    public nonisolated func blpop<Value: RESPDecodable>(
        _ keys: [any RedisArgument], timeout: Duration, as type: Value.Type
    ) async throws -> (key: [UInt8], value: Value)? {
        try await blockingPop("BLPOP", keys, timeout: timeout, as: Value.self)
    }

    /// Removes and returns the last element of the first non-empty list,
    /// waiting up to `timeout` for one to appear (`BRPOP`).
    ///
    /// As with ``blpop(_:timeout:)``, the command timeout is extended by
    /// `timeout`, and later commands on the connection wait behind this one.
    ///
    /// - Complexity: O(N) for N keys.
    /// - Parameters:
    ///   - keys: the lists to watch, in order of preference; at least one.
    ///   - timeout: how long to wait; `.zero` waits forever.
    /// - Returns: the list the element came from and the element, or nil when
    ///   the timeout passed first.
    /// - Throws: ``RedisError``; `invalidArgument` without keys, or a
    ///   `WRONGTYPE` server error.
    public nonisolated func brpop(
        _ keys: [any RedisArgument], timeout: Duration
    ) async throws -> (key: [UInt8], value: [UInt8])? {
        try await blockingPop("BRPOP", keys, timeout: timeout, as: BulkBytes.self)
            .map { ($0.key, $0.value.bytes) }
    }

    /// Removes and returns the last element of the first non-empty list, as
    /// `type`, waiting up to `timeout` (`BRPOP`).
    ///
    /// - Complexity: O(N) for N keys.
    /// - Parameters:
    ///   - keys: the lists to watch, in order of preference; at least one.
    ///   - timeout: how long to wait; `.zero` waits forever.
    ///   - type: what to decode the element as.
    /// - Returns: the list the element came from and the element, or nil when
    ///   the timeout passed first.
    /// - Throws: ``RedisError``; `invalidArgument` without keys,
    ///   `decodingFailed`, or a `WRONGTYPE` server error.
    public nonisolated func brpop<Value: RESPDecodable>(
        _ keys: [any RedisArgument], timeout: Duration, as type: Value.Type
    ) async throws -> (key: [UInt8], value: Value)? {
        try await blockingPop("BRPOP", keys, timeout: timeout, as: Value.self)
    }

    private nonisolated func blockingPop<Value: RESPDecodable>(
        _ name: String, _ keys: [any RedisArgument], timeout: Duration, as type: Value.Type
    ) async throws -> (key: [UInt8], value: Value)? {
        guard !keys.isEmpty else {
            throw RedisError(.invalidArgument, "\(name) needs at least one key to watch.")
        }

        // Seconds as a decimal: the server reads fractions, and so does the
        // client when it extends this command's deadline.
        var command = RedisCommand(name, arguments: keys)
        command.append(timeout.seconds)

        let reply = try await send(command)
        if reply.isNull { return nil }
        guard let pair = reply.array, pair.count == 2 else {
            throw RedisError.decoding(reply, as: (key: [UInt8], value: Value).self)
        }
        return (try BulkBytes(fromRESP: pair[0]).bytes, try Value(fromRESP: pair[1]))
    }

    // MARK: Reading

    /// A range of a list's elements as bytes (`LRANGE`).
    ///
    /// ```swift
    /// let latest = try await connection.lrange("room:7:messages", start: 0, stop: 49)
    /// ```
    ///
    /// - Complexity: O(S + N), with S the distance of `start` from the nearer
    ///   end and N the number of elements returned.
    /// - Parameters:
    ///   - key: the list.
    ///   - start: the index of the first element; negative counts from the tail.
    ///   - stop: the index of the last element, included; -1 is the tail.
    /// - Returns: the elements, in list order; empty when the list does not
    ///   exist or the range is empty.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func lrange(
        _ key: some RedisArgument, start: Int = 0, stop: Int = -1
    ) async throws -> [[UInt8]] {
        try await lrange(key, start: start, stop: stop, as: BulkBytes.self).map(\.bytes)
    }

    /// A range of a list's elements as `type` (`LRANGE`).
    ///
    /// - Complexity: O(S + N), with S the distance of `start` from the nearer
    ///   end and N the number of elements returned.
    /// - Parameters:
    ///   - key: the list.
    ///   - start: the index of the first element; negative counts from the tail.
    ///   - stop: the index of the last element, included; -1 is the tail.
    ///   - type: what to decode each element as.
    /// - Returns: the elements, in list order.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func lrange<Value: RESPDecodable>(
        _ key: some RedisArgument, start: Int = 0, stop: Int = -1, as type: Value.Type
    ) async throws -> [Value] {
        try await send(RedisCommand("LRANGE", key, start, stop)).decode(as: [Value].self)
    }

    /// One element of a list as bytes (`LINDEX`).
    ///
    /// - Complexity: O(N), with N the distance of `index` from the head (or
    ///   from the tail, for a negative index).
    /// - Parameters:
    ///   - key: the list.
    ///   - index: the element's position; negative counts from the tail.
    /// - Returns: the element, or nil when the index is out of range or the
    ///   list does not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func lindex(_ key: some RedisArgument, _ index: Int) async throws -> [UInt8]?
    {
        try await lindex(key, index, as: BulkBytes.self)?.bytes
    }

    /// One element of a list as `type` (`LINDEX`).
    ///
    /// - Complexity: O(N), with N the distance of `index` from the nearer end.
    /// - Parameters:
    ///   - key: the list.
    ///   - index: the element's position; negative counts from the tail.
    ///   - type: what to decode the element as.
    /// - Returns: the element, or nil when the index is out of range or the
    ///   list does not exist.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func lindex<Value: RESPDecodable>(
        _ key: some RedisArgument, _ index: Int, as type: Value.Type
    ) async throws -> Value? {
        try await send(RedisCommand("LINDEX", key, index)).decode(as: Value?.self)
    }

    /// The length of a list (`LLEN`).
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the list.
    /// - Returns: the element count, 0 when the list does not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func llen(_ key: some RedisArgument) async throws -> Int {
        try await send(RedisCommand("LLEN", key)).decode(as: Int.self)
    }

    // MARK: Trimming

    /// Keeps only a range of a list's elements (`LTRIM`); the list goes when
    /// the range is empty.
    ///
    /// ```swift
    /// // Keep the 1000 newest messages of a list that grows at the head.
    /// try await connection.ltrim("room:7:messages", start: 0, stop: 999)
    /// ```
    ///
    /// - Complexity: O(N) for N elements removed.
    /// - Parameters:
    ///   - key: the list.
    ///   - start: the index of the first element kept.
    ///   - stop: the index of the last element kept, included.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func ltrim(_ key: some RedisArgument, start: Int, stop: Int) async throws {
        try await send(RedisCommand("LTRIM", key, start, stop))
    }

    /// Removes elements equal to a value from a list (`LREM`).
    ///
    /// - Complexity: O(N + M), with N the list's length and M the number of
    ///   elements removed.
    /// - Parameters:
    ///   - key: the list.
    ///   - value: the value to remove.
    ///   - count: how many to remove: positive from the head, negative from
    ///     the tail, 0 for every occurrence.
    /// - Returns: how many elements were removed.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func lrem(
        _ key: some RedisArgument, value: some RedisArgument, count: Int = 0
    ) async throws -> Int {
        try await send(RedisCommand("LREM", key, count, value)).decode(as: Int.self)
    }
}
