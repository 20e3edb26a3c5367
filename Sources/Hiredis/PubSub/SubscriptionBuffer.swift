import Synchronization

/// The bounded buffer between the subscriber's reader and one consumer.
///
/// The reader pushes without ever waiting. When the buffer is over its
/// limit it drops its oldest message and counts it; the count comes out as a
/// ``RedisPubSubGap`` ahead of everything still buffered, which is exactly
/// where the dropped messages were. Gaps that follow each other merge, so
/// a consumer that never reads holds at most its limit of messages and one
/// gap between each two of them.
///
/// Shared between the subscriber's queue (pushing, finishing) and the
/// consumer's task (taking), through a lock.
final class SubscriptionBuffer: Sendable {
    private struct State: Sendable {
        var events = Deque<RedisPubSubEvent>()
        var messageCount = 0
        var byteCount = 0
        /// Stands for the messages dropped from the front of `events`.
        var droppedAhead: RedisPubSubGap?
        var consumer: Consumer?
        var end: End?
    }

    /// A consumer waiting for the next event, or for the end.
    private typealias Consumer = UnsafeContinuation<Result<RedisPubSubEvent?, RedisError>, Never>

    private enum End {
        /// Ended by the subscriber: what is buffered is still delivered.
        case finished(RedisError?)
        /// Ended by the consumer: nothing more is delivered.
        case cancelled
    }

    let limit: RedisSubscription.BufferLimit
    private let state = Locked(State())

    init(limit: RedisSubscription.BufferLimit) {
        self.limit = limit
    }

    // MARK: The reader's side

    /// Hands `event` to the consumer, or buffers it, dropping the oldest
    /// message while the buffer is over its limit.
    func push(_ event: RedisPubSubEvent) {
        let waiting = state.withLock { state -> Consumer? in
            guard state.end == nil else { return nil }
            if let consumer = state.consumer {
                state.consumer = nil
                return consumer
            }
            switch event {
            case .message(let message):
                state.events.append(event)
                state.messageCount += 1
                state.byteCount += message.payload.count
                dropOverflow(&state)
            case .gap(let gap):
                if case .gap(var last)? = state.events.last {
                    last.merge(gap)
                    state.events.last = .gap(last)
                } else if state.events.isEmpty, state.droppedAhead != nil {
                    state.droppedAhead!.merge(gap)
                } else {
                    state.events.append(event)
                }
            }
            return nil
        }
        waiting?.resume(returning: .success(event))
    }

    /// Drops the oldest messages until the buffer is within its limit; the
    /// newest message always stays, however large.
    private func dropOverflow(_ state: inout State) {
        while state.messageCount > 1
            && (state.messageCount > limit.messages || state.byteCount > limit.bytes)
        {
            switch state.events.popFirst() {
            case .message(let message)?:
                state.messageCount -= 1
                state.byteCount -= message.payload.count
                state.droppedAhead = mergedGap(
                    state.droppedAhead, RedisPubSubGap(droppedMessages: 1))
            case .gap(let gap)?:
                state.droppedAhead = mergedGap(state.droppedAhead, gap)
            case nil:
                return
            }
        }
    }

    private func mergedGap(_ gap: RedisPubSubGap?, _ next: RedisPubSubGap) -> RedisPubSubGap {
        guard var gap else { return next }
        gap.merge(next)
        return gap
    }

    /// Ends the buffer: the consumer gets what is buffered, then the end
    /// (nil, or `error` thrown).
    func finish(throwing error: RedisError? = nil) {
        let waiting = state.withLock { state -> Consumer? in
            guard state.end == nil else { return nil }
            state.end = .finished(error)
            defer { state.consumer = nil }
            return state.consumer
        }
        waiting?.resume(returning: error.map { .failure($0) } ?? .success(nil))
    }

    // MARK: The consumer's side

    /// Ends the buffer from the consumer's side and drops what it holds.
    ///
    /// - Returns: whether the buffer was still open, so that the subscriber
    ///   must be told to let go of its channels.
    @discardableResult
    func cancel() -> Bool {
        let (wasOpen, waiting) = state.withLock { state in
            let wasOpen = state.end == nil
            state.end = .cancelled
            state.events = Deque()
            state.messageCount = 0
            state.byteCount = 0
            state.droppedAhead = nil
            defer { state.consumer = nil }
            return (wasOpen, state.consumer)
        }
        waiting?.resume(returning: .success(nil))
        return wasOpen
    }

    /// The next event, waiting for one if none is buffered; nil at the end.
    func next() async -> Result<RedisPubSubEvent?, RedisError> {
        if let ready = state.withLock({ Self.takeReady(&$0) }) {
            return ready
        }
        return await withUnsafeContinuation { continuation in
            let ready = state.withLock { state -> Result<RedisPubSubEvent?, RedisError>? in
                if let ready = Self.takeReady(&state) { return ready }
                guard state.consumer == nil else { return .failure(Self.secondConsumer) }
                state.consumer = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private static let secondConsumer = RedisError(
        .invalidArgument,
        "Two tasks iterate one subscription at once; each message goes to one consumer, "
            + "so subscribe once per consumer instead."
    )

    private static func takeReady(_ state: inout State) -> Result<RedisPubSubEvent?, RedisError>? {
        if let gap = state.droppedAhead {
            state.droppedAhead = nil
            return .success(.gap(gap))
        }
        if let event = state.events.popFirst() {
            if case .message(let message) = event {
                state.messageCount -= 1
                state.byteCount -= message.payload.count
            }
            return .success(event)
        }
        switch state.end {
        case nil: return nil
        case .cancelled, .finished(nil): return .success(nil)
        case .finished(let error?):
            // The error is thrown once; the sequence then just ends.
            state.end = .finished(nil)
            return .failure(error)
        }
    }

    /// Whether the buffer ended, from either side.
    var isEnded: Bool {
        state.withLock { $0.end != nil }
    }
}
