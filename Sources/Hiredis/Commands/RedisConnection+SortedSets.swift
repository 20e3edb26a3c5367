// Sorted sets: ZADD, ZREM, ZSCORE, ZINCRBY, ZRANK, ZCARD, ZRANGE,
// ZRANGEBYSCORE, ZREMRANGEBYSCORE.
//
// Ranks count from 0 at the lowest score; members with equal scores are
// ordered by their bytes.

extension RedisConnection {
    // MARK: Writing

    /// Adds members to a sorted set or updates their scores (`ZADD`).
    ///
    /// ```swift
    /// try await connection.zadd("room:7:typing", members: [userID: expiresAt])
    /// ```
    ///
    /// - Complexity: O(log(N)) per member, for a sorted set of N members.
    /// - Parameters:
    ///   - key: the sorted set, created when needed.
    ///   - members: each member with its score; an empty dictionary returns 0
    ///     without asking the server.
    ///   - options: the `NX`/`XX`/`GT`/`LT` conditions and `CH` reporting.
    /// - Returns: how many members were added, or added and changed with
    ///   ``RedisZAddOptions/countChanged``.
    /// - Throws: ``RedisError``; an `ERR` server error for options that
    ///   contradict each other or a score that is not a number, or a
    ///   `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func zadd<Member: RedisArgument & Hashable>(
        _ key: some RedisArgument, members: [Member: Double], options: RedisZAddOptions = []
    ) async throws -> Int {
        guard !members.isEmpty else { return 0 }

        var command = RedisCommand("ZADD", key)
        options.append(to: &command)
        for (member, score) in members {
            command.append(score)
            command.append(member)
        }
        return try await send(command).decode(as: Int.self)
    }

    /// Adds `increment` to a member's score (`ZINCRBY`); a missing member
    /// starts at 0.
    ///
    /// - Complexity: O(log(N)) for a sorted set of N members.
    /// - Parameters:
    ///   - key: the sorted set, created when needed.
    ///   - member: the member whose score changes.
    ///   - increment: the amount to add; negative amounts subtract.
    /// - Returns: the member's new score.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func zincrby(
        _ key: some RedisArgument, member: some RedisArgument, by increment: Double
    ) async throws -> Double {
        try await send(RedisCommand("ZINCRBY", key, increment, member)).decode(as: Double.self)
    }

    /// Removes members from a sorted set (`ZREM`).
    ///
    /// - Complexity: O(M log(N)) for M members removed from a sorted set of N.
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - members: the members to remove; an empty list returns 0 without
    ///     asking the server.
    /// - Returns: how many of the members were in the sorted set.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func zrem(
        _ key: some RedisArgument, _ members: [any RedisArgument]
    ) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try await send(RedisCommand("ZREM", key: key, members)).decode(as: Int.self)
    }

    /// Removes the members given as arguments from a sorted set (`ZREM`).
    ///
    /// - Complexity: O(M log(N)) for M members removed from a sorted set of N.
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - members: the members to remove.
    /// - Returns: how many of the members were in the sorted set.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func zrem(
        _ key: some RedisArgument, _ members: any RedisArgument...
    ) async throws -> Int {
        try await zrem(key, members)
    }

    /// Removes the members whose scores lie in a range (`ZREMRANGEBYSCORE`).
    ///
    /// ```swift
    /// // Drop typing indicators that expired before now.
    /// try await connection.zremrangebyscore(key, min: .negativeInfinity, max: .exclusive(now))
    /// ```
    ///
    /// - Complexity: O(log(N) + M) for M members removed from a sorted set of N.
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - min: the lowest score removed.
    ///   - max: the highest score removed.
    /// - Returns: how many members were removed.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func zremrangebyscore(
        _ key: some RedisArgument, min: RedisScoreBound, max: RedisScoreBound
    ) async throws -> Int {
        try await send(RedisCommand("ZREMRANGEBYSCORE", key, min, max)).decode(as: Int.self)
    }

    // MARK: Reading one member

    /// The score of a member (`ZSCORE`).
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - member: the member to look up.
    /// - Returns: the score, or nil when the sorted set or the member does not
    ///   exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func zscore(
        _ key: some RedisArgument, member: some RedisArgument
    ) async throws -> Double? {
        try await send(RedisCommand("ZSCORE", key, member)).decode(as: Double?.self)
    }

    /// The rank of a member, from 0 at the lowest score (`ZRANK`).
    ///
    /// - Complexity: O(log(N)) for a sorted set of N members.
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - member: the member to look up.
    /// - Returns: the rank, or nil when the sorted set or the member does not
    ///   exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func zrank(
        _ key: some RedisArgument, member: some RedisArgument
    ) async throws -> Int? {
        try await send(RedisCommand("ZRANK", key, member)).decode(as: Int?.self)
    }

    /// The number of members of a sorted set (`ZCARD`).
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the sorted set.
    /// - Returns: the member count, 0 when the sorted set does not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func zcard(_ key: some RedisArgument) async throws -> Int {
        try await send(RedisCommand("ZCARD", key)).decode(as: Int.self)
    }

    // MARK: Ranges by rank

    /// Members by rank as bytes, lowest score first (`ZRANGE`).
    ///
    /// - Complexity: O(log(N) + M) for M members returned from a sorted set
    ///   of N.
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - start: the rank of the first member; negative counts from the end.
    ///   - stop: the rank of the last member, included; -1 is the last.
    ///   - reverse: whether rank 0 is the highest score instead (`REV`).
    /// - Returns: the members in rank order; empty when the sorted set does
    ///   not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func zrange(
        _ key: some RedisArgument, start: Int = 0, stop: Int = -1, reverse: Bool = false
    ) async throws -> [[UInt8]] {
        try await zrange(key, start: start, stop: stop, reverse: reverse, as: BulkBytes.self)
            .map(\.bytes)
    }

    /// Members by rank as `type`, lowest score first (`ZRANGE`).
    ///
    /// - Complexity: O(log(N) + M) for M members returned from a sorted set
    ///   of N.
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - start: the rank of the first member; negative counts from the end.
    ///   - stop: the rank of the last member, included; -1 is the last.
    ///   - reverse: whether rank 0 is the highest score instead (`REV`).
    ///   - type: what to decode each member as.
    /// - Returns: the members in rank order.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func zrange<Member: RESPDecodable>(
        _ key: some RedisArgument, start: Int = 0, stop: Int = -1, reverse: Bool = false,
        as type: Member.Type
    ) async throws -> [Member] {
        let command = rankRange(key, start: start, stop: stop, reverse: reverse, scores: false)
        return try await send(command).decode(as: [Member].self)
    }

    /// Members with their scores by rank, lowest score first
    /// (`ZRANGE ... WITHSCORES`).
    ///
    /// - Complexity: O(log(N) + M) for M members returned from a sorted set
    ///   of N.
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - start: the rank of the first member; negative counts from the end.
    ///   - stop: the rank of the last member, included; -1 is the last.
    ///   - reverse: whether rank 0 is the highest score instead (`REV`).
    /// - Returns: each member as bytes with its score, in rank order.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func zrangeWithScores(
        _ key: some RedisArgument, start: Int = 0, stop: Int = -1, reverse: Bool = false
    ) async throws -> [(member: [UInt8], score: Double)] {
        try await zrangeWithScores(
            key, start: start, stop: stop, reverse: reverse, as: BulkBytes.self
        ).map { ($0.member.bytes, $0.score) }
    }

    /// Members as `type` with their scores by rank, lowest score first
    /// (`ZRANGE ... WITHSCORES`).
    ///
    /// - Complexity: O(log(N) + M) for M members returned from a sorted set
    ///   of N.
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - start: the rank of the first member; negative counts from the end.
    ///   - stop: the rank of the last member, included; -1 is the last.
    ///   - reverse: whether rank 0 is the highest score instead (`REV`).
    ///   - type: what to decode each member as.
    /// - Returns: each member with its score, in rank order.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func zrangeWithScores<Member: RESPDecodable>(
        _ key: some RedisArgument, start: Int = 0, stop: Int = -1, reverse: Bool = false,
        as type: Member.Type
    ) async throws -> [(member: Member, score: Double)] {
        let command = rankRange(key, start: start, stop: stop, reverse: reverse, scores: true)
        return try Self.scoredMembers(try await send(command), as: Member.self)
    }

    // MARK: Ranges by score

    /// Members whose scores lie in a range, as bytes, lowest score first
    /// (`ZRANGEBYSCORE`).
    ///
    /// ```swift
    /// let active = try await connection.zrangebyscore(
    ///     "room:7:typing", min: .exclusive(now), max: .infinity)
    /// ```
    ///
    /// - Complexity: O(log(N) + M) for M members returned from a sorted set
    ///   of N (O(log(N)) more to skip `limit.offset` members).
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - min: the lowest score returned.
    ///   - max: the highest score returned.
    ///   - limit: the number of matching members to skip and the most to
    ///     return (`LIMIT`); nil returns them all.
    /// - Returns: the members in score order.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func zrangebyscore(
        _ key: some RedisArgument, min: RedisScoreBound, max: RedisScoreBound,
        limit: (offset: Int, count: Int)? = nil
    ) async throws -> [[UInt8]] {
        try await zrangebyscore(key, min: min, max: max, limit: limit, as: BulkBytes.self)
            .map(\.bytes)
    }

    /// Members whose scores lie in a range, as `type`, lowest score first
    /// (`ZRANGEBYSCORE`).
    ///
    /// - Complexity: O(log(N) + M) for M members returned from a sorted set
    ///   of N.
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - min: the lowest score returned.
    ///   - max: the highest score returned.
    ///   - limit: the number of matching members to skip and the most to
    ///     return (`LIMIT`); nil returns them all.
    ///   - type: what to decode each member as.
    /// - Returns: the members in score order.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func zrangebyscore<Member: RESPDecodable>(
        _ key: some RedisArgument, min: RedisScoreBound, max: RedisScoreBound,
        limit: (offset: Int, count: Int)? = nil, as type: Member.Type
    ) async throws -> [Member] {
        let command = scoreRange(key, min: min, max: max, limit: limit, scores: false)
        return try await send(command).decode(as: [Member].self)
    }

    /// Members whose scores lie in a range, with their scores, lowest first
    /// (`ZRANGEBYSCORE ... WITHSCORES`).
    ///
    /// - Complexity: O(log(N) + M) for M members returned from a sorted set
    ///   of N.
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - min: the lowest score returned.
    ///   - max: the highest score returned.
    ///   - limit: the number of matching members to skip and the most to
    ///     return (`LIMIT`); nil returns them all.
    /// - Returns: each member as bytes with its score, in score order.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func zrangebyscoreWithScores(
        _ key: some RedisArgument, min: RedisScoreBound, max: RedisScoreBound,
        limit: (offset: Int, count: Int)? = nil
    ) async throws -> [(member: [UInt8], score: Double)] {
        try await zrangebyscoreWithScores(
            key, min: min, max: max, limit: limit, as: BulkBytes.self
        ).map { ($0.member.bytes, $0.score) }
    }

    /// Members whose scores lie in a range, as `type`, with their scores,
    /// lowest first (`ZRANGEBYSCORE ... WITHSCORES`).
    ///
    /// - Complexity: O(log(N) + M) for M members returned from a sorted set
    ///   of N.
    /// - Parameters:
    ///   - key: the sorted set.
    ///   - min: the lowest score returned.
    ///   - max: the highest score returned.
    ///   - limit: the number of matching members to skip and the most to
    ///     return (`LIMIT`); nil returns them all.
    ///   - type: what to decode each member as.
    /// - Returns: each member with its score, in score order.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func zrangebyscoreWithScores<Member: RESPDecodable>(
        _ key: some RedisArgument, min: RedisScoreBound, max: RedisScoreBound,
        limit: (offset: Int, count: Int)? = nil, as type: Member.Type
    ) async throws -> [(member: Member, score: Double)] {
        let command = scoreRange(key, min: min, max: max, limit: limit, scores: true)
        return try Self.scoredMembers(try await send(command), as: Member.self)
    }

    // MARK: Building and reading ranges

    private nonisolated func rankRange(
        _ key: some RedisArgument, start: Int, stop: Int, reverse: Bool, scores: Bool
    ) -> RedisCommand {
        var command = RedisCommand("ZRANGE", key, start, stop)
        if reverse { command.append("REV") }
        if scores { command.append("WITHSCORES") }
        return command
    }

    private nonisolated func scoreRange(
        _ key: some RedisArgument, min: RedisScoreBound, max: RedisScoreBound,
        limit: (offset: Int, count: Int)?, scores: Bool
    ) -> RedisCommand {
        var command = RedisCommand("ZRANGEBYSCORE", key, min, max)
        if scores { command.append("WITHSCORES") }
        if let limit {
            command.append("LIMIT")
            command.append(limit.offset)
            command.append(limit.count)
        }
        return command
    }

    /// Reads a WITHSCORES reply: a flat array of members, each followed by
    /// its score.
    private static func scoredMembers<Member: RESPDecodable>(
        _ reply: RESPValue, as type: Member.Type
    ) throws(RedisError) -> [(member: Member, score: Double)] {
        let flat = try reply.decode(as: [RESPValue].self)
        guard flat.count.isMultiple(of: 2) else {
            throw .decoding(reply, as: [(member: Member, score: Double)].self)
        }

        var members: [(member: Member, score: Double)] = []
        members.reserveCapacity(flat.count / 2)
        for index in stride(from: 0, to: flat.count, by: 2) {
            let member = try Member(fromRESP: flat[index])
            let score = try Double(fromRESP: flat[index + 1])
            members.append((member, score))
        }
        return members
    }
}
