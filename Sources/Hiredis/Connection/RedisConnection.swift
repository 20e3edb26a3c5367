import Dispatch
import Foundation
import Synchronization

/// One connection to a Redis server, shared safely by any number of tasks.
///
/// The connection is an actor whose executor is its own serial Dispatch queue;
/// the hiredis context lives on that queue and nowhere else. Commands from
/// concurrent callers are appended to one output buffer and written together,
/// so they are pipelined on one socket without any effort from the callers,
/// and each caller gets its own reply (replies come back in order).
///
/// ```swift
/// let connection = try await RedisConnection.connect(
///     RedisConfiguration(url: "redis://localhost:6379"))
/// try await connection.set("greeting", to: "hello")
/// let greeting = try await connection.get("greeting", as: String.self)
/// await connection.close()
/// ```
///
/// ## Failures
///
/// - Every connect, and every reconnect, runs the handshake (AUTH, SELECT,
///   CLIENT SETNAME) before any queued command goes out.
/// - When the socket drops, each command already sent fails with
///   ``RedisError/Code-swift.struct/connectionLost``: it may or may not have
///   run, and it is never re-sent on its own. Commands not yet sent wait for
///   the reconnect, which is spaced by ``RedisConfiguration/reconnect``.
/// - Credentials the server refuses close the connection for good with
///   ``RedisError/Code-swift.struct/authenticationFailed``.
/// - A caller that times out or is cancelled gets its error at once; its
///   late reply is read and dropped, so later callers stay aligned.
///
/// ## Speed
///
/// Awaiting a reply from a task that prefers ``executor`` as its task
/// executor (`withTaskExecutorPreference(connection.executor)`) resumes on
/// the connection's queue, without a thread hop.
///
/// Call ``close()`` when done; pending callers then fail with
/// ``RedisError/Code-swift.struct/connectionClosed``.
public actor RedisConnection {
    /// The task executor over this connection's queue: a task that prefers it
    /// (`withTaskExecutorPreference`) runs where the replies are read.
    public nonisolated let executor: QueueExecutor
    /// The executor the actor runs on: the same queue.
    private nonisolated let serialExecutor: QueueSerialExecutor
    /// How this connection reaches its server.
    public nonisolated let configuration: RedisConfiguration

    /// The connection's queue, as the executor the actor runs on.
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

    /// Where a reply goes once it arrives.
    private enum Sink {
        case caller(ReplyContinuation<RESPValue>)
        case collector(ReplyCollector)
        case handshake
        /// The caller gave up (timeout, cancellation); the reply is dropped.
        case discarded
    }

    /// One expected reply, in the order the commands were written.
    private struct Entry {
        var ticket: UInt64
        var deadline: UInt64
        var sink: Sink
        /// Whether the server may hold the reply (BLPOP and its kin).
        var blocks = false

        /// Whether someone waits for the reply: a caller, or the handshake.
        var isAwaited: Bool {
            if case .discarded = sink { false } else { true }
        }
    }

    private struct Unsent {
        var commands: [RedisCommand]
        var entries: [Entry]
    }

    private var state: State = .connecting
    private var socket: HiredisSocket?
    private var inFlight = FIFO<Entry>()
    /// How many entries in ``inFlight`` are for blocking commands.
    private var blockingInFlight = 0
    private var unsent: [Unsent] = []
    private var flushScheduled = false
    /// Names each caller's commands, so that a cancellation finds them.
    private nonisolated let nextTicket = Atomic<UInt64>(1)
    /// Whether ``state`` is closed, for ``isClosed``; set once, in ``shut(with:)``.
    private nonisolated let closed = Atomic<Bool>(false)
    /// Orders a caller's hand-over of its command before its cancellation.
    /// A bare lock: it guards an order of events, not a value.
    private nonisolated let handOver = NSLock()
    private var attempt = 0
    private var connectedOnce = false
    private var connectWaiters: [UnsafeContinuation<Void, any Error>] = []
    /// Counts connection attempts, so that a stale connect timeout does nothing.
    private var generation: UInt64 = 0
    private var deadlineTimer: DispatchSourceTimer?
    private var armedDeadline = UInt64.max
    /// ``RedisConfiguration/commandTimeout`` converted once, since every command needs it.
    private let commandTimeoutNanoseconds: UInt64
    private let logger: RedisLogger
    private let label: String

    private init(configuration: RedisConfiguration, executor: QueueExecutor) {
        self.configuration = configuration
        self.executor = executor
        self.serialExecutor = QueueSerialExecutor(over: executor)
        self.commandTimeoutNanoseconds = configuration.commandTimeout.nanoseconds
        self.logger = configuration.logger
        self.label = executor.queue.label
    }

    /// Connects to the server and runs the handshake.
    ///
    /// - Parameter configuration: where the server is and how to greet it.
    /// - Returns: a connection ready for commands.
    /// - Throws: ``RedisError`` with code
    ///   ``RedisError/Code-swift.struct/connectionFailed`` when the server cannot be
    ///   reached within the connect timeout, or
    ///   ``RedisError/Code-swift.struct/authenticationFailed`` when it refuses the
    ///   credentials. The first connect is not retried.
    public static func connect(_ configuration: RedisConfiguration) async throws -> RedisConnection
    {
        let label = "redis.connection.\(ConnectionNumber.next())"
        let executor = QueueExecutor(label: label, parks: true)
        let connection = RedisConnection(configuration: configuration, executor: executor)
        executor.setIdleHandler { [weak connection] in
            connection?.assumeIsolated { $0.socket?.resumeReadEvents() }
        }
        try await connection.waitUntilConnected()
        return connection
    }

    isolated deinit {
        socket?.close()
        deadlineTimer?.cancel()
    }

    // MARK: Sending

    /// Sends a command and returns its reply.
    ///
    /// - Parameter command: the command and its arguments.
    /// - Returns: the server's reply.
    /// - Throws: ``RedisError``: a server error reply as
    ///   ``RedisError/Code-swift.struct/server`` with its code word, or a
    ///   connection, timeout or cancellation error.
    @discardableResult
    public nonisolated func send(_ command: RedisCommand) async throws -> RESPValue {
        try await exchange(command).unwrap()
    }

    /// Sends a command given as its name and arguments, and returns its reply.
    ///
    /// ```swift
    /// let reply = try await connection.send("HSET", "user:1", "name", "Ada")
    /// ```
    ///
    /// - Parameters:
    ///   - name: the command's name, such as `"HSET"`.
    ///   - arguments: its arguments, each sent as one binary-safe string.
    /// - Returns: the server's reply.
    /// - Throws: as ``send(_:)-(RedisCommand)``.
    @discardableResult
    public nonisolated func send(_ name: String, _ arguments: any RedisArgument...) async throws
        -> RESPValue
    {
        try await exchange(RedisCommand(name, arguments: arguments)).unwrap()
    }

    /// Sends a command and returns the reply as it came, error replies included.
    nonisolated func exchange(_ command: RedisCommand) async throws -> RESPValue {
        try await awaitReply { connection, ticket, continuation in
            connection.submit(command, ticket: ticket, replyingTo: continuation)
        }
    }

    /// Sends commands back to back and returns every reply in order, error
    /// replies in their slots.
    nonisolated func exchange(_ commands: [RedisCommand]) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        return try await awaitReply { connection, ticket, continuation in
            connection.submit(commands, ticket: ticket, replyingTo: continuation)
        }
    }

    /// Suspends the caller on a continuation that `submit` hands to the
    /// connection, on its queue, and that the reply resumes.
    ///
    /// Nonisolated, so that the reply resumes the caller where it runs,
    /// without passing through the actor: entering the actor is free, but
    /// leaving it again for the caller's own code costs one more job per
    /// command. A caller that already runs on the queue (a task that prefers
    /// ``executor``) submits in place; any other hands its continuation to
    /// the queue.
    private nonisolated func awaitReply<Value: Sendable>(
        _ submit:
            @escaping @Sendable (
                isolated RedisConnection, _ ticket: UInt64, ReplyContinuation<Value>
            ) -> Void
    ) async throws -> Value {
        let ticket = try takeTicket()
        return try await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: ReplyContinuation<Value>) in
                // In place, an abandonment queues behind this job. Handed
                // over, it is queued under the lock that the cancellation
                // handler takes too, so it can only queue behind the
                // submission. A cancellation that came first is seen here.
                if executor.isCurrent {
                    guard !Task.isCancelled else {
                        continuation.resume(returning: .failure(.cancelled))
                        return
                    }
                    assumeIsolated { submit($0, ticket, continuation) }
                    return
                }
                handOver.lock()
                defer { handOver.unlock() }
                guard !Task.isCancelled else {
                    continuation.resume(returning: .failure(.cancelled))
                    return
                }
                executor.async {
                    self.assumeIsolated { submit($0, ticket, continuation) }
                }
            }
        } onCancel: {
            handOver.lock()
            defer { handOver.unlock() }
            abandonFromAnyThread(ticket)
        }.get()
    }

    private func submit(
        _ command: RedisCommand, ticket: UInt64,
        replyingTo continuation: ReplyContinuation<RESPValue>
    ) {
        let (deadline, blocks) = deadline(for: CollectionOfOne(command))
        let entry = Entry(
            ticket: ticket, deadline: deadline, sink: .caller(continuation), blocks: blocks)
        submit([command], [entry])
    }

    private func submit(
        _ commands: [RedisCommand], ticket: UInt64,
        replyingTo continuation: ReplyContinuation<[RESPValue]>
    ) {
        let (deadline, blocks) = deadline(for: commands)
        let collector = ReplyCollector(expecting: commands.count, continuation: continuation)
        let entry = Entry(
            ticket: ticket, deadline: deadline, sink: .collector(collector), blocks: blocks)
        submit(commands, Array(repeating: entry, count: commands.count))
    }

    /// A number for the next caller's commands, so that a cancellation finds
    /// them. A closed connection fails the commands when they are submitted.
    private nonisolated func takeTicket() throws -> UInt64 {
        if Task.isCancelled { throw RedisError.cancelled }
        return nextTicket.add(1, ordering: .relaxed).oldValue
    }

    private nonisolated func abandonFromAnyThread(_ ticket: UInt64) {
        executor.async {
            self.assumeIsolated { $0.abandon(ticket, with: .cancelled) }
        }
    }

    private func submit(_ commands: [RedisCommand], _ entries: [Entry]) {
        if case .closed(let error) = state {
            for entry in entries { fail(entry, with: error) }
            return
        }
        // Armed before the write: the write may wait for the replies.
        if let first = entries.first { arm(deadline: first.deadline) }
        logger.log(
            .trace, "command queued", ["connection": label, "commands": "\(commands.count)"])
        guard case .ready = state, let socket else {
            unsent.append(Unsent(commands: commands, entries: entries))
            return
        }
        for command in commands { socket.append(command) }
        for entry in entries { push(entry) }
        if executor.hasWaitingWork {
            // Commands that other tasks queue in this turn join the same write.
            scheduleFlush()
        } else {
            flush()
        }
    }

    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        executor.async {
            self.assumeIsolated { $0.flush() }
        }
    }

    private func flush() {
        flushScheduled = false
        guard let socket else { return }
        if let failure = socket.flush() {
            connectionLost("write failed: \(failure)")
            return
        }
        // Parked only while the newest reply is awaited: replies that only
        // timed-out callers were owed would hold the thread with no deadline
        // to end the wait, for as long as the server stays silent.
        if inFlight.last?.isAwaited == true, !socket.hasPendingOutput,
            !executor.hasWaitingWork
        {
            awaitRepliesInline(from: socket)
        } else {
            socket.resumeReadEvents()
        }
    }

    /// Waits for the replies just sent on this thread, the way a blocking
    /// client does, for as long as nothing else needs the queue.
    ///
    /// A reply on loopback comes back in tens of microseconds. Waiting for it
    /// through the read source costs a wake of Dispatch's event thread, a
    /// hand-over to a queue thread and a re-arm of the source: twice the
    /// system calls and thread wakes of a blocking read. Parked here, the
    /// queue's thread sleeps in `poll` until the socket is readable and reads
    /// at once, so a caller that runs on this queue is resumed in the same
    /// job. The wait ends when the replies are in, when any work is queued for
    /// the connection (another caller, a cancellation, a deadline), or at
    /// once for blocking commands; the read source then takes over.
    ///
    /// After the last reply the read source stays paused until the queue
    /// has nothing else to do: a caller resumed here usually sends its next
    /// command first, and that command waits inline again. Once the queue is
    /// idle the source watches the socket again, so that a server that
    /// closes an idle connection is noticed before the next command.
    private func awaitRepliesInline(from socket: HiredisSocket) {
        socket.pauseReadEvents()
        // A reply read here can make the connection write more (the backlog
        // after a handshake); what the socket does not take at once is left to
        // the write source, which cannot run while this thread is parked.
        waiting: while self.socket === socket, !inFlight.isEmpty, blockingInFlight == 0,
            !socket.hasPendingOutput, !executor.hasWaitingWork
        {
            switch executor.park(untilReadable: socket.fileDescriptor) {
            case .readable: readable(untilDrained: false)
            case .closing: readable()
            case .woken: continue
            case .unavailable: break waiting
            }
        }
        guard self.socket === socket else { return }
        if inFlight.isEmpty {
            executor.requestIdleCallback()
        } else {
            socket.resumeReadEvents()
        }
    }

    private func push(_ entry: Entry) {
        inFlight.append(entry)
        if entry.blocks { blockingInFlight += 1 }
    }

    private func pop() -> Entry? {
        let entry = inFlight.popFirst()
        if entry?.blocks == true { blockingInFlight -= 1 }
        return entry
    }

    private func popAll() -> [Entry] {
        blockingInFlight = 0
        return inFlight.removeAll()
    }

    // MARK: Replies

    /// Reads what the socket holds and hands out the replies.
    ///
    /// - Parameter untilDrained: whether to read on until the socket has
    ///   nothing more, even after a short read. The read source needs that
    ///   extra call: it also finds a close that came with the last reply, so
    ///   the next command waits for the reconnect instead of being written to
    ///   a dead socket. A parked wait learns of such a close from `poll`, and
    ///   reads just once when `poll` saw none.
    private func readable(untilDrained: Bool = true) {
        guard let socket else { return }
        while true {
            switch socket.receive() {
            case .bytes(let filled):
                guard takeReplies(from: socket) else { return }
                if !untilDrained, !filled { return }
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

    /// Hands every complete reply to its waiter; false once the socket was dropped.
    private func takeReplies(from socket: HiredisSocket) -> Bool {
        while self.socket === socket {
            let reply: RESPValue?
            do {
                reply = try socket.nextReply()
            } catch {
                if let entry = pop() { fail(entry, with: error) }
                connectionLost("unparsable reply")
                return false
            }
            guard let reply else { return true }
            guard let entry = pop() else {
                connectionLost("a reply arrived that no command was waiting for")
                return false
            }
            deliver(reply, to: entry)
        }
        return false
    }

    private func deliver(_ reply: RESPValue, to entry: Entry) {
        switch entry.sink {
        case .caller(let continuation): continuation.resume(returning: .success(reply))
        case .collector(let collector): collector.receive(reply)
        case .handshake: handshakeReplied(reply)
        case .discarded: break
        }
    }

    private func fail(_ entry: Entry, with error: RedisError) {
        switch entry.sink {
        case .caller(let continuation): continuation.resume(returning: .failure(error))
        case .collector(let collector): collector.fail(error)
        case .handshake, .discarded: break
        }
    }

    // MARK: Deadlines and cancellation

    /// When the replies to `commands` are overdue: the command timeout from
    /// now, plus the longest blocking time among them; never, when one of
    /// them may block for ever. And whether one of them blocks.
    ///
    /// The clock is read once per batch and the timeout was converted once
    /// per connection: this runs for every command, pipelines included.
    private func deadline(
        for commands: some Sequence<RedisCommand>
    ) -> (deadline: UInt64, blocks: Bool) {
        var timeout = commandTimeoutNanoseconds
        var blocks = false
        for command in commands {
            guard let blocking = command.blockingTime else { continue }
            guard blocking > .zero else { return (.max, true) }
            let withBlocking = Self.saturatingSum(commandTimeoutNanoseconds, blocking.nanoseconds)
            timeout = max(timeout, withBlocking)
            blocks = true
        }
        return (Self.saturatingSum(DispatchTime.now().uptimeNanoseconds, timeout), blocks)
    }

    private static func saturatingSum(_ first: UInt64, _ second: UInt64) -> UInt64 {
        let (sum, overflow) = first.addingReportingOverflow(second)
        return overflow ? .max : sum
    }

    private func arm(deadline: UInt64) {
        guard deadline < armedDeadline else { return }
        armedDeadline = deadline
        let timer: DispatchSourceTimer
        if let existing = deadlineTimer {
            timer = existing
        } else {
            // Not on the connection's queue: its thread may be parked on the
            // socket, and the timer's work must end that wait.
            timer = DispatchSource.makeTimerSource(queue: QueueExecutor.timerQueue)
            timer.setEventHandler { [weak self] in
                guard let self else { return }
                self.executor.async { self.assumeIsolated { $0.deadlinePassed() } }
            }
            timer.activate()
            deadlineTimer = timer
        }
        timer.schedule(
            deadline: DispatchTime(uptimeNanoseconds: deadline), leeway: .milliseconds(2))
    }

    private func deadlinePassed() {
        armedDeadline = .max
        let now = DispatchTime.now().uptimeNanoseconds
        var next = UInt64.max
        var expired: [Entry] = []
        let expire = { (entry: inout Entry) in
            if entry.deadline <= now {
                if case .discarded = entry.sink {} else { expired.append(entry) }
                if case .handshake = entry.sink {} else { entry.sink = .discarded }
            } else {
                next = min(next, entry.deadline)
            }
        }
        inFlight.updateEach(expire)
        // A command that was never sent is dropped, so it cannot run after its caller gave up.
        unsent.removeAll { batch in
            guard let first = batch.entries.first, first.deadline <= now else {
                if let first = batch.entries.first { next = min(next, first.deadline) }
                return false
            }
            expired.append(first)
            return true
        }
        for entry in expired {
            fail(entry, with: .timedOut(after: configuration.commandTimeout))
        }
        if next != .max { arm(deadline: next) }
    }

    private func abandon(_ ticket: UInt64, with error: RedisError) {
        var abandoned: Entry?
        inFlight.updateEach { entry in
            guard entry.ticket == ticket else { return }
            if case .discarded = entry.sink { return }
            abandoned = entry
            entry.sink = .discarded
        }
        if let index = unsent.firstIndex(where: { $0.entries.first?.ticket == ticket }) {
            abandoned = unsent.remove(at: index).entries.first
        }
        if let abandoned { fail(abandoned, with: error) }
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
            .debug, "connecting", ["connection": label, "endpoint": "\(configuration.endpoint)"])

        let socket: HiredisSocket
        do {
            socket = try HiredisSocket(endpoint: configuration.endpoint, queue: executor.queue)
        } catch {
            connectAttemptFailed(error)
            return
        }
        self.socket = socket
        // The executor does not see source events, so they tell it when they end.
        socket.start(
            onReadable: { [weak self] in
                self?.assumeIsolated { $0.readable() }
                self?.executor.workDidEnd()
            },
            onWritable: { [weak self] in
                self?.assumeIsolated { $0.writable() }
                self?.executor.workDidEnd()
            }
        )
        executor.asyncAfter(deadline: .now() + configuration.connectTimeout.dispatch) {
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
            push(Entry(ticket: 0, deadline: .max, sink: .handshake))
        }
        flush()
    }

    private func handshakeReplied(_ reply: RESPValue) {
        guard case .handshaking(let remaining) = state else { return }
        if let error = reply.serverError {
            handshakeFailed(error)
            return
        }
        if remaining > 1 {
            state = .handshaking(remaining: remaining - 1)
        } else {
            becomeReady()
        }
    }

    private func handshakeFailed(_ error: RedisError) {
        switch RedisHandshake.outcome(of: error, configuration: configuration) {
        case .retry(let reason): connectionLost(reason)
        case .giveUp(let error): shut(with: error)
        }
    }

    private func becomeReady() {
        guard let socket else { return }
        state = .ready
        attempt = 0
        connectedOnce = true
        logger.log(
            .debug, "connected", ["connection": label, "endpoint": "\(configuration.endpoint)"])

        let waiting = unsent
        unsent.removeAll()
        for batch in waiting {
            for command in batch.commands { socket.append(command) }
            for entry in batch.entries { push(entry) }
        }
        flush()

        let waiters = connectWaiters
        connectWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    private func connectAttemptFailed(_ error: RedisError) {
        guard connectedOnce else {
            shut(with: error)
            return
        }
        logger.log(.debug, "reconnect failed", ["connection": label, "reason": error.message])
        connectionLost(error.message)
    }

    /// Drops the socket, fails what was sent, and schedules a reconnect.
    private func connectionLost(_ reason: String) {
        socket?.close()
        socket = nil
        flushScheduled = false
        generation &+= 1

        let lost = RedisError.connectionLost(reason)
        for entry in popAll() { fail(entry, with: lost) }

        guard connectedOnce else {
            shut(
                with: RedisError(
                    .connectionFailed,
                    "Cannot connect to Redis at \(configuration.endpoint) (\(reason)); "
                        + "check that the server runs there and the address is right."))
            return
        }
        state = .waitingToReconnect
        let delay = configuration.reconnect.delay(forAttempt: attempt)
        attempt += 1
        logger.log(
            .debug, "connection lost",
            ["connection": label, "reason": reason, "retry_in": "\(delay)"])
        let attemptGeneration = generation
        executor.asyncAfter(deadline: .now() + delay.dispatch) { [weak self] in
            self?.assumeIsolated { connection in
                guard connection.generation == attemptGeneration,
                    case .waitingToReconnect = connection.state
                else { return }
                connection.startConnecting()
            }
        }
    }

    // MARK: Closing

    /// Closes the connection; every pending command fails with
    /// ``RedisError/Code-swift.struct/connectionClosed``. Calling it again does nothing.
    public func close() {
        if case .closed = state { return }
        shut(with: .closed)
        logger.log(.debug, "closed", ["connection": label])
    }

    /// Whether the connection was closed, by ``close()`` or for good after an error.
    ///
    /// Nonisolated, so that asking costs no trip to the connection's queue:
    /// a pool asks at every lease and every return.
    public nonisolated var isClosed: Bool {
        closed.load(ordering: .acquiring)
    }

    private func shut(with error: RedisError) {
        state = .closed(error)
        closed.store(true, ordering: .releasing)
        generation &+= 1
        socket?.close()
        socket = nil
        deadlineTimer?.cancel()
        deadlineTimer = nil
        for entry in popAll() { fail(entry, with: error) }
        let waiting = unsent
        unsent.removeAll()
        for batch in waiting {
            if let first = batch.entries.first { fail(first, with: error) }
        }
        let waiters = connectWaiters
        connectWaiters.removeAll()
        for waiter in waiters { waiter.resume(throwing: error) }
    }
}

/// Where a caller waits for its reply, or for the ``RedisError`` that it gets
/// instead: every failure handed to a caller is one by its type.
private typealias ReplyContinuation<Value> = UnsafeContinuation<Result<Value, RedisError>, Never>

/// Gathers the replies of several commands sent together and resumes the
/// caller once, with all of them or with the first failure.
///
/// Used only on the connection's queue.
private final class ReplyCollector {
    private var replies: [RESPValue] = []
    private let expected: Int
    private var continuation: ReplyContinuation<[RESPValue]>?

    init(expecting expected: Int, continuation: ReplyContinuation<[RESPValue]>) {
        self.expected = expected
        self.continuation = continuation
        replies.reserveCapacity(expected)
    }

    func receive(_ reply: RESPValue) {
        guard let continuation else { return }
        replies.append(reply)
        if replies.count == expected {
            self.continuation = nil
            continuation.resume(returning: .success(replies))
        }
    }

    func fail(_ error: RedisError) {
        guard let continuation else { return }
        self.continuation = nil
        continuation.resume(returning: .failure(error))
    }
}

/// Numbers connections for their queue labels and log metadata.
enum ConnectionNumber {
    private static let counter = Atomic<Int>(0)

    static func next() -> Int { counter.add(1, ordering: .relaxed).newValue }
}

extension Duration {
    var dispatch: DispatchTimeInterval { .nanoseconds(Int(min(nanoseconds, UInt64(Int.max)))) }
}
