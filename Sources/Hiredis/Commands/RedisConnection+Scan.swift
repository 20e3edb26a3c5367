// Iterating the keyspace: SCAN, one page at a time or as a sequence.

extension RedisConnection {
    /// Every key of the database, as bytes, fetched page by page with `SCAN`.
    ///
    /// See ``RedisKeyScan`` for what SCAN guarantees while keys change.
    ///
    /// - Complexity: O(1) per page, O(N) over the whole iteration for N keys
    ///   in the database (not just those that match).
    /// - Parameters:
    ///   - match: a glob-style pattern keys must match (`MATCH`), such as
    ///     `user:*`; the server filters after reading a page, so pages can be
    ///     empty.
    ///   - count: how much work the server does per page (`COUNT`, a hint;
    ///     10 by default).
    ///   - type: only keys holding this kind of value (`TYPE`).
    /// - Returns: a sequence of keys; each iteration of it scans anew.
    public nonisolated func scan(
        match: String? = nil, count: Int? = nil, type: RedisKeyType? = nil
    ) -> RedisKeyScan<[UInt8]> {
        let filter = RedisScanFilter(match: match, count: count, type: type)
        return RedisKeyScan(connection: self, filter: filter) { reply throws(RedisError) in
            try reply.decode(as: [BulkBytes].self).map(\.bytes)
        }
    }

    /// Every key of the database, decoded as `type`, fetched page by page
    /// with `SCAN`.
    ///
    /// - Complexity: O(1) per page, O(N) over the whole iteration for N keys
    ///   in the database.
    /// - Parameters:
    ///   - match: a glob-style pattern keys must match (`MATCH`).
    ///   - count: how much work the server does per page (`COUNT`, a hint).
    ///   - type: only keys holding this kind of value (`TYPE`).
    ///   - keyType: what to decode each key as, such as `String` or `Data`; a
    ///     key that does not decode ends the iteration with `decodingFailed`.
    /// - Returns: a sequence of keys; each iteration of it scans anew.
    public nonisolated func scan<Key: RESPDecodable & Sendable>(
        match: String? = nil, count: Int? = nil, type: RedisKeyType? = nil,
        as keyType: Key.Type
    ) -> RedisKeyScan<Key> {
        let filter = RedisScanFilter(match: match, count: count, type: type)
        return RedisKeyScan(connection: self, filter: filter) { reply throws(RedisError) in
            try reply.decode(as: [Key].self)
        }
    }

    /// One page of keys from a `SCAN` cursor.
    ///
    /// Start with cursor 0 and pass each returned cursor to the next call;
    /// the scan is over when the returned cursor is 0. Use this form to
    /// resume a scan later, or from another process; otherwise
    /// ``scan(match:count:type:)`` loops for you.
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - cursor: 0 to start, or the cursor the previous page returned.
    ///   - match: a glob-style pattern keys must match (`MATCH`).
    ///   - count: how much work the server does for this page (`COUNT`).
    ///   - type: only keys holding this kind of value (`TYPE`).
    /// - Returns: the cursor of the next page (0 when done) and this page's
    ///   keys as bytes, possibly none.
    /// - Throws: ``RedisError``; an `ERR` server error for a cursor the server
    ///   did not hand out.
    public nonisolated func scan(
        cursor: UInt64, match: String? = nil, count: Int? = nil, type: RedisKeyType? = nil
    ) async throws -> (cursor: UInt64, keys: [[UInt8]]) {
        let page = try await scan(
            cursor: cursor, match: match, count: count, type: type, as: BulkBytes.self)
        return (page.cursor, page.keys.map(\.bytes))
    }

    /// One page of keys from a `SCAN` cursor, decoded as `type`.
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - cursor: 0 to start, or the cursor the previous page returned.
    ///   - match: a glob-style pattern keys must match (`MATCH`).
    ///   - count: how much work the server does for this page (`COUNT`).
    ///   - type: only keys holding this kind of value (`TYPE`).
    ///   - keyType: what to decode each key as.
    /// - Returns: the cursor of the next page (0 when done) and this page's
    ///   keys, possibly none.
    /// - Throws: ``RedisError``; `decodingFailed` when a key does not read as
    ///   `keyType`.
    public nonisolated func scan<Key: RESPDecodable>(
        cursor: UInt64, match: String? = nil, count: Int? = nil, type: RedisKeyType? = nil,
        as keyType: Key.Type
    ) async throws -> (cursor: UInt64, keys: [Key]) {
        let filter = RedisScanFilter(match: match, count: count, type: type)
        let reply = try await send(filter.command(cursor: cursor))
        return try RedisScanFilter.page(of: reply) { value throws(RedisError) in
            try value.decode(as: [Key].self)
        }
    }
}
