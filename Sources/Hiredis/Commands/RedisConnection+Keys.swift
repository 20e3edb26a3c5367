// Keys and expiry: DEL, UNLINK, EXISTS, EXPIRE, PEXPIRE, TTL, PTTL,
// PERSIST, TYPE, RENAME.

extension RedisConnection {
    // MARK: Deleting

    /// Deletes keys (`DEL`), freeing their values before replying.
    ///
    /// - Complexity: O(N) for N keys, plus O(M) for each list, set, sorted
    ///   set or hash of M elements removed; `unlink` frees large values in
    ///   the background instead.
    /// - Parameter keys: the keys to delete; missing ones are ignored, and an
    ///   empty list returns 0 without asking the server.
    /// - Returns: how many of the keys existed.
    /// - Throws: ``RedisError`` when the connection fails.
    @discardableResult
    public nonisolated func del(_ keys: [any RedisArgument]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await send(RedisCommand("DEL", arguments: keys)).decode(as: Int.self)
    }

    /// Deletes the keys given as arguments (`DEL`).
    ///
    /// - Complexity: O(N) for N keys, plus O(M) for each collection of M
    ///   elements removed.
    /// - Parameter keys: the keys to delete; missing ones are ignored.
    /// - Returns: how many of the keys existed.
    /// - Throws: ``RedisError`` when the connection fails.
    @discardableResult
    public nonisolated func del(_ keys: any RedisArgument...) async throws -> Int {
        try await del(keys)
    }

    /// Removes keys at once and frees their values in the background
    /// (`UNLINK`).
    ///
    /// - Complexity: O(1) per key removed; freeing happens later, off the
    ///   server's main thread.
    /// - Parameter keys: the keys to remove; missing ones are ignored, and an
    ///   empty list returns 0 without asking the server.
    /// - Returns: how many of the keys existed.
    /// - Throws: ``RedisError`` when the connection fails.
    @discardableResult
    public nonisolated func unlink(_ keys: [any RedisArgument]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await send(RedisCommand("UNLINK", arguments: keys)).decode(as: Int.self)
    }

    /// Removes the keys given as arguments, freeing them in the background
    /// (`UNLINK`).
    ///
    /// - Complexity: O(1) per key removed.
    /// - Parameter keys: the keys to remove; missing ones are ignored.
    /// - Returns: how many of the keys existed.
    /// - Throws: ``RedisError`` when the connection fails.
    @discardableResult
    public nonisolated func unlink(_ keys: any RedisArgument...) async throws -> Int {
        try await unlink(keys)
    }

    // MARK: Inspecting

    /// Counts how many of the keys exist (`EXISTS`).
    ///
    /// A key named twice counts twice, as the server counts it.
    ///
    /// - Complexity: O(N) for N keys.
    /// - Parameter keys: the keys to look for; an empty list returns 0 without
    ///   asking the server.
    /// - Returns: the number of keys that exist.
    /// - Throws: ``RedisError`` when the connection fails.
    public nonisolated func exists(_ keys: [any RedisArgument]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await send(RedisCommand("EXISTS", arguments: keys)).decode(as: Int.self)
    }

    /// Counts how many of the keys given as arguments exist (`EXISTS`).
    ///
    /// ```swift
    /// let isOnline = try await connection.exists("user:42:alive") == 1
    /// ```
    ///
    /// - Complexity: O(N) for N keys.
    /// - Parameter keys: the keys to look for.
    /// - Returns: the number of keys that exist.
    /// - Throws: ``RedisError`` when the connection fails.
    public nonisolated func exists(_ keys: any RedisArgument...) async throws -> Int {
        try await exists(keys)
    }

