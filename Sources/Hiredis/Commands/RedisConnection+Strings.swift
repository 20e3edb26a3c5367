// Strings and counters: GET, SET, MGET, MSET, GETDEL, APPEND, STRLEN,
// INCR, INCRBY, DECR, DECRBY, INCRBYFLOAT.
//
// Each reading command comes twice: without `as:` it returns the value's
// bytes exactly; with `as:` it decodes them (a non-UTF-8 value read
// `as: String.self` throws `decodingFailed`).

extension RedisConnection {
    // MARK: Reading

    /// Reads the value of a key as bytes (`GET`).
    ///
    /// An empty value reads as `[]`, and only a missing key reads as nil.
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the key to read.
    /// - Returns: the value, byte for byte, or nil when the key does not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error when the key holds
    ///   a list, set or other non-string value.
    public nonisolated func get(_ key: some RedisArgument) async throws -> [UInt8]? {
        try await get(key, as: BulkBytes.self)?.bytes
    }

    /// Reads the value of a key as `type` (`GET`).
    ///
    /// ```swift
    /// let name = try await connection.get("user:42:name", as: String.self)
    /// ```
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the key to read.
    ///   - type: what to decode the value as, such as `String`, `Int` or `Data`.
    /// - Returns: the decoded value, or nil when the key does not exist.
    /// - Throws: ``RedisError``; `decodingFailed` when the value does not read
    ///   as `type`, or a `WRONGTYPE` server error.
    public nonisolated func get<Value: RESPDecodable>(
        _ key: some RedisArgument, as type: Value.Type
    ) async throws -> Value? {
        try await send(RedisCommand("GET", key)).decode(as: Value?.self)
    }

    /// Reads the values of several keys in one command (`MGET`).
    ///
    /// Missing keys, and keys holding something other than a string, keep
    /// their slots as nil, so the result lines up with `keys`.
    ///
    /// - Complexity: O(N) for N keys.
    /// - Parameter keys: the keys to read; an empty list returns `[]` without
    ///   asking the server.
    /// - Returns: one value or nil per key, in order.
    /// - Throws: ``RedisError`` when the connection fails.
    public nonisolated func mget(_ keys: [any RedisArgument]) async throws -> [[UInt8]?] {
        try await mget(keys, as: BulkBytes.self).map { $0?.bytes }
    }

    /// Reads the values of several keys in one command, as `type` (`MGET`).
    ///
    /// - Complexity: O(N) for N keys.
    /// - Parameters:
    ///   - keys: the keys to read; an empty list returns `[]` without asking
    ///     the server.
    ///   - type: what to decode each value as.
    /// - Returns: one decoded value or nil per key, in order.
    /// - Throws: ``RedisError``; `decodingFailed` when a value does not read as
    ///   `type`.
    public nonisolated func mget<Value: RESPDecodable>(
        _ keys: [any RedisArgument], as type: Value.Type
    ) async throws -> [Value?] {
        guard !keys.isEmpty else { return [] }
        return try await send(RedisCommand("MGET", arguments: keys)).decode(as: [Value?].self)
    }

    /// Reads the value of a key and deletes the key (`GETDEL`).
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the key to take.
    /// - Returns: the value it had, or nil when it did not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error, which leaves the
    ///   key in place.
    public nonisolated func getdel(_ key: some RedisArgument) async throws -> [UInt8]? {
        try await getdel(key, as: BulkBytes.self)?.bytes
    }

