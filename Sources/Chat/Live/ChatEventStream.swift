import Foundation
import Hiredis

/// The events of a room, or of a user's direct messages, as an
/// `AsyncSequence`; see ``ChatSubscriber`` for what it guarantees.
///
/// Iterate it once: the subscription ends (and UNSUBSCRIBE goes out) when
/// its iterator is gone.
public struct ChatEventStream: AsyncSequence, Sendable {
    public typealias Element = ChatEvent
    public typealias Failure = ChatError

    private let subscription: RedisSubscription
    private let service: ChatService
    private let decoder: ChatEventDecoder
    private let cursors: [String: Int]

    init(
        subscription: RedisSubscription, service: ChatService, decoder: ChatEventDecoder,
        cursors: [String: Int]
    ) {
        self.subscription = subscription
        self.service = service
        self.decoder = decoder
        self.cursors = cursors
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(
            upstream: subscription.makeAsyncIterator(), service: service, decoder: decoder,
            cursors: cursors)
    }

    /// Pulls from the subscription as the consumer asks, so that a slow
    /// consumer leaves messages in the subscription's bounded buffer (and a
    /// gap, then a backfill) rather than in an unbounded one here.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private var upstream: RedisSubscription.AsyncIterator
        private let service: ChatService
        private let decoder: ChatEventDecoder
        /// The seq of the last message delivered, per room or conversation.
        private var cursors: [String: Int]
        /// Events ready to hand out, oldest first.
        private var ready: [ChatEvent] = []
        private var readIndex = 0

        /// How many messages one history read loads while closing a hole.
        private static let backfillPage = 200

        init(
            upstream: RedisSubscription.AsyncIterator, service: ChatService,
            decoder: ChatEventDecoder, cursors: [String: Int]
        ) {
            self.upstream = upstream
            self.service = service
            self.decoder = decoder
            self.cursors = cursors
        }

        public mutating func next() async throws(ChatError) -> ChatEvent? {
            while true {
                if let event = takeReady() { return event }

                let incoming: RedisPubSubEvent?
                do {
                    incoming = try await upstream.next()
                } catch {
                    throw ChatError.redis(error)
                }
                guard let incoming else { return nil }

                switch incoming {
                case .gap:
                    for conversation in cursors.keys.sorted() {
                        try await backfill(conversation, through: nil)
                    }
                case .message(let published):
                    let payload = Data(published.payload)
                    guard let event = decoder.event(from: payload, channel: published.channel)
                    else { continue }
                    try await accept(event)
                }
            }
        }

        private mutating func takeReady() -> ChatEvent? {
            guard readIndex < ready.count else { return nil }
            let event = ready[readIndex]
            readIndex += 1
            if readIndex == ready.count {
                ready.removeAll(keepingCapacity: true)
                readIndex = 0
            }
            return event
        }

        /// Queues an incoming event, first loading the messages it skipped.
        private mutating func accept(_ event: ChatEvent) async throws(ChatError) {
            guard case .message(let message) = event, let seq = message.seq else {
                ready.append(event)
                return
            }
            let conversation = message.roomID
            guard let last = cursors[conversation] else {
                // The first message of a conversation this stream sees.
                cursors[conversation] = seq
                ready.append(event)
                return
            }
            if seq <= last { return }
            if seq > last + 1 { try await backfill(conversation, through: seq - 1) }
            if seq > cursors[conversation, default: 0] {
                cursors[conversation] = seq
                ready.append(event)
            }
        }

        /// Queues the stored messages after the conversation's cursor, up
        /// to and including `limit` (or every one when nil), in seq order.
        private mutating func backfill(
            _ conversation: String, through limit: Int?
        ) async throws(ChatError) {
            var cursor = cursors[conversation, default: 0]
            loading: while limit.map({ cursor < $0 }) ?? true {
                let page = try await messages(in: conversation, after: cursor)
                let start = cursor
                for message in page {
                    guard let seq = message.seq, seq > cursor else { continue }
                    // Newer ones arrive by pub/sub after the message that asked for this.
                    if let limit, seq > limit { break loading }
                    ready.append(.message(message))
                    cursor = seq
                    // What is queued counts as delivered, even if a later page fails.
                    cursors[conversation] = cursor
                }
                // Caught up when a page brings nothing new. Not when a page is
                // short: a message missing from a hand-edited history shortens
                // a page that is not the last.
                if cursor == start { break }
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
