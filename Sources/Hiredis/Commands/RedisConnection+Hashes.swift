// Hashes: HSET, HGET, HMGET, HGETALL, HDEL, HEXISTS, HINCRBY, HLEN, HKEYS.

extension RedisConnection {
    // MARK: Writing

    /// Sets fields of a hash (`HSET`), creating the hash when needed.
    ///
    /// ```swift
    /// try await connection.hset("user:42", fields: ["name": "Ada", "joined": 1_815])
    /// ```
    ///
    /// - Complexity: O(N) for N fields.
    /// - Parameters:
    ///   - key: the hash.
    ///   - fields: each field and its value; an empty dictionary returns 0
    ///     without asking the server.
    /// - Returns: how many fields were added; fields that only changed value
    ///   do not count.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error when the key holds
    ///   something other than a hash.
    @discardableResult
    public nonisolated func hset<Field: RedisArgument & Hashable>(
        _ key: some RedisArgument, fields: [Field: any RedisArgument]
    ) async throws -> Int {
        let pairs = fields.map { (field: $0.key as any RedisArgument, value: $0.value) }
        return try await hset(key, fields: pairs)
    }

    /// Sets fields of a hash, given as ordered pairs (`HSET`).
    ///
    /// Fields may be of mixed argument types; when a field appears twice, the
    /// later pair wins.
    ///
    /// - Complexity: O(N) for N fields.
    /// - Parameters:
    ///   - key: the hash.
    ///   - fields: each field and its value; an empty list returns 0 without
    ///     asking the server.
    /// - Returns: how many fields were added.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func hset(
        _ key: some RedisArgument,
        fields: [(field: any RedisArgument, value: any RedisArgument)]
    ) async throws -> Int {
        guard !fields.isEmpty else { return 0 }

        var command = RedisCommand("HSET", key)
        for pair in fields {
            command.append(pair.field)
            command.append(pair.value)
        }
        return try await send(command).decode(as: Int.self)
    }

    /// Deletes fields of a hash (`HDEL`); the hash goes when its last field
    /// does.
    ///
    /// - Complexity: O(N) for N fields.
    /// - Parameters:
    ///   - key: the hash.
    ///   - fields: the fields to delete; an empty list returns 0 without
    ///     asking the server.
    /// - Returns: how many of the fields existed.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func hdel(_ key: some RedisArgument, _ fields: [any RedisArgument])
        async throws -> Int
    {
        guard !fields.isEmpty else { return 0 }
        return try await send(RedisCommand("HDEL", key: key, fields)).decode(as: Int.self)
    }

    /// Deletes the fields given as arguments from a hash (`HDEL`).
    ///
    /// - Complexity: O(N) for N fields.
    /// - Parameters:
    ///   - key: the hash.
    ///   - fields: the fields to delete.
    /// - Returns: how many of the fields existed.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func hdel(
        _ key: some RedisArgument, _ fields: any RedisArgument...
    ) async throws -> Int {
        try await hdel(key, fields)
    }

    /// Adds `increment` to the integer in a field of a hash (`HINCRBY`); a
    /// missing hash or field counts as 0.
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the hash.
    ///   - field: the counter field.
    ///   - increment: the amount to add; negative amounts subtract.
    /// - Returns: the field's value after the increment.
    /// - Throws: ``RedisError``; an `ERR` server error when the field is not an
    ///   integer or would overflow, or a `WRONGTYPE` server error.
    @discardableResult
    public nonisolated func hincrby(
        _ key: some RedisArgument, field: some RedisArgument, by increment: Int
    ) async throws -> Int {
        try await send(RedisCommand("HINCRBY", key, field, increment)).decode(as: Int.self)
    }

    // MARK: Reading

    /// Reads one field of a hash as bytes (`HGET`).
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the hash.
    ///   - field: the field to read.
    /// - Returns: the field's value, or nil when the hash or field does not
    ///   exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func hget(
        _ key: some RedisArgument, field: some RedisArgument
    ) async throws -> [UInt8]? {
        try await hget(key, field: field, as: BulkBytes.self)?.bytes
    }

    /// Reads one field of a hash as `type` (`HGET`).
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the hash.
    ///   - field: the field to read.
    ///   - type: what to decode the value as.
    /// - Returns: the decoded value, or nil when the hash or field does not
    ///   exist.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func hget<Value: RESPDecodable>(
        _ key: some RedisArgument, field: some RedisArgument, as type: Value.Type
    ) async throws -> Value? {
        try await send(RedisCommand("HGET", key, field)).decode(as: Value?.self)
    }

    /// Reads several fields of a hash as bytes (`HMGET`).
    ///
    /// - Complexity: O(N) for N fields.
    /// - Parameters:
    ///   - key: the hash.
    ///   - fields: the fields to read; an empty list returns `[]` without
    ///     asking the server.
    /// - Returns: one value per field, in order, nil where the field does not
    ///   exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func hmget(
        _ key: some RedisArgument, _ fields: [any RedisArgument]
    ) async throws -> [[UInt8]?] {
        try await hmget(key, fields, as: BulkBytes.self).map { $0?.bytes }
    }

    /// Reads several fields of a hash as `type` (`HMGET`).
    ///
    /// - Complexity: O(N) for N fields.
    /// - Parameters:
    ///   - key: the hash.
    ///   - fields: the fields to read; an empty list returns `[]` without
    ///     asking the server.
    ///   - type: what to decode each value as.
    /// - Returns: one decoded value per field, in order, nil where the field
    ///   does not exist.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func hmget<Value: RESPDecodable>(
        _ key: some RedisArgument, _ fields: [any RedisArgument], as type: Value.Type
    ) async throws -> [Value?] {
        guard !fields.isEmpty else { return [] }
        return try await send(RedisCommand("HMGET", key: key, fields)).decode(as: [Value?].self)
    }

    /// Reads every field of a hash as bytes (`HGETALL`).
    ///
    /// - Complexity: O(N) for a hash of N fields; prefer ``hmget(_:_:)`` or
    ///   HSCAN for large hashes.
    /// - Parameter key: the hash.
    /// - Returns: each field with its value; empty when the hash does not
    ///   exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func hgetall(_ key: some RedisArgument) async throws -> [[UInt8]: [UInt8]] {
        let fields = try await hgetall(key, as: [BulkBytes: BulkBytes].self)
        return Dictionary(uniqueKeysWithValues: fields.map { ($0.key.bytes, $0.value.bytes) })
    }

    /// Reads every field of a hash, decoded as the dictionary type given
    /// (`HGETALL`).
    ///
    /// ```swift
    /// let user = try await connection.hgetall("user:42", as: [String: String].self)
    /// ```
    ///
    /// - Complexity: O(N) for a hash of N fields.
    /// - Parameters:
    ///   - key: the hash.
    ///   - type: the dictionary to decode into, such as `[String: String]` or
    ///     `[String: Data]`.
    /// - Returns: each field with its value; empty when the hash does not
    ///   exist.
    /// - Throws: ``RedisError``; `decodingFailed` when a field or value does not
    ///   read as the types asked for, or a `WRONGTYPE` server error.
    public nonisolated func hgetall<Field: RESPDecodable & Hashable, Value: RESPDecodable>(
        _ key: some RedisArgument, as type: [Field: Value].Type
    ) async throws -> [Field: Value] {
        try await send(RedisCommand("HGETALL", key)).decode(as: [Field: Value].self)
    }

    /// The field names of a hash as bytes (`HKEYS`).
    ///
    /// - Complexity: O(N) for a hash of N fields.
    /// - Parameter key: the hash.
    /// - Returns: the field names, in no particular order; empty when the hash
    ///   does not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func hkeys(_ key: some RedisArgument) async throws -> [[UInt8]] {
        try await hkeys(key, as: BulkBytes.self).map(\.bytes)
    }

    /// The field names of a hash as `type` (`HKEYS`).
    ///
    /// - Complexity: O(N) for a hash of N fields.
    /// - Parameters:
    ///   - key: the hash.
    ///   - type: what to decode each name as.
    /// - Returns: the field names, in no particular order.
    /// - Throws: ``RedisError``; `decodingFailed` or a `WRONGTYPE` server error.
    public nonisolated func hkeys<Field: RESPDecodable>(
        _ key: some RedisArgument, as type: Field.Type
    ) async throws -> [Field] {
        try await send(RedisCommand("HKEYS", key)).decode(as: [Field].self)
    }

    /// Whether a hash has a field (`HEXISTS`).
    ///
    /// - Complexity: O(1).
    /// - Parameters:
    ///   - key: the hash.
    ///   - field: the field to look for.
    /// - Returns: true when the hash exists and has the field.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func hexists(
        _ key: some RedisArgument, field: some RedisArgument
    ) async throws -> Bool {
        try await send(RedisCommand("HEXISTS", key, field)).decode(as: Bool.self)
    }

    /// The number of fields in a hash (`HLEN`).
    ///
    /// - Complexity: O(1).
    /// - Parameter key: the hash.
    /// - Returns: the field count, 0 when the hash does not exist.
    /// - Throws: ``RedisError``; a `WRONGTYPE` server error.
    public nonisolated func hlen(_ key: some RedisArgument) async throws -> Int {
        try await send(RedisCommand("HLEN", key)).decode(as: Int.self)
    }
}
