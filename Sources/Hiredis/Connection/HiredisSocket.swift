import CHiredis
import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one owner of a hiredis context: its non-blocking socket, output
/// buffer and reply reader, with the Dispatch sources that watch the socket.
///
/// Lifetime rules, as hiredis 0.14 sets them:
/// - the context is created by `redisConnectNonBlock`/`redisConnectUnixNonBlock`
///   and freed by `redisFree` exactly once, which also closes the socket;
/// - the socket may only be closed after every Dispatch source on it has been
///   cancelled, so ``close()`` cancels the sources and the last cancel handler
///   frees the context;
/// - every `redisReply` taken from the reader is converted to a ``RESPValue``
///   and freed right there, so no C pointer leaves this type.
///
/// Not thread-safe: it is used only on its owner's queue.
final class HiredisSocket {
    private let context: UnsafeMutablePointer<redisContext>
    private let queue: DispatchQueue
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var writeSourceRunning = false
    private var readSourceRunning = false
    private var closed = false
    private var appendFailed = false
    private let buffer: UnsafeMutableRawBufferPointer

    private static let readChunk = 64 * 1024

    /// Starts a non-blocking connect to `endpoint`.
    ///
    /// - Throws: ``RedisError/Code-swift.struct/connectionFailed`` when hiredis
    ///   fails at once (a host name that does not resolve, a socket error), or
    ///   ``RedisError/Code-swift.struct/invalidArgument`` for an endpoint it
    ///   would misread (a port out of range, a NUL byte).
    init(endpoint: RedisEndpoint, queue: DispatchQueue) throws(RedisError) {
        if let problem = endpoint.problem { throw RedisError(.invalidArgument, problem) }

        let created: UnsafeMutablePointer<redisContext>? =
            switch endpoint {
            case .tcp(let host, let port): redisConnectNonBlock(host, Int32(port))
            case .unix(let path): redisConnectUnixNonBlock(path)
            }
        guard let created else {
            throw RedisError(.connectionFailed, "hiredis could not allocate a context.")
        }
        if created.pointee.err != 0 {
            let reason = Self.errorText(of: created)
            redisFree(created)
            throw RedisError(
                .connectionFailed,
                "Cannot connect to Redis at \(endpoint): \(reason). "
                    + "Check that the server runs there and the address is right."
            )
        }
        chiredis_disable_sigpipe(created.pointee.fd)
        self.context = created
        self.queue = queue
        self.buffer = .allocate(byteCount: Self.readChunk, alignment: 1)
    }

    deinit {
        close()
        buffer.deallocate()
    }

