import Dispatch

/// Receives messages published to Redis channels and patterns, on a
/// connection of its own.
///
/// Under RESP2 a subscribed connection can do nothing but pub/sub, so the
/// subscriber owns its connection (never one from a pool) and its own serial
/// Dispatch queue, which is also its actor executor. A non-blocking reader on
/// that queue drains the socket whatever the consumers do.
///
/// ```swift
/// let subscriber = try await RedisSubscriber.connect(configuration)
/// let room = try await subscriber.subscribe(to: ["chat:room:{42}"])
/// for try await event in room {
///     switch event {
///     case .message(let message): try handle(message.payloadText)
///     case .gap: try await backfillFromHistory()
///     }
/// }
/// await subscriber.close()
/// ```
///
/// ## Delivery guarantee
///
/// Delivery is **at most once**. A message published to a channel after
/// ``subscribe(to:bufferLimit:)`` returned reaches each subscription that
/// holds the channel once, in the order the server sent it, unless one of
/// two things happens; each is reported, where it happens, by a
/// ``RedisPubSubEvent/gap(_:)`` in that subscription:
///
/// - **The connection dropped.** The subscriber reconnects (backoff with
///   jitter, then AUTH, SELECT and CLIENT SETNAME as configured) and
///   subscribes again to exactly the channels and patterns held at that
///   moment. What was published in between is lost, and nobody knows how
///   much. The subscription then yields a gap with
///   ``RedisPubSubGap/reconnected`` set, once the server has confirmed every
///   one of its channels again and before any message that came over the
///   new connection.
/// - **The consumer fell behind.** Each subscription buffers up to its
///   ``RedisSubscription/BufferLimit``; past it, the oldest messages are
///   dropped and counted in ``RedisPubSubGap/droppedMessages``.
///
/// Messages published before ``subscribe(to:bufferLimit:)`` returns may or
/// may not arrive. Whatever is published after a consumer sees a gap
/// reaches it (until the next gap); so a consumer that must see everything
/// reloads, when it sees one, what was published since the last message it
/// had, from its own history, and drops duplicates. The subscriber itself
/// never delivers a message twice; but a subscription to a channel and
/// another to a pattern that matches it each get their copy, as Redis sends
/// both.
///
/// ## Subscriptions and channels
///
/// Several subscriptions may hold one channel: the server sees one SUBSCRIBE,
/// and UNSUBSCRIBE goes out when the last of them ends (see
/// ``RedisSubscription`` for when that is). Confirmations from the server
/// never show up as messages, and neither do the answers to PING.
///
/// ## Liveness
///
/// The subscriber sends PING on ``RedisSubscriberOptions/pingInterval``; an
/// answer that takes longer than ``RedisSubscriberOptions/pingTimeout`` gets
/// the connection declared dead (a half-open socket gives no other sign) and
/// replaced, with a gap as above.
///
/// Call ``close()`` when done: every subscription then ends.
public actor RedisSubscriber {
    /// The task executor over this subscriber's queue: a task that prefers it
    /// (`withTaskExecutorPreference`) runs where the messages are read.
    public nonisolated let executor: QueueExecutor
    /// The executor the actor runs on: the same queue.
    private nonisolated let serialExecutor: QueueSerialExecutor
    /// How this subscriber reaches and greets its server.
    public nonisolated let configuration: RedisConfiguration
    /// How this subscriber checks its connection and buffers messages.
    public nonisolated let options: RedisSubscriberOptions

    /// The subscriber's queue, as the executor the actor runs on.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        serialExecutor.asUnownedSerialExecutor()
    }

    private enum State {
        case connecting
        case handshaking(remaining: Int)
        case ready
        case waitingToReconnect
        case closed(RedisError)
    }

    /// Whether a name is a channel or a pattern; each has its own commands.
    private enum Kind {
        case channel, pattern

        var subscribe: PubSubReply.Confirmation {
            self == .channel ? .subscribe : .psubscribe
        }

        var unsubscribe: PubSubReply.Confirmation {
            self == .channel ? .unsubscribe : .punsubscribe
        }

        init(_ confirmation: PubSubReply.Confirmation) {
            switch confirmation {
            case .subscribe, .unsubscribe: self = .channel
            case .psubscribe, .punsubscribe: self = .pattern
            }
        }
    }

    /// A reply the subscriber waits for, in the order the commands were written.
    private enum Expectation {
        case handshake
        /// One confirmation for each name, in order, or one error reply.
        case confirmations(
            PubSubReply.Confirmation, names: [String], received: Int, waiter: UInt64?)
        /// UNSUBSCRIBE or PUNSUBSCRIBE without arguments, sent while nothing is
        /// subscribed: one confirmation whose name is nil.
        case emptyConfirmation(PubSubReply.Confirmation, waiter: UInt64?)
        /// The answer to a caller's PING, or to the liveness PING when nil.
        case pong(waiter: UInt64?)
    }

    /// One subscription, as the subscriber sees it.
    private struct Record {
        let buffer: SubscriptionBuffer
        var channels: Set<String>
        var patterns: Set<String>
        /// The connection dropped; a gap is due once every name is confirmed again.
        var gapPending = false
        /// Messages from the new socket, held back while the gap is due so
        /// that the gap comes before all of them.
        var held: [RedisPubSubMessage] = []
        var heldBytes = 0
        var heldDropped = 0
        /// The caller of subscribe(to:) waiting for the server's confirmations.
        var opening: UnsafeContinuation<Void, any Error>?

        var isEmpty: Bool { channels.isEmpty && patterns.isEmpty }

        /// Holds a message back, within the buffer's limit, dropping the
        /// oldest held ones as the buffer would.
        mutating func hold(_ message: RedisPubSubMessage) {
            held.append(message)
            heldBytes += message.payload.count
            var excess = 0
            while held.count - excess > 1
                && (held.count - excess > buffer.limit.messages
                    || heldBytes > buffer.limit.bytes)
            {
                heldBytes -= held[excess].payload.count
                excess += 1
            }
            if excess > 0 {
                held.removeFirst(excess)
                heldDropped += excess
            }
        }

        /// Delivers the gap, then what was held back.
        mutating func releaseGap() {
            gapPending = false
            buffer.push(.gap(RedisPubSubGap(droppedMessages: heldDropped, reconnected: true)))
            for message in held { buffer.push(.message(message)) }
            held = []
            heldBytes = 0
            heldDropped = 0
        }
    }

    /// A caller waiting for the reply to PING or for UNSUBSCRIBE's confirmations.
    private struct ReplyWaiter {
        let continuation: UnsafeContinuation<RESPValue, any Error>
        /// An UNSUBSCRIBE is as good as done when the socket drops: a new one
        /// starts with nothing subscribed.
        let doneByConnectionLoss: Bool
    }

    private var state: State = .connecting
    private var socket: HiredisSocket?
    private var expectations = Deque<Expectation>()
    private var channels = SubscriptionTable()
    private var patterns = SubscriptionTable()
    private var records: [UInt64: Record] = [:]
    /// Subscriptions waiting for confirmations: their caller, or their gap.
    private var unsettled: Set<UInt64> = []
    private var confirmationsArrived = false
    private var replyWaiters: [UInt64: ReplyWaiter] = [:]
    /// Callers' PINGs that wait for the connection.
    private var unsentPings: [(waiter: UInt64, command: RedisCommand)] = []
    private var nextIdentifier: UInt64 = 1
    private var flushScheduled = false
    private var attempt = 0
    private var connectedOnce = false
    private var connectWaiters: [UnsafeContinuation<Void, any Error>] = []
    /// Counts sockets, so that a timer meant for an earlier one does nothing.
    private var generation: UInt64 = 0
    /// The liveness PING waiting for its answer, if any.
    private var livenessPing: UInt64?
    private let logger: RedisLogger
    private let label: String

    /// Names per SUBSCRIBE or UNSUBSCRIBE command, to keep each command small.
    private static let namesPerCommand = 1000
    /// Chunks read per turn of the queue, so that a flood of messages
    /// cannot hold off subscribe calls and timers for long.
    private static let chunksPerTurn = 16

    private init(
        configuration: RedisConfiguration, options: RedisSubscriberOptions, executor: QueueExecutor
    ) {
        self.configuration = configuration
        self.options = options
        self.executor = executor
        self.serialExecutor = QueueSerialExecutor(over: executor)
        self.logger = configuration.logger
        self.label = executor.queue.label
    }

    /// Connects to the server and runs the handshake.
    ///
    /// - Parameters:
    ///   - configuration: where the server is and how to greet it;
    ///     ``RedisConfiguration/commandTimeout`` bounds how long
    ///     ``subscribe(to:bufferLimit:)`` and PING wait for the server.
    ///   - options: how to check the connection and buffer messages.
    /// - Returns: a subscriber with no subscription yet.
    /// - Throws: ``RedisError`` with code
    ///   ``RedisError/Code-swift.struct/connectionFailed`` when the server cannot
    ///   be reached within the connect timeout, or
    ///   ``RedisError/Code-swift.struct/authenticationFailed`` when it refuses
    ///   the credentials. The first connect is not retried; later drops are.
    public static func connect(
        _ configuration: RedisConfiguration, options: RedisSubscriberOptions = .init()
    ) async throws -> RedisSubscriber {
        let label = "redis.subscriber.\(ConnectionNumber.next())"
        let subscriber = RedisSubscriber(
            configuration: configuration, options: options,
            executor: QueueExecutor(label: label, parks: false))
        try await subscriber.waitUntilConnected()
        return subscriber
    }

    isolated deinit {
        socket?.close()
    }

    // MARK: Subscribing

    /// Subscribes to channels, and returns once the server confirmed each.
    ///
    /// Sends [SUBSCRIBE](https://redis.io/docs/latest/commands/subscribe/)
    /// (O(N) in the channels) for the channels no other subscription holds.
    /// Messages published after this returns are delivered to the returned
    /// subscription, as the type's delivery guarantee says.
    ///
    /// - Parameters:
    ///   - channels: the channel names; at least one. Repeats count once.
    ///   - bufferLimit: this subscription's buffer; nil for
    ///     ``RedisSubscriberOptions/bufferLimit``.
    /// - Returns: the messages of these channels.
    /// - Throws: ``RedisError``: ``RedisError/Code-swift.struct/invalidArgument``
    ///   for no channel, ``RedisError/Code-swift.struct/timeout`` when the
    ///   confirmations (and any reconnect they wait for) take longer than the
    ///   command timeout, ``RedisError/Code-swift.struct/cancelled``, a server
    ///   error (such as `NOPERM`), or the error the subscriber was closed with.
    public func subscribe(
        to channels: [String], bufferLimit: RedisSubscription.BufferLimit? = nil
    ) async throws -> RedisSubscription {
        try await open(.channel, names: channels, bufferLimit: bufferLimit)
    }

    /// Subscribes to glob-style patterns, and returns once the server
    /// confirmed each.
    ///
    /// Sends [PSUBSCRIBE](https://redis.io/docs/latest/commands/psubscribe/)
    /// (O(N) in the patterns) for the patterns no other subscription holds.
    /// Each message carries the pattern that matched in
    /// ``RedisPubSubMessage/pattern``.
    ///
    /// - Parameters:
    ///   - patterns: the patterns, such as `room:*`; at least one.
    ///   - bufferLimit: this subscription's buffer; nil for
    ///     ``RedisSubscriberOptions/bufferLimit``.
    /// - Returns: the messages of channels matching these patterns.
    /// - Throws: as ``subscribe(to:bufferLimit:)`` does.
    public func psubscribe(
        to patterns: [String], bufferLimit: RedisSubscription.BufferLimit? = nil
    ) async throws -> RedisSubscription {
        try await open(.pattern, names: patterns, bufferLimit: bufferLimit)
    }

    private func open(
        _ kind: Kind, names: [String], bufferLimit: RedisSubscription.BufferLimit?
    ) async throws -> RedisSubscription {
        if case .closed(let error) = state { throw error }
        guard !names.isEmpty else {
            throw RedisError(
                .invalidArgument,
                "A subscription needs at least one \(kind == .channel ? "channel" : "pattern").")
        }
        if Task.isCancelled { throw RedisError.cancelled }

        var seen = Set<String>()
        let unique = names.filter { seen.insert($0).inserted }
        let id = takeIdentifier()
        let buffer = SubscriptionBuffer(limit: bufferLimit ?? options.bufferLimit)
        let lifetime = SubscriptionLifetime(id: id, buffer: buffer, subscriber: self)
        let record = Record(
            buffer: buffer,
            channels: kind == .channel ? seen : [],
            patterns: kind == .pattern ? seen : [])

        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                start(id, record, kind, unique, opening: continuation)
            }
        } onCancel: {
            executor.queue.async {
                self.assumeIsolated { $0.stopOpening(id, with: .cancelled) }
            }
        }
        return RedisSubscription(
            channels: kind == .channel ? unique : [],
            patterns: kind == .pattern ? unique : [],
            lifetime: lifetime)
    }

    /// Registers a subscription, sends what it needs and lets its caller
    /// wait for the confirmations.
    ///
    /// This runs in one turn of the queue, and so does every other change to
    /// the subscriptions together with the commands it sends: awaiting even a
    /// call on this actor may let the queue run other work (replies
    /// included) in between, so nothing is split across an `await`.
    private func start(
        _ id: UInt64, _ record: Record, _ kind: Kind, _ names: [String],
        opening: UnsafeContinuation<Void, any Error>
    ) {
        if case .closed(let error) = state {
            opening.resume(throwing: error)
            return
        }
        var record = record
        record.opening = opening
        records[id] = record
        unsettled.insert(id)
        let newlyWanted = update(kind) { $0.add(id, to: names) }
        sendSubscribe(kind, newlyWanted)
        logger.log(
            .trace, "subscribing",
            ["subscriber": label, "names": "\(names.count)", "new": "\(newlyWanted.count)"])

        // Names that other subscriptions hold may all be confirmed already.
        settle()
        guard records[id]?.opening != nil else { return }
        let timeout = configuration.commandTimeout
        executor.queue.asyncAfter(deadline: .now() + timeout.dispatch) { [weak self] in
            self?.assumeIsolated { $0.stopOpening(id, with: .timedOut(after: timeout)) }
        }
    }

    private func stopOpening(_ id: UInt64, with error: RedisError) {
        guard records[id]?.opening != nil else { return }
        end(id, throwing: error)
    }

    /// Whether the server confirmed every name of a subscription.
    private func isConfirmed(_ record: Record) -> Bool {
        record.channels.allSatisfy(channels.isConfirmed)
            && record.patterns.allSatisfy(patterns.isConfirmed)
    }

    // MARK: Unsubscribing

    /// Unsubscribes from channels, for every subscription that holds them,
    /// and returns once the server confirmed.
    ///
    /// Sends [UNSUBSCRIBE](https://redis.io/docs/latest/commands/unsubscribe/)
    /// (O(N) in the channels). A subscription left with no channel ends,
    /// after yielding what it buffered. Channels never subscribed are
    /// harmless; an empty list does nothing.
    ///
    /// - Parameter channels: the channel names.
    /// - Throws: ``RedisError/Code-swift.struct/cancelled`` or
    ///   ``RedisError/Code-swift.struct/timeout`` while waiting; the
    ///   channels are left locally at once all the same.
    public func unsubscribe(from channels: [String]) async throws {
        guard !channels.isEmpty else { return }
        try await leave(.channel, names: channels)
    }

    /// Unsubscribes from every channel, as UNSUBSCRIBE without arguments does.
    ///
    /// Subscriptions to channels end; pattern subscriptions go on. Harmless
    /// when nothing is subscribed.
    ///
    /// - Throws: as ``unsubscribe(from:)`` does.
    public func unsubscribe() async throws {
        try await leave(.channel, names: nil)
    }

    /// Unsubscribes from patterns, for every subscription that holds them,
    /// and returns once the server confirmed.
    ///
    /// Sends [PUNSUBSCRIBE](https://redis.io/docs/latest/commands/punsubscribe/)
    /// (O(N) in the patterns). Patterns never subscribed are harmless; an
    /// empty list does nothing.
    ///
    /// - Parameter patterns: the patterns, exactly as they were subscribed.
    /// - Throws: as ``unsubscribe(from:)`` does.
    public func punsubscribe(from patterns: [String]) async throws {
        guard !patterns.isEmpty else { return }
        try await leave(.pattern, names: patterns)
    }

    /// Unsubscribes from every pattern, as PUNSUBSCRIBE without arguments does.
    ///
    /// - Throws: as ``unsubscribe(from:)`` does.
    public func punsubscribe() async throws {
        try await leave(.pattern, names: nil)
    }

    /// Leaves `names`, or every name of the kind when nil.
    private func leave(_ kind: Kind, names: [String]?) async throws {
        if case .closed = state { return }
        _ = try await awaitReply(doneByConnectionLoss: true) { waiter in
            // The subscriptions change and UNSUBSCRIBE goes out in one turn.
            let left = withdraw(kind, names)
            sendUnsubscribe(kind, left, waiter: waiter)
        }
    }

    /// Takes `names` (every name of the kind when nil) from each subscription
    /// that holds them, ending the subscriptions left with none.
    ///
    /// - Returns: the names to send UNSUBSCRIBE for.
    private func withdraw(_ kind: Kind, _ names: [String]?) -> [String] {
        var seen = Set<String>()
        let names = names?.filter { seen.insert($0).inserted } ?? update(kind) { $0.wanted }
        for name in names {
            for holder in update(kind, { $0.removeHolders(of: name) }) {
                guard var record = records[holder] else { continue }
                switch kind {
                case .channel: record.channels.remove(name)
                case .pattern: record.patterns.remove(name)
                }
                records[holder] = record
                if record.isEmpty { end(holder, throwing: nil) }
            }
        }
        logger.log(.trace, "unsubscribing", ["subscriber": label, "names": "\(names.count)"])
        // A caller may have waited only for the names that just went away.
        settle()
        return names
    }

    /// Ends a subscription from the subscriber's side.
    ///
    /// Its buffer yields what it holds, then ends (throwing `error` if any),
    /// a caller still waiting in subscribe(to:) gets `error` or the ended
    /// subscription, and the names nobody holds any more are left.
    private func end(_ id: UInt64, throwing error: RedisError?) {
        guard let record = records.removeValue(forKey: id) else { return }
        unsettled.remove(id)
        record.buffer.finish(throwing: error)
        if let opening = record.opening {
            if let error { opening.resume(throwing: error) } else { opening.resume() }
        }
        sendUnsubscribe(.channel, channels.remove(id, from: record.channels), waiter: nil)
        sendUnsubscribe(.pattern, patterns.remove(id, from: record.patterns), waiter: nil)
    }

    /// Called from any thread when a consumer is done with a subscription.
    nonisolated func subscriptionEnded(_ id: UInt64) {
        executor.queue.async {
            self.assumeIsolated { $0.end(id, throwing: nil) }
        }
    }

    // MARK: Other commands

    /// Sends PING, the one command besides pub/sub that a subscribed
    /// connection takes, and returns its answer.
    ///
    /// The answer is `["pong", message]` while something is subscribed, and
    /// `PONG` (or the message) otherwise, as the server sends it. Every other
    /// command is refused here, without reaching the server: the pub/sub
    /// commands have their own methods, and the rest belong on a
    /// ``RedisConnection``.
    ///
    /// - Parameter command: PING, with or without a message.
    /// - Returns: the server's answer.
    /// - Throws: ``RedisError/Code-swift.struct/unsupportedCommand`` for any
    ///   other command; for PING, a connection, timeout or cancellation error.
    @discardableResult
    public func send(_ command: RedisCommand) async throws -> RESPValue {
        let name = command.name
        switch name {
        case "PING":
            if case .closed(let error) = state { throw error }
            return try await awaitReply(doneByConnectionLoss: false) { waiter in
                sendPing(command, waiter: waiter)
            }.unwrap()
        case "SUBSCRIBE", "PSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE":
            throw RedisError(
                .unsupportedCommand,
                "Send \(name) through the subscriber's \(name.lowercased())(...) method, "
                    + "which keeps track of subscriptions; send(_:) takes PING only."
            )
        default:
            throw RedisError(
                .unsupportedCommand,
                "\(name) cannot run on a RedisSubscriber: a subscribed connection takes "
                    + "pub/sub commands and PING only. Send it on a RedisConnection."
            )
        }
    }

    /// Sends a command given as its name and arguments; see ``send(_:)-(RedisCommand)``.
    @discardableResult
    public func send(_ name: String, _ arguments: any RedisArgument...) async throws -> RESPValue {
        try await send(RedisCommand(name, arguments: arguments))
    }

    // MARK: Closing

    /// Closes the connection and ends every subscription, each after yielding
    /// what it buffered. Calling it again does nothing.
    public func close() {
        if case .closed = state { return }
        shut(with: .closed, endingSubscriptionsWith: nil)
        logger.log(.debug, "closed", ["subscriber": label])
    }

    /// Whether the subscriber was closed, by ``close()`` or for good after an error.
    public var isClosed: Bool {
        if case .closed = state { true } else { false }
    }

    private func shut(with error: RedisError, endingSubscriptionsWith ending: RedisError?) {
        state = .closed(error)
        generation &+= 1
        socket?.close()
        socket = nil
        livenessPing = nil

        for expectation in expectations.removeAll() { release(expectation, error: error) }
        let pings = unsentPings
        unsentPings.removeAll()
        for ping in pings { completeReply(ping.waiter, with: .failure(error)) }

        let ended = records
        records.removeAll()
        unsettled.removeAll()
        channels.removeAll()
        patterns.removeAll()
        for record in ended.values {
            record.buffer.finish(throwing: ending)
            record.opening?.resume(throwing: error)
        }

        let waiters = connectWaiters
        connectWaiters.removeAll()
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    // MARK: Writing

    private func takeIdentifier() -> UInt64 {
        defer { nextIdentifier &+= 1 }
        return nextIdentifier
    }

    /// Runs `body` on the table of names of `kind`.
    private func update<Value>(
        _ kind: Kind, _ body: (inout SubscriptionTable) -> Value
    ) -> Value {
        switch kind {
        case .channel: body(&channels)
        case .pattern: body(&patterns)
        }
    }

    /// Writes SUBSCRIBE or PSUBSCRIBE for `names`. While there is no ready
    /// socket this does nothing: the next one subscribes to the wanted set.
    private func sendSubscribe(_ kind: Kind, _ names: [String]) {
        guard !names.isEmpty, case .ready = state, let socket else { return }
        let confirmation = kind.subscribe
        for chunk in chunked(names) {
            socket.append(RedisCommand(confirmation.command, arguments: chunk))
            expectations.append(
                .confirmations(confirmation, names: chunk, received: 0, waiter: nil))
            update(kind) { $0.subscribeSent(for: chunk) }
        }
        scheduleFlush()
    }

    /// Writes UNSUBSCRIBE or PUNSUBSCRIBE; with no names, the form without
    /// arguments, which the server answers with one nil-named confirmation
    /// when nothing is subscribed. The waiter, if any, is resumed after the
    /// last confirmation, or at once when there is no ready socket.
    private func sendUnsubscribe(_ kind: Kind, _ names: [String], waiter: UInt64?) {
        guard case .ready = state, let socket else {
            if let waiter { completeReply(waiter, with: .success(.null)) }
            return
        }
        let confirmation = kind.unsubscribe
        if names.isEmpty {
            guard let waiter else { return }
            socket.append(RedisCommand(confirmation.command))
            expectations.append(.emptyConfirmation(confirmation, waiter: waiter))
        } else {
            let chunks = chunked(names)
            for (index, chunk) in chunks.enumerated() {
                socket.append(RedisCommand(confirmation.command, arguments: chunk))
                expectations.append(
                    .confirmations(
                        confirmation, names: chunk, received: 0,
                        waiter: index == chunks.count - 1 ? waiter : nil))
            }
        }
        scheduleFlush()
    }

    private func sendPing(_ command: RedisCommand, waiter: UInt64) {
        if case .closed(let error) = state {
            completeReply(waiter, with: .failure(error))
            return
        }
        guard case .ready = state, let socket else {
            unsentPings.append((waiter, command))
            return
        }
        socket.append(command)
        expectations.append(.pong(waiter: waiter))
        scheduleFlush()
    }

    private func chunked(_ names: [String]) -> [[String]] {
        stride(from: 0, to: names.count, by: Self.namesPerCommand).map {
            Array(names[$0..<min($0 + Self.namesPerCommand, names.count)])
        }
    }

    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        // What other tasks queue in this turn of the queue joins the same write.
        executor.queue.async {
            self.assumeIsolated { $0.flush() }
        }
    }

    private func flush() {
        flushScheduled = false
        guard let socket else { return }
        if let failure = socket.flush() {
            connectionLost("write failed: \(failure)")
        }
    }

    // MARK: Waiting for replies

    /// Registers a waiter, lets `send` write the command, and waits for the
    /// reply, at most the command timeout.
    private func awaitReply(
        doneByConnectionLoss: Bool, _ send: (UInt64) -> Void
    ) async throws -> RESPValue {
        let waiter = takeIdentifier()
        let timeout = configuration.commandTimeout
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                replyWaiters[waiter] = ReplyWaiter(
                    continuation: continuation, doneByConnectionLoss: doneByConnectionLoss)
                executor.queue.asyncAfter(deadline: .now() + timeout.dispatch) { [weak self] in
                    self?.assumeIsolated {
                        $0.completeReply(waiter, with: .failure(.timedOut(after: timeout)))
                    }
                }
                send(waiter)
            }
        } onCancel: {
            executor.queue.async {
                self.assumeIsolated { $0.completeReply(waiter, with: .failure(.cancelled)) }
            }
        }
    }

    /// Resumes a waiting caller once; later results for it are dropped.
    private func completeReply(_ waiter: UInt64, with result: Result<RESPValue, RedisError>) {
        guard let entry = replyWaiters.removeValue(forKey: waiter) else { return }
        entry.continuation.resume(with: result.mapError { $0 as any Error })
    }

    /// Settles the waiter of an expectation whose reply will never come.
    private func release(_ expectation: Expectation, error: RedisError) {
        let waiter: UInt64?
        switch expectation {
        case .handshake: waiter = nil
        case .confirmations(_, _, _, let id), .emptyConfirmation(_, let id), .pong(let id):
            waiter = id
        }
        guard let waiter, let entry = replyWaiters[waiter] else { return }
        completeReply(waiter, with: entry.doneByConnectionLoss ? .success(.null) : .failure(error))
    }

    // MARK: Reading

    private func readable() {
        guard let socket else { return }
        defer { if confirmationsArrived { settle() } }
        for _ in 0..<Self.chunksPerTurn {
            switch socket.receive() {
            case .bytes:
                guard takeReplies(from: socket) else { return }
            case .drained:
                return
            case .endOfStream:
                connectionLost("the server closed the connection")
                return
            case .failed(let reason):
                connectionLost("read failed: \(reason)")
                return
            }
        }
    }

    /// Handles every complete reply; false once the socket was dropped.
    private func takeReplies(from socket: HiredisSocket) -> Bool {
        while self.socket === socket {
            let reply: RESPValue?
            do {
                reply = try socket.nextReply()
            } catch {
                connectionLost("unparsable reply: \(error.message)")
                return false
            }
            guard let reply else { return true }
            handle(PubSubReply(reply))
        }
        return false
    }

    private func handle(_ reply: PubSubReply) {
        switch reply {
        case .message(let channel, let payload):
            let name = String(decoding: channel, as: UTF8.self)
            deliver(
                RedisPubSubMessage(channel: name, payload: payload),
                to: channels.holders(of: name))
        case .patternMessage(let pattern, let channel, let payload):
            let name = String(decoding: pattern, as: UTF8.self)
            deliver(
                RedisPubSubMessage(
                    channel: String(decoding: channel, as: UTF8.self), pattern: name,
                    payload: payload),
                to: patterns.holders(of: name))
        case .confirmation(let kind, let name):
            confirmed(kind, name: name.map { String(decoding: $0, as: UTF8.self) })
        case .reply(let value):
            replied(value)
        }
    }

    private func deliver(_ message: RedisPubSubMessage, to holders: Set<UInt64>) {
        for holder in holders {
            guard let gapPending = records[holder]?.gapPending else { continue }
            if gapPending {
                records[holder]!.hold(message)
            } else {
                records[holder]!.buffer.push(.message(message))
            }
        }
    }

    /// Matches a confirmation to the command at the head of the queue.
    private func confirmed(_ confirmation: PubSubReply.Confirmation, name: String?) {
        switch expectations.first {
        case .confirmations(let expected, let names, let received, let waiter)?
        where expected == confirmation && names[received] == name:
            if let name, confirmation == .subscribe || confirmation == .psubscribe {
                if update(Kind(confirmation), { $0.subscribeAcknowledged(for: name) }) {
                    confirmationsArrived = true
                }
            }
            if received + 1 < names.count {
                expectations.first = .confirmations(
                    expected, names: names, received: received + 1, waiter: waiter)
            } else {
                _ = expectations.popFirst()
                if let waiter { completeReply(waiter, with: .success(.null)) }
            }
        case .emptyConfirmation(let expected, let waiter)?
        where expected == confirmation && name == nil:
            _ = expectations.popFirst()
            if let waiter { completeReply(waiter, with: .success(.null)) }
        default:
            connectionLost("a \(confirmation.rawValue) confirmation arrived out of order")
        }
    }

    /// Matches any other reply to the command at the head of the queue.
    private func replied(_ value: RESPValue) {
        guard let expectation = expectations.popFirst() else {
            connectionLost("a reply arrived that no command was waiting for")
            return
        }
        switch expectation {
        case .handshake:
            handshakeReplied(value)
        case .pong(let waiter?):
            completeReply(waiter, with: .success(value))
        case .pong(nil):
            livenessAnswered(value)
        case .confirmations(let confirmation, let names, let received, let waiter):
            guard received == 0, let error = value.serverError else {
                connectionLost("an unexpected reply arrived among pub/sub confirmations")
                return
            }
            if error.meansServerNotReady {
                // Not a refusal: a new connection resubscribes once the server is ready.
                connectionLost("the server is not ready: \(error.message)")
                return
            }
            refused(confirmation, names: names, error: error)
            if let waiter { completeReply(waiter, with: .failure(error)) }
        case .emptyConfirmation(_, let waiter):
            guard let error = value.serverError else {
                connectionLost("an unexpected reply arrived for UNSUBSCRIBE")
                return
            }
            if let waiter { completeReply(waiter, with: .failure(error)) }
        }
    }

    /// The server refused a whole command (an ACL rule, for instance). A
    /// refused SUBSCRIBE ends the subscriptions that hold its names, with the
    /// server's error.
    private func refused(
        _ confirmation: PubSubReply.Confirmation, names: [String], error: RedisError
    ) {
        logger.log(
            .debug, "pub/sub command refused",
            ["subscriber": label, "command": confirmation.command, "reason": error.message])
        guard confirmation == .subscribe || confirmation == .psubscribe else { return }
        let kind = Kind(confirmation)
        var holders = Set<UInt64>()
        for name in names {
            update(kind) { $0.subscribeRefused(for: name) }
            holders.formUnion(update(kind) { $0.holders(of: name) })
        }
        for holder in holders { end(holder, throwing: error) }
    }

    /// Resumes the callers and delivers the gaps of subscriptions whose
    /// names are all confirmed now.
    private func settle() {
        confirmationsArrived = false
        for id in unsettled {
            guard var record = records[id], isConfirmed(record) else { continue }
            unsettled.remove(id)
            if record.gapPending { record.releaseGap() }
            let opening = record.opening
            record.opening = nil
            records[id] = record
            opening?.resume()
        }
    }

    // MARK: Liveness

    private func scheduleLivenessPing() {
        let socketGeneration = generation
        executor.queue.asyncAfter(deadline: .now() + options.pingInterval.dispatch) {
            [weak self] in
            self?.assumeIsolated { $0.sendLivenessPing(socketGeneration) }
        }
    }

    private func sendLivenessPing(_ socketGeneration: UInt64) {
        guard socketGeneration == generation, case .ready = state, let socket,
            livenessPing == nil
        else { return }
        let ping = takeIdentifier()
        livenessPing = ping
        socket.append(RedisCommand("PING"))
        expectations.append(.pong(waiter: nil))
        scheduleFlush()

        let timeout = options.pingTimeout
        executor.queue.asyncAfter(deadline: .now() + timeout.dispatch) { [weak self] in
            self?.assumeIsolated { subscriber in
                guard subscriber.generation == socketGeneration,
                    subscriber.livenessPing == ping
                else { return }
                subscriber.connectionLost(
                    "no answer to PING within \(timeout); the connection is presumed dead")
            }
        }
    }

    private func livenessAnswered(_ value: RESPValue) {
        livenessPing = nil
        if let error = value.serverError {
            logger.log(
                .debug, "liveness PING refused", ["subscriber": label, "reason": error.message])
        }
        scheduleLivenessPing()
    }

    // MARK: Connecting

    private func waitUntilConnected() async throws {
        try await withUnsafeThrowingContinuation { continuation in
            connectWaiters.append(continuation)
            startConnecting()
        }
    }

    private func startConnecting() {
        generation &+= 1
        let attemptGeneration = generation
        state = .connecting
        logger.log(
            .debug, "connecting", ["subscriber": label, "endpoint": "\(configuration.endpoint)"])

        let socket: HiredisSocket
        do {
            socket = try HiredisSocket(endpoint: configuration.endpoint, queue: executor.queue)
        } catch {
            connectAttemptFailed(error)
            return
        }
        self.socket = socket
        socket.start(
            onReadable: { [weak self] in self?.assumeIsolated { $0.readable() } },
            onWritable: { [weak self] in self?.assumeIsolated { $0.writable() } }
        )
        executor.queue.asyncAfter(deadline: .now() + configuration.connectTimeout.dispatch) {
            [weak self] in
            self?.assumeIsolated { $0.connectTimedOut(attemptGeneration) }
        }
    }

    private func writable() {
        guard case .connecting = state, let socket else {
            flush()
            return
        }
        if let reason = socket.connectError() {
            connectAttemptFailed(
                RedisError(
                    .connectionFailed,
                    "Cannot connect to Redis at \(configuration.endpoint): \(reason). "
                        + "Check that the server runs there and the address is right."
                ))
            return
        }
        socket.pauseWriteEvents()
        startHandshake()
    }

    private func connectTimedOut(_ attemptGeneration: UInt64) {
        guard attemptGeneration == generation else { return }
        switch state {
        case .connecting, .handshaking:
            connectAttemptFailed(
                RedisError(
                    .connectionFailed,
                    "Connecting to Redis at \(configuration.endpoint) took longer than "
                        + "\(configuration.connectTimeout); check that the server is reachable."
                ))
        default:
            break
        }
    }

    private func startHandshake() {
        let steps = RedisHandshake.commands(for: configuration)
        guard !steps.isEmpty, let socket else {
            becomeReady()
            return
        }
        state = .handshaking(remaining: steps.count)
        for step in steps {
            socket.append(step)
            expectations.append(.handshake)
        }
        flush()
    }

    private func handshakeReplied(_ reply: RESPValue) {
        guard case .handshaking(let remaining) = state else { return }
        if let error = reply.serverError {
            switch RedisHandshake.outcome(of: error, configuration: configuration) {
            case .retry(let reason): connectionLost(reason)
            case .giveUp(let error): shut(with: error, endingSubscriptionsWith: error)
            }
            return
        }
        if remaining > 1 {
            state = .handshaking(remaining: remaining - 1)
        } else {
            becomeReady()
        }
    }

    /// Subscribes the new socket to exactly the wanted set, then sends the
    /// PINGs that waited.
    private func becomeReady() {
        guard socket != nil else { return }
        state = .ready
        attempt = 0
        connectedOnce = true

        let wantedChannels = channels.wanted
        let wantedPatterns = patterns.wanted
        sendSubscribe(.channel, wantedChannels)
        sendSubscribe(.pattern, wantedPatterns)
        let pings = unsentPings
        unsentPings.removeAll()
        for ping in pings { sendPing(ping.command, waiter: ping.waiter) }
        flush()
        scheduleLivenessPing()
        logger.log(
            .debug, "connected",
            [
                "subscriber": label, "endpoint": "\(configuration.endpoint)",
                "channels": "\(wantedChannels.count)", "patterns": "\(wantedPatterns.count)",
            ])

        let waiters = connectWaiters
        connectWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    private func connectAttemptFailed(_ error: RedisError) {
        guard connectedOnce else {
            shut(with: error, endingSubscriptionsWith: error)
            return
        }
        logger.log(.debug, "reconnect failed", ["subscriber": label, "reason": error.message])
        connectionLost(error.message)
    }

    /// Drops the socket and schedules a reconnect. Every subscription is due
    /// a gap once its names are confirmed on the next socket.
    private func connectionLost(_ reason: String) {
        socket?.close()
        socket = nil
        flushScheduled = false
        livenessPing = nil
        generation &+= 1

        let lost = RedisError.connectionLost(reason)
        for expectation in expectations.removeAll() { release(expectation, error: lost) }
        channels.connectionLost()
        patterns.connectionLost()
        for id in records.keys {
            records[id]!.gapPending = true
            unsettled.insert(id)
        }

        guard connectedOnce else {
            let error = RedisError(.connectionFailed, "Cannot connect to Redis: \(reason).")
            shut(with: error, endingSubscriptionsWith: error)
            return
        }
        state = .waitingToReconnect
        let delay = configuration.reconnect.delay(forAttempt: attempt)
        attempt += 1
        logger.log(
            .debug, "connection lost",
            ["subscriber": label, "reason": reason, "retry_in": "\(delay)"])
        let attemptGeneration = generation
        executor.queue.asyncAfter(deadline: .now() + delay.dispatch) { [weak self] in
            self?.assumeIsolated { subscriber in
                guard subscriber.generation == attemptGeneration,
                    case .waitingToReconnect = subscriber.state
                else { return }
                subscriber.startConnecting()
            }
        }
    }
}
