/// The messages of some channels, or of some patterns, from a
/// ``RedisSubscriber``, with a gap wherever messages may have been missed.
///
/// ```swift
/// let subscription = try await subscriber.subscribe(to: ["chat:room:{42}"])
/// for try await event in subscription {
///     switch event {
///     case .message(let message): show(message.payload)
///     case .gap: try await reloadRecentHistory()
///     }
/// }
/// ```
///
/// The subscription holds its channels while it, or an iterator made from
/// it, exists. It ends when the consumer's task is cancelled while waiting
/// for the next event, or when the last copy of the subscription and its
/// iterators goes away (the loop above returns or breaks); the subscriber
/// then sends UNSUBSCRIBE for each channel that no other subscription holds.
///
/// It also ends, after yielding what it buffered, when the subscriber is
/// closed, or when ``RedisSubscriber/unsubscribe(from:)`` took away its last
/// channel. It ends by throwing only when the subscriber gives up for good,
/// for instance because the server refused its credentials on a reconnect.
///
/// Each subscription has a bounded buffer (see ``BufferLimit``). A consumer
/// that falls behind loses the oldest messages, never blocks the subscriber
/// or other consumers, and learns how many it lost from a ``RedisPubSubGap``.
/// One task at a time may iterate a subscription.
public struct RedisSubscription: AsyncSequence, Sendable {
    /// A message, or a gap where messages may be missing.
    public typealias Element = RedisPubSubEvent
    /// The error that ends a subscription when its subscriber gives up.
    public typealias Failure = RedisError

    /// How much one subscription buffers for a consumer that falls behind.
    ///
    /// When a new message would put the buffer over either limit, the oldest
    /// buffered messages are dropped and counted until it fits (the newest
    /// message is always kept, however large). The consumer then receives a
    /// ``RedisPubSubGap`` with the count, followed by the newer messages.
    public struct BufferLimit: Sendable, Hashable {
        /// The most messages buffered.
        public var messages: Int
        /// The most payload bytes buffered.
        public var bytes: Int

        /// A limit of `messages` messages and `bytes` payload bytes; by default
        /// 1,024 messages and 16 MiB.
        public init(messages: Int = 1024, bytes: Int = 16 << 20) {
            self.messages = Swift.max(1, messages)
            self.bytes = Swift.max(0, bytes)
        }
    }

    /// The channels this subscription was made for; empty for a pattern
    /// subscription.
    public let channels: [String]
    /// The patterns this subscription was made for; empty for a channel
    /// subscription.
    public let patterns: [String]
    let lifetime: SubscriptionLifetime

    /// An iterator over the events; one task at a time may use it.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(lifetime: lifetime)
    }

    /// Takes the events of a subscription one at a time.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let lifetime: SubscriptionLifetime

        /// The next event; nil once the subscription has ended.
        ///
        /// - Throws: the error that made the subscriber give up for good.
        public mutating func next() async throws(RedisError) -> RedisPubSubEvent? {
            try await lifetime.next().get()
        }

        /// The next event; nil once the subscription has ended.
        ///
        /// - Throws: the error that made the subscriber give up for good.
        public mutating func next(
            isolation actor: isolated (any Actor)?
        ) async throws(RedisError) -> RedisPubSubEvent? {
            try await lifetime.next().get()
        }
    }
}

/// Ends a subscription when the consumer is done with it: when its task is
/// cancelled while waiting, or when the last subscription value and
/// iterator holding this object go away.
///
/// The subscriber itself keeps only the buffer, never this object, so that
/// its lifetime is the consumer's alone. It keeps the subscriber alive in
/// turn, so a subscription goes on working after the caller drops its
/// reference to the subscriber.
final class SubscriptionLifetime: Sendable {
    let id: UInt64
    let buffer: SubscriptionBuffer
    let subscriber: RedisSubscriber

    init(id: UInt64, buffer: SubscriptionBuffer, subscriber: RedisSubscriber) {
        self.id = id
        self.buffer = buffer
        self.subscriber = subscriber
    }

    deinit {
        end()
    }

    func next() async -> Result<RedisPubSubEvent?, RedisError> {
        await withTaskCancellationHandler {
            await buffer.next()
        } onCancel: {
            end()
        }
    }

    /// Stops the buffer and lets the subscriber release the channels.
    func end() {
        if buffer.cancel() {
            subscriber.subscriptionEnded(id)
        }
    }
}
