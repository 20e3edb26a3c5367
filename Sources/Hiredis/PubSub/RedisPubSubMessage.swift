/// One message delivered by a subscription: who it was published to and
/// what it carries.
///
/// The payload is bytes, exactly as published; ``payloadText`` reads it as
/// UTF-8 text and refuses anything else rather than replacing characters.
///
/// ```swift
/// for try await event in try await subscriber.psubscribe(to: ["room:*"]) {
///     guard case .message(let message) = event else { continue }
///     print(message.pattern ?? "-", message.channel, try message.payloadText)
/// }
/// ```
public struct RedisPubSubMessage: Sendable, Hashable {
    /// The channel the message was published to.
    ///
    /// Read as UTF-8. Only a pattern can match a channel whose name is not
    /// UTF-8 (``RedisSubscriber/subscribe(to:bufferLimit:)`` takes names as
    /// strings); such a name shows U+FFFD where its invalid bytes were.
    public var channel: String
    /// The pattern that matched ``channel``, for messages that came through
    /// ``RedisSubscriber/psubscribe(to:bufferLimit:)``; nil for messages to a
    /// channel subscribed by name.
    public var pattern: String?
    /// The published bytes, unchanged; empty for an empty message.
    public var payload: [UInt8]

    /// A message as the subscriber hands it over.
    public init(channel: String, pattern: String? = nil, payload: [UInt8]) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
    }

    /// The payload read as UTF-8 text.
    ///
    /// - Throws: ``RedisError/Code-swift.struct/decodingFailed`` when the
    ///   payload is not valid UTF-8; read ``payload`` instead.
    public var payloadText: String {
        get throws(RedisError) {
            guard let text = String(validUTF8: payload) else {
                throw RedisError(
                    .decodingFailed,
                    "The message on \(channel) holds \(payload.count) bytes that are not "
                        + "valid UTF-8; read its payload as bytes instead."
                )
            }
            return text
        }
    }
}

/// Where a subscription may have missed messages.
///
/// A gap sits in the sequence at the point where messages may be missing:
/// whatever was published to the subscription's channels after the gap is
/// delivered (until the next gap), whatever came before it may be lost. A
/// consumer that must not miss anything reloads what it needs from its own
/// history when it sees one, and drops the duplicates that this may bring.
public struct RedisPubSubGap: Sendable, Hashable {
    /// How many messages this subscription discarded, oldest first, because
    /// its consumer fell behind and its buffer was full.
    public var droppedMessages: Int
    /// Whether the connection was lost and made again since the previous
    /// event. Messages published while it was down are lost, and how many
    /// is not known.
    public var reconnected: Bool

    /// A gap of `droppedMessages` discarded messages, after a reconnect or not.
    public init(droppedMessages: Int = 0, reconnected: Bool = false) {
        self.droppedMessages = droppedMessages
        self.reconnected = reconnected
    }

    /// Adds another gap that follows this one with nothing in between.
    mutating func merge(_ other: RedisPubSubGap) {
        droppedMessages += other.droppedMessages
        reconnected = reconnected || other.reconnected
    }
}

/// What a subscription yields: a message, or a gap where messages may have
/// been missed.
public enum RedisPubSubEvent: Sendable, Hashable {
    /// A message published to a subscribed channel, or to a channel that
    /// matches a subscribed pattern.
    case message(RedisPubSubMessage)
    /// Messages may be missing here: see ``RedisPubSubGap``.
    case gap(RedisPubSubGap)

    /// The message, when this event is one.
    public var message: RedisPubSubMessage? {
        if case .message(let message) = self { message } else { nil }
    }

    /// The gap, when this event is one.
    public var gap: RedisPubSubGap? {
        if case .gap(let gap) = self { gap } else { nil }
    }
}
