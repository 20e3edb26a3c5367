/// The keys of a connection's database, as an asynchronous sequence that
/// runs `SCAN` page by page.
///
/// ```swift
/// for try await key in connection.scan(match: "user:*", as: String.self) {
///     print(key)
/// }
/// ```
///
/// Each page is one round trip that starts from the cursor the previous page
/// returned, and the sequence ends when the server returns cursor 0. SCAN
/// never blocks the server for long, and its guarantees carry over: a key
/// that exists for the whole iteration is returned; a key added or removed
/// meanwhile may or may not be; and a key can come twice if the keyspace
/// shrinks during the iteration. Stop early by leaving the loop.
public struct RedisKeyScan<Key>: AsyncSequence, Sendable {
    /// A key, as bytes or as the type asked for.
    public typealias Element = Key
    /// Any error of a page fetch: a ``RedisError``, in practice.
    public typealias Failure = any Error

    private let connection: RedisConnection
    private let filter: RedisScanFilter
    private let decode: @Sendable (RESPValue) throws(RedisError) -> [Key]

    init(
        connection: RedisConnection, filter: RedisScanFilter,
        decode: @escaping @Sendable (RESPValue) throws(RedisError) -> [Key]
    ) {
        self.connection = connection
        self.filter = filter
        self.decode = decode
    }

    /// Starts a new scan, from cursor 0.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(scan: self)
    }

    /// Fetches a page whenever the previous one is used up.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let scan: RedisKeyScan
        /// The cursor of the next page; nil once the server returned 0.
        private var cursor: UInt64? = 0
        private var page: [Key] = []
        private var position = 0

        init(scan: RedisKeyScan) {
            self.scan = scan
        }

        /// The next key, or nil after the last page.
        ///
        /// - Throws: ``RedisError`` when a page cannot be fetched or decoded;
        ///   the iteration cannot resume after that.
        public mutating func next() async throws -> Key? {
            // A page may be empty while the cursor has not come back to 0.
            while position == page.count {
                guard let current = cursor else { return nil }
                cursor = nil
                let reply = try await scan.connection.send(scan.filter.command(cursor: current))
                let next = try RedisScanFilter.page(of: reply, decode: scan.decode)
                cursor = next.cursor == 0 ? nil : next.cursor
                page = next.keys
                position = 0
            }
            defer { position += 1 }
            return page[position]
        }
    }
}

/// The MATCH, COUNT and TYPE parts of a SCAN command, and how to read its
/// reply.
struct RedisScanFilter: Sendable {
    var match: String?
    var count: Int?
    var type: RedisKeyType?

    func command(cursor: UInt64) -> RedisCommand {
        var command = RedisCommand("SCAN", cursor)
        if let match {
            command.append("MATCH")
            command.append(match)
        }
        if let count {
            command.append("COUNT")
            command.append(count)
        }
        if let type {
            command.append("TYPE")
            command.append(type)
        }
        return command
    }

    /// Reads a SCAN reply: the next cursor as a decimal bulk string, then the
    /// page of keys.
    static func page<Key>(
        of reply: RESPValue, decode: (RESPValue) throws(RedisError) -> [Key]
    ) throws(RedisError) -> (cursor: UInt64, keys: [Key]) {
        guard let parts = try reply.unwrap().array, parts.count == 2,
            let text = try? String(fromRESP: parts[0]), let cursor = UInt64(text)
        else {
            throw .decoding(reply, as: (cursor: UInt64, keys: [Key]).self)
        }
        return (cursor, try decode(parts[1]))
    }
}
