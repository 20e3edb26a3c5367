import CHiredis

/// hiredis' reply parser on its own, without a socket: bytes in, replies out.
///
/// The connection parses with the reader inside its hiredis context; this
/// standalone reader runs the same C code, so tests and fuzzers can feed it
/// any bytes with no server at all.
///
/// Not thread-safe: use one reader from one task.
@_spi(Testing)
public final class RESPReader {
    private let reader: UnsafeMutablePointer<redisReader>

    /// A reader with hiredis' default reply objects.
    public init() {
        reader = redisReaderCreate()
    }

    deinit {
        redisReaderFree(reader)
    }

    /// Appends bytes to the reader's buffer.
    public func feed(_ bytes: some Collection<UInt8>) {
        let copied = Array(bytes)
        copied.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                _ = redisReaderFeed(reader, chars.baseAddress, chars.count)
            }
        }
    }

    /// The next complete reply, or nil when more bytes are needed.
    ///
    /// - Throws: ``RedisError/Code-swift.struct/protocolError`` when the
    ///   bytes are not RESP, or nest deeper than hiredis supports; the reader
    ///   is unusable afterwards.
    public func next() throws(RedisError) -> RESPValue? {
        var raw: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else {
            throw .unparsable(reader)
        }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return RESPValue(raw.assumingMemoryBound(to: redisReply.self))
    }
}

extension RedisError {
    /// The protocol error a hiredis reader reports.
    static func unparsable(_ reader: UnsafeMutablePointer<redisReader>) -> RedisError {
        let reason = withUnsafeBytes(of: reader.pointee.errstr) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return RedisError(
            .protocolError,
            "The reply could not be parsed: \(reason). The connection will be reset; "
                + "replies nested more than 7 levels deep are beyond hiredis 0.14."
        )
    }
}

extension RESPReader {
    /// Parses `bytes` and reads every reply in every way a caller can, for
    /// fuzzing: nothing here may crash, whatever the bytes are.
    ///
    /// - Returns: how many replies were read before the bytes ran out or
    ///   turned out not to be RESP.
    @discardableResult
    public static func exercise(_ bytes: some Collection<UInt8>) -> Int {
        let reader = RESPReader()
        reader.feed(bytes)
        var count = 0
        while let reply = try? reader.next() {
            count += 1
            _ = reply.description
            _ = try? reply.decode(as: String.self)
            _ = try? reply.decode(as: Int.self)
            _ = try? reply.decode(as: Double.self)
            _ = try? reply.decode(as: Bool.self)
            _ = try? reply.decode(as: [String?].self)
            _ = try? reply.decode(as: [String: String].self)
            _ = try? reply.decode(as: [[Int]].self)
            _ = reply.serverError?.description
        }
        return count
    }
}