    /// The kind of value a key holds (`TYPE`).
    ///
    /// Named `keyType` rather than `type` so that it does not hide Swift's
    /// `type(of:)` inside extensions of the connection.
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the key to inspect.
    /// - Returns: the kind of value, or nil when the key does not exist.
    /// - Throws: ``RedisError`` when the connection fails.
    public nonisolated func keyType(_ key: some RedisArgument) async throws -> RedisKeyType? {
        let name = try await send(RedisCommand("TYPE", key)).decode(as: String.self)
        return name == "none" ? nil : RedisKeyType(rawValue: name)
    }

    /// Renames a key, replacing any key that already has the new name
    /// (`RENAME`).
    ///
    /// The time to live moves with the value.
    ///
    /// - Complexity: O(1), plus the cost of deleting a replaced value.
    /// - Parameters:
    ///   - key: the key to rename.
    ///   - newKey: its new name.
    /// - Throws: ``RedisError``; an `ERR` server error when `key` does not
    ///   exist.
    public nonisolated func rename(_ key: some RedisArgument, to newKey: some RedisArgument)
        async throws
    {
        try await send(RedisCommand("RENAME", key, newKey))
    }

    // MARK: Expiry

    /// Makes a key expire after `seconds` seconds (`EXPIRE`).
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the key to expire.
    ///   - seconds: the time to live; zero or less deletes the key at once.
    /// - Returns: true when the time to live was set, false when the key does
    ///   not exist.
    /// - Throws: ``RedisError`` when the connection fails.
    @discardableResult
    public nonisolated func expire(_ key: some RedisArgument, seconds: Int) async throws -> Bool {
        try await send(RedisCommand("EXPIRE", key, seconds)).decode(as: Bool.self)
    }

    /// Makes a key expire after `milliseconds` milliseconds (`PEXPIRE`).
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the key to expire.
    ///   - milliseconds: the time to live; zero or less deletes the key at
    ///     once.
    /// - Returns: true when the time to live was set, false when the key does
    ///   not exist.
    /// - Throws: ``RedisError`` when the connection fails.
    @discardableResult
    public nonisolated func pexpire(_ key: some RedisArgument, milliseconds: Int) async throws
        -> Bool
    {
        try await send(RedisCommand("PEXPIRE", key, milliseconds)).decode(as: Bool.self)
    }

    /// How long a key has left to live, to the second (`TTL`).
    ///
    /// ```swift
    /// switch try await connection.ttl(key) {
    /// case .noKey: print("gone")
    /// case .noExpiry: print("kept forever")
    /// case .expires(let remaining): print("expires in \(remaining)")
    /// }
    /// ```
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the key to inspect.
    /// - Returns: ``RedisTimeToLive/noKey``, ``RedisTimeToLive/noExpiry``, or
    ///   the time left in whole seconds.
    /// - Throws: ``RedisError`` when the connection fails.
    public nonisolated func ttl(_ key: some RedisArgument) async throws -> RedisTimeToLive {
        let reply = try await send(RedisCommand("TTL", key)).decode(as: Int.self)
        return RedisTimeToLive(reply: reply, unit: .seconds(1))
    }

    /// How long a key has left to live, to the millisecond (`PTTL`).
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the key to inspect.
    /// - Returns: ``RedisTimeToLive/noKey``, ``RedisTimeToLive/noExpiry``, or
    ///   the time left in whole milliseconds.
    /// - Throws: ``RedisError`` when the connection fails.
    public nonisolated func pttl(_ key: some RedisArgument) async throws -> RedisTimeToLive {
        let reply = try await send(RedisCommand("PTTL", key)).decode(as: Int.self)
        return RedisTimeToLive(reply: reply, unit: .milliseconds(1))
    }

    /// Removes a key's time to live, so that it stays until deleted
    /// (`PERSIST`).
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the key to keep.
    /// - Returns: true when a time to live was removed; false when the key
    ///   does not exist or had none.
    /// - Throws: ``RedisError`` when the connection fails.
    @discardableResult
    public nonisolated func persist(_ key: some RedisArgument) async throws -> Bool {
        try await send(RedisCommand("PERSIST", key)).decode(as: Bool.self)
    }
}