    private static func errorText(of context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    // MARK: Events

    /// Starts watching the socket: `onWritable` fires once the connect
    /// completes and whenever buffered output can move; `onReadable` when
    /// bytes arrive.
    func start(onReadable: @escaping () -> Void, onWritable: @escaping () -> Void) {
        let fd = context.pointee.fd
        let read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        let write = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        read.setEventHandler(handler: onReadable)
        write.setEventHandler(handler: onWritable)

        // The context is freed when both sources are gone, never before.
        let owned = ContextRelease(context: context, sources: 2)
        read.setCancelHandler { owned.sourceCancelled() }
        write.setCancelHandler { owned.sourceCancelled() }

        readSource = read
        writeSource = write
        writeSourceRunning = true
        readSourceRunning = true
        read.activate()
        write.activate()
    }

    /// The error left by the non-blocking connect, or nil once it succeeded.
    func connectError() -> String? {
        let code = chiredis_socket_error(context.pointee.fd)
        return code == 0 ? nil : String(cString: strerror(code))
    }

    /// Stops write events until ``flush()`` leaves bytes behind again.
    func pauseWriteEvents() {
        guard writeSourceRunning, let writeSource else { return }
        writeSource.suspend()
        writeSourceRunning = false
    }

    private func resumeWriteEvents() {
        guard !writeSourceRunning, let writeSource else { return }
        writeSource.resume()
        writeSourceRunning = true
    }

    /// Stops read events while the owner reads the socket itself.
    func pauseReadEvents() {
        guard readSourceRunning, let readSource else { return }
        readSource.suspend()
        readSourceRunning = false
    }

    /// Hands reading back to the read source.
    func resumeReadEvents() {
        guard !readSourceRunning, let readSource else { return }
        readSource.resume()
        readSourceRunning = true
    }

    // MARK: Output

    /// Appends one command to the output buffer, argv-style (binary-safe),
    /// with the bytes hiredis would format (`chiredis_append_command`).
    ///
    /// When hiredis cannot grow its buffer (out of memory), the command is
    /// not appended and the next ``flush()`` reports the socket as failed,
    /// so the owner resets the connection before any reply can go astray.
    func append(_ command: RedisCommand) {
        let count = command.ends.count
        let appended = command.bytes.withUnsafeBufferPointer { bytes in
            // A command of empty arguments still needs a valid pointer.
            let base =
                bytes.baseAddress.map(UnsafeRawPointer.init)
                ?? UnsafeRawPointer(Self.empty.utf8Start)
            return withUnsafeTemporaryAllocation(
                of: UnsafePointer<CChar>?.self, capacity: count
            ) { argv in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { lengths in
                    var start = 0
                    for (index, end) in command.ends.enumerated() {
                        argv[index] = (base + start).assumingMemoryBound(to: CChar.self)
                        lengths[index] = end - start
                        start = end
                    }
                    return chiredis_append_command(
                        context, Int32(count), argv.baseAddress, lengths.baseAddress) == REDIS_OK
                }
            }
        }
        if !appended { appendFailed = true }
    }

    private static let empty: StaticString = ""

    /// Whether output is waiting to be sent.
    var hasPendingOutput: Bool { sdslen(context.pointee.obuf) > 0 }

    /// Sends what the socket takes now and watches for writability if bytes remain.
    ///
    /// - Returns: nil, or the reason the socket failed.
    func flush() -> String? {
        if appendFailed { return "hiredis could not grow its output buffer" }
        let remaining = chiredis_flush(context)
        if remaining < 0 { return String(cString: strerror(Int32(-remaining))) }
        if remaining > 0 { resumeWriteEvents() } else { pauseWriteEvents() }
        return nil
    }

    // MARK: Input

    /// The socket, for waiting on it with ``QueueExecutor/park(untilReadable:)``.
    var fileDescriptor: Int32 { context.pointee.fd }

    enum ReadResult {
        /// Bytes went to the reader; more may be waiting, surely so when
        /// they `filled` the read buffer.
        case bytes(filled: Bool)
        /// Nothing more is waiting for now.
        case drained
        /// The server closed the connection.
        case endOfStream
        /// The socket failed.
        case failed(String)
    }

    /// Reads one chunk from the socket into hiredis' reader.
    func receive() -> ReadResult {
        let base = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
        let count = chiredis_receive(context.pointee.fd, base, buffer.count)
        if count > 0 {
            _ = redisReaderFeed(context.pointee.reader, base, Int(count))
            return .bytes(filled: count == buffer.count)
        }
        if count == 0 { return .endOfStream }
        if count == -Int(EAGAIN) { return .drained }
        return .failed(String(cString: strerror(Int32(-count))))
    }

    /// The next complete reply in the reader, or nil when it needs more bytes.
    ///
    /// - Throws: ``RedisError/Code-swift.struct/protocolError`` when the bytes
    ///   cannot be parsed (including replies nested deeper than hiredis 0.14's
    ///   limit of 7 levels). The stream cannot be resynchronised after that.
    func nextReply() throws(RedisError) -> RESPValue? {
        var raw: UnsafeMutableRawPointer?
        let reader = context.pointee.reader!
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else {
            throw .unparsable(reader)
        }
        guard let raw else { return nil }
        let reply = raw.assumingMemoryBound(to: redisReply.self)
        defer { freeReplyObject(raw) }
        return RESPValue(reply)
    }

    // MARK: Closing

    /// Stops the sources; the context and socket are freed once they are gone.
    func close() {
        guard !closed else { return }
        closed = true
        guard let readSource, let writeSource else {
            redisFree(context)
            return
        }
        // A suspended source never runs its cancel handler.
        resumeWriteEvents()
        resumeReadEvents()
        readSource.cancel()
        writeSource.cancel()
        self.readSource = nil
        self.writeSource = nil
    }
}

/// Frees a hiredis context after the last Dispatch source on its socket has
/// been cancelled.
///
/// Both cancel handlers run on the owner's serial queue, so the counter is
/// never touched by two threads at once.
private final class ContextRelease: @unchecked Sendable {
    private let context: UnsafeMutablePointer<redisContext>
    private var sources: Int

    init(context: UnsafeMutablePointer<redisContext>, sources: Int) {
        self.context = context
        self.sources = sources
    }

    func sourceCancelled() {
        sources -= 1
        if sources == 0 { redisFree(context) }
    }
}

extension RESPValue {
    /// Copies a hiredis reply tree into Swift values.
    init(_ reply: UnsafePointer<redisReply>) {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            self = .bulkString(Array(UnsafeRawBufferPointer(start: node.str, count: node.len)))
        case REDIS_REPLY_STATUS:
            let bytes = UnsafeRawBufferPointer(start: node.str, count: node.len)
            self = .simpleString(String(decoding: bytes, as: UTF8.self))
        case REDIS_REPLY_ERROR:
            let bytes = UnsafeRawBufferPointer(start: node.str, count: node.len)
            self = .error(String(decoding: bytes, as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            self = .integer(node.integer)
        case REDIS_REPLY_ARRAY:
            var elements: [RESPValue] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                elements.append(RESPValue(node.element[index]!))
            }
            self = .array(elements)
        default:
            self = .null
        }
    }
}