    /// Reads the value of a key as `type` and deletes the key (`GETDEL`).
    ///
    /// The key is deleted even when its value then fails to decode.
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the key to take.
    ///   - type: what to decode the value as.
    /// - Returns: the decoded value, or nil when the key did not exist.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func getdel<Value: RESPDecodable>(
        _ key: some RedisArgument, as type: Value.Type
    ) async throws -> Value? {
        try await send(RedisCommand("GETDEL", key)).decode(as: Value?.self)
    }

    /// The length of a key's value in bytes (`STRLEN`).
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the key to measure.
    /// - Returns: the byte count, 0 when the key does not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func strlen(_ key: some RedisArgument) async throws -> Int {
        try await send(RedisCommand("STRLEN", key)).decode(as: Int.self)
    }

    // MARK: Writing

    /// Writes the value of a key (`SET`), under a condition and with an
    /// expiration when asked.
    ///
    /// ```swift
    /// try await connection.set("greeting", to: "hello")
    /// let isFirst = try await connection.set(
    ///     "job:7:owner", to: worker,
    ///     options: RedisSetOptions(condition: .ifNotExists, expiration: .seconds(60)))
    /// ```
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the key to write; any value it held, of any type, is replaced.
    ///   - value: the bytes to store.
    ///   - options: the `NX`/`XX` condition and the `EX`/`PX`/`KEEPTTL`
    ///     expiration; by default SET writes and clears any time to live.
    /// - Returns: true when the value was written; false when the condition
    ///   in `options` did not hold and nothing changed.
    /// - Throws: ``RedisError``; an `ERR` server error for an expiration the
    ///   server refuses (zero or negative).
    @discardableResult
    public nonisolated func set(
        _ key: some RedisArgument, to value: some RedisArgument,
        options: RedisSetOptions = RedisSetOptions()
    ) async throws -> Bool {
        var command = RedisCommand("SET", key, value)
        options.append(to: &command)

        // OK when written, nil when NX or XX stopped it.
        return try await send(command).decode(as: Bool.self)
    }

    /// Writes several keys at once (`MSET`); no other client sees some of
    /// them written and others not.
    ///
    /// - Complexity: O(N) for N keys.
    /// - Parameter values: the value of each key; an empty dictionary sends
    ///   nothing.
    /// - Throws: ``RedisError`` when the connection fails.
    public nonisolated func mset<Key: RedisArgument & Hashable>(
        _ values: [Key: any RedisArgument]
    ) async throws {
        try await mset(values.map { (key: $0.key as any RedisArgument, value: $0.value) })
    }

    /// Writes several keys at once, given as pairs (`MSET`).
    ///
    /// Keys may be of mixed argument types; when a key appears twice, the
    /// later pair wins.
    ///
    /// - Complexity: O(N) for N keys.
    /// - Parameter pairs: each key and its value; an empty list sends nothing.
    /// - Throws: ``RedisError`` when the connection fails.
    public nonisolated func mset(
        _ pairs: [(key: any RedisArgument, value: any RedisArgument)]
    ) async throws {
        guard !pairs.isEmpty else { return }

        var command = RedisCommand("MSET")
        for pair in pairs {
            command.append(pair.key)
            command.append(pair.value)
        }
        try await send(command)
    }

    /// Appends bytes to the value of a key (`APPEND`), creating the key when
    /// it does not exist.
    ///
    /// - Complexity: O(1) amortized.
    /// - Parameters:
    ///   - value: the bytes to add at the end.
    ///   - key: the key whose value grows.
    /// - Returns: the length of the value afterwards, in bytes.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func append(
        _ value: some RedisArgument, to key: some RedisArgument
    ) async throws -> Int {
        try await send(RedisCommand("APPEND", key, value)).decode(as: Int.self)
    }

    // MARK: Counters

    /// Adds one to the integer stored at a key (`INCR`); a missing key counts
    /// as 0.
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the counter.
    /// - Returns: the value after the increment.
    /// - Throws: ``RedisError``; an `ERR` server error, with the value left
    ///   unchanged, when it is not an integer or the result would overflow a
    ///   signed 64-bit integer.
    @discardableResult
    public nonisolated func incr(_ key: some RedisArgument) async throws -> Int {
        try await send(RedisCommand("INCR", key)).decode(as: Int.self)
    }

    /// Adds `increment` to the integer stored at a key (`INCRBY`); a missing
    /// key counts as 0.
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the counter.
    ///   - increment: the amount to add; negative amounts subtract.
    /// - Returns: the value after the increment.
    /// - Throws: ``RedisError``; an `ERR` server error, with the value left
    ///   unchanged, when it is not an integer or the result would overflow.
    @discardableResult
    public nonisolated func incr(_ key: some RedisArgument, by increment: Int) async throws -> Int {
        try await send(RedisCommand("INCRBY", key, increment)).decode(as: Int.self)
    }

    /// Adds `increment` to the number stored at a key (`INCRBYFLOAT`); a
    /// missing key counts as 0.
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the counter.
    ///   - increment: the amount to add; negative amounts subtract.
    /// - Returns: the value after the increment.
    /// - Throws: ``RedisError``; an `ERR` server error when the value is not a
    ///   number or the result is not finite.
    @discardableResult
    public nonisolated func incr(_ key: some RedisArgument, by increment: Double) async throws
        -> Double
    {
        try await send(RedisCommand("INCRBYFLOAT", key, increment)).decode(as: Double.self)
    }

    /// Subtracts one from the integer stored at a key (`DECR`); a missing key
    /// counts as 0.
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the counter.
    /// - Returns: the value after the decrement.
    /// - Throws: ``RedisError``; an `ERR` server error, with the value left
    ///   unchanged, when it is not an integer or the result would overflow.
    @discardableResult
    public nonisolated func decr(_ key: some RedisArgument) async throws -> Int {
        try await send(RedisCommand("DECR", key)).decode(as: Int.self)
    }

    /// Subtracts `decrement` from the integer stored at a key (`DECRBY`); a
    /// missing key counts as 0.
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the counter.
    ///   - decrement: the amount to subtract.
    /// - Returns: the value after the decrement.
    /// - Throws: ``RedisError``; an `ERR` server error, with the value left
    ///   unchanged, when it is not an integer or the result would overflow.
    @discardableResult
    public nonisolated func decr(_ key: some RedisArgument, by decrement: Int) async throws -> Int {
        try await send(RedisCommand("DECRBY", key, decrement)).decode(as: Int.self)
    }
}
