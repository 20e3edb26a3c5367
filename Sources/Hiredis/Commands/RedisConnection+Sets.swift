// Sets: SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD.

extension RedisConnection {
    /// Adds members to a set (`SADD`), creating the set when needed.
    ///
    /// - Complexity: O(N) for N members.
    /// - Parameters:
    ///   - key: the set.
    ///   - members: the members to add; an empty list returns 0 without
    ///     asking the server.
    /// - Returns: how many members were not in the set before.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error when the key holds
    ///   something other than a set.
    @discardableResult
    public nonisolated func sadd(
        _ key: some RedisArgument, _ members: [any RedisArgument]
    ) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try await send(RedisCommand("SADD", key: key, members)).decode(as: Int.self)
    }

    /// Adds the members given as arguments to a set (`SADD`).
    ///
    /// ```swift
    /// try await connection.sadd("room:7:members", userID)
    /// ```
    ///
    /// - Complexity: O(N) for N members.
    /// - Parameters:
    ///   - key: the set.
    ///   - members: the members to add.
    /// - Returns: how many members were not in the set before.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func sadd(
        _ key: some RedisArgument, _ members: any RedisArgument...
    ) async throws -> Int {
        try await sadd(key, members)
    }

    /// Removes members from a set (`SREM`); the set goes when its last member
    /// does.
    ///
    /// - Complexity: O(N) for N members.
    /// - Parameters:
    ///   - key: the set.
    ///   - members: the members to remove; an empty list returns 0 without
    ///     asking the server.
    /// - Returns: how many of the members were in the set.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func srem(
        _ key: some RedisArgument, _ members: [any RedisArgument]
    ) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try await send(RedisCommand("SREM", key: key, members)).decode(as: Int.self)
    }

    /// Removes the members given as arguments from a set (`SREM`).
    ///
    /// - Complexity: O(N) for N members.
    /// - Parameters:
    ///   - key: the set.
    ///   - members: the members to remove.
    /// - Returns: how many of the members were in the set.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func srem(
        _ key: some RedisArgument, _ members: any RedisArgument...
    ) async throws -> Int {
        try await srem(key, members)
    }

    /// Every member of a set as bytes (`SMEMBERS`).
    ///
    /// - Complexity: O(N) for a set of N members; prefer SSCAN for large sets.
    /// - Parameter key: the set.
    /// - Returns: the members, in no particular order; empty when the set
    ///   does not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func smembers(_ key: some RedisArgument) async throws -> [[UInt8]] {
        try await smembers(key, as: BulkBytes.self).map(\.bytes)
    }

    /// Every member of a set as `type` (`SMEMBERS`).
    ///
    /// - Complexity: O(N) for a set of N members.
    /// - Parameters:
    ///   - key: the set.
    ///   - type: what to decode each member as.
    /// - Returns: the members, in no particular order.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func smembers<Member: RESPDecodable>(
        _ key: some RedisArgument, as type: Member.Type
    ) async throws -> [Member] {
        try await send(RedisCommand("SMEMBERS", key)).decode(as: [Member].self)
    }

    /// Whether a value is a member of a set (`SISMEMBER`).
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the set.
    ///   - member: the value to look for.
    /// - Returns: true when the set exists and holds `member`.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func sismember(
        _ key: some RedisArgument, member: some RedisArgument
    ) async throws -> Bool {
        try await send(RedisCommand("SISMEMBER", key, member)).decode(as: Bool.self)
    }

    /// Whether each of several values is a member of a set (`SMISMEMBER`).
    ///
    /// - Complexity: O(N) for N values.
    /// - Parameters:
    ///   - key: the set.
    ///   - members: the values to look for; an empty list returns `[]`
    ///     without asking the server.
    /// - Returns: one answer per value, in order.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func smismember(
        _ key: some RedisArgument, _ members: [any RedisArgument]
    ) async throws -> [Bool] {
        guard !members.isEmpty else { return [] }
        return try await send(RedisCommand("SMISMEMBER", key: key, members)).decode(as: [Bool].self)
    }

    /// The number of members of a set (`SCARD`).
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the set.
    /// - Returns: the member count, 0 when the set does not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func scard(_ key: some RedisArgument) async throws -> Int {
        try await send(RedisCommand("SCARD", key)).decode(as: Int.self)
    }
}
