import Foundation
import Hiredis

/// The events of a room, or of a user's direct messages, as an
/// `AsyncSequence`; see ``ChatSubscriber`` for what it guarantees.
///
/// Iterating again goes on where the last iterator stopped: what the stream
/// delivered, and what it had loaded but not handed out, belong to the
/// stream, not to an iterator. So a loop may break out, or fail (a history
/// read that failed is tried again by the next call, and fails again for as
/// long as its cause lasts), and a later loop misses nothing. Iterate from
/// one task at a time.
///
/// The stream ends, as its ``RedisSubscription`` does, when the consumer's
/// task is cancelled while it waits for the next event, or when the stream
/// and its iterators are all gone; UNSUBSCRIBE goes out then. A task
/// cancelled while the stream reads history gets a cancellation error and
/// leaves the stream as it was.
public struct ChatEventStream: AsyncSequence, Sendable {
    public typealias Element = ChatEvent
    public typealias Failure = ChatError

    private let subscription: RedisSubscription
    private let service: ChatService
    private let decoder: ChatEventDecoder
    private let progress: Progress

    init(
        subscription: RedisSubscription, service: ChatService, decoder: ChatEventDecoder,
        cursors: [String: Int]
    ) {
        self.subscription = subscription
        self.service = service
        self.decoder = decoder
        self.progress = Progress(State(cursors: cursors))
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(
            upstream: subscription.makeAsyncIterator(), service: service, decoder: decoder,
            progress: progress)
    }

    /// What the stream has delivered and loaded, shared by its iterators.
    fileprivate typealias Progress = Locked<State>

    fileprivate struct State {
        /// The seq of the last message delivered, per room or conversation.
        var cursors: [String: Int]
        /// Events ready to hand out, oldest first.
        var ready: [ChatEvent] = []
        var readIndex = 0
        /// Whether messages may be missing that no backfill has loaded yet:
        /// a gap came, or a backfill was cut short (an error, a cancelled
        /// consumer). The next call backfills every conversation first.
        var holePending = false

        mutating func takeReady() -> ChatEvent? {
            guard readIndex < ready.count else { return nil }
            let event = ready[readIndex]
            readIndex += 1
            if readIndex == ready.count {
                ready.removeAll(keepingCapacity: true)
                readIndex = 0
            }
            return event
        }
    }

    /// Pulls from the subscription as the consumer asks, so that a slow
    /// consumer leaves messages in the subscription's bounded buffer (and a
    /// gap, then a backfill) rather than in an unbounded one here.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private var upstream: RedisSubscription.AsyncIterator
        private let service: ChatService
        private let decoder: ChatEventDecoder
        private let progress: Progress

        /// How many messages one history read loads while closing a hole.
        private static let backfillPage = 200

        fileprivate init(
            upstream: RedisSubscription.AsyncIterator, service: ChatService,
            decoder: ChatEventDecoder, progress: Progress
        ) {
            self.upstream = upstream
            self.service = service
            self.decoder = decoder
            self.progress = progress
        }

        public mutating func next() async throws(ChatError) -> ChatEvent? {
            while true {
                if let event = progress.withLock({ $0.takeReady() }) { return event }
                if progress.withLock({ $0.holePending }) {
                    try await backfillEveryConversation()
                    continue
                }

                let incoming: RedisPubSubEvent?
                do {
                    incoming = try await upstream.next()
                } catch {
                    throw ChatError.redis(error)
                }
                guard let incoming else { return nil }

                switch incoming {
                case .gap:
                    progress.withLock { $0.holePending = true }
                case .message(let published):
                    let payload = Data(published.payload)
                    guard let event = decoder.event(from: payload, channel: published.channel)
                    else { continue }
                    try await accept(event)
                }
            }
        }

        /// Loads what every known conversation stored after its cursor; the
        /// hole stays pending until all of them are done.
        private func backfillEveryConversation() async throws(ChatError) {
            let conversations = progress.withLock { $0.cursors.keys.sorted() }
            for conversation in conversations {
                try await backfill(conversation, through: nil)
            }
            progress.withLock { $0.holePending = false }
        }

        /// Queues an incoming event, first loading the messages it skipped.
        private func accept(_ event: ChatEvent) async throws(ChatError) {
            guard case .message(let message) = event, let seq = message.seq else {
                progress.withLock { $0.ready.append(event) }
                return
            }
            let conversation = message.roomID
            let last = progress.withLock { state -> Int? in
                guard let last = state.cursors[conversation] else {
                    // The first message of a conversation this stream sees.
                    state.cursors[conversation] = seq
                    state.ready.append(event)
                    return nil
                }
                return last
            }
            guard let last, seq > last else { return }
            if seq > last + 1 {
                // Cut short, the backfill leaves a hole for the next call,
                // which loads this message from history with the rest.
                progress.withLock { $0.holePending = true }
                try await backfill(conversation, through: seq - 1)
                progress.withLock { $0.holePending = false }
            }
            progress.withLock { state in
                if seq > state.cursors[conversation, default: 0] {
                    state.cursors[conversation] = seq
                    state.ready.append(event)
                }
            }
        }

        /// Queues the stored messages after the conversation's cursor, up
        /// to and including `limit` (or every one when nil), in seq order.
        private func backfill(
            _ conversation: String, through limit: Int?
        ) async throws(ChatError) {
            var cursor = progress.withLock { $0.cursors[conversation, default: 0] }
            var caughtUp = false
            while !caughtUp, limit.map({ cursor < $0 }) ?? true {
                let page = try await messages(in: conversation, after: cursor)
                let start = cursor
                var loaded: [ChatEvent] = []
                for message in page {
                    guard let seq = message.seq, seq > cursor else { continue }
                    // Newer ones arrive by pub/sub after the message that asked for this.
                    if let limit, seq > limit {
                        caughtUp = true
                        break
                    }
                    loaded.append(.message(message))
                    cursor = seq
                }
                // What is queued counts as delivered, even if a later page fails.
                let reached = cursor
                progress.withLock { state in
                    state.ready += loaded
                    state.cursors[conversation] = reached
                }
                // Caught up when a page brings nothing new. Not when a page is
                // short: a message missing from a hand-edited history shortens
                // a page that is not the last.
                if cursor == start { caughtUp = true }
            }
        }

        /// One page of history, read again after a pause for as long as the
        /// read fails in a way that passes: the connection is down or coming
        /// back, or the server is still starting.
        ///
        /// A gap comes when the subscriber is back, which is often when the
        /// service's own connection is still on its way back, or the server
        /// is still loading its data (`LOADING`). Throwing then would end the
        /// consumer's loop with the hole still open, and every later message
        /// lost with it; the read is safe to repeat, so it waits instead, on
        /// the service connection's reconnect backoff.
        private func messages(
            in conversation: String, after cursor: Int
        ) async throws(ChatError) -> [Message] {
            var attempt = 0
            while true {
                do {
                    return try await service.messages(
                        in: conversation, after: cursor, limit: Self.backfillPage)
                } catch {
                    guard error.isTransient else { throw error }
                    let failure = error
                    let delay = service.connection.configuration.reconnect.delay(
                        forAttempt: attempt)
                    attempt += 1
                    service.configuration.logger.log(
                        .debug, "backfill read failed, retrying",
                        [
                            "room_id": conversation, "reason": failure.message,
                            "retry_in": "\(delay)",
                        ])
                    do {
                        try await Task.sleep(for: delay)
                    } catch {
                        throw failure
                    }
                }
            }
        }
    }
}
