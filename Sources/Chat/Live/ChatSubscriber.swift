import Hiredis

/// Live chat events, per room and per user's direct messages, with every
/// message delivered once and in order.
///
/// Pub/sub alone delivers at most once: while the subscriber reconnects, or
/// when a consumer falls behind its buffer, messages are lost. Each stream
/// of a `ChatSubscriber` tracks the last `seq` it delivered per room or
/// conversation, and closes any hole from history before it goes on:
///
/// - after a gap signal from the subscriber (reconnect, dropped messages),
///   it loads every message newer than the last one delivered;
/// - when a message arrives whose `seq` skips ahead, it loads the ones
///   in between first;
/// - a message it already delivered (pub/sub and history overlap after a
///   gap) is dropped;
/// - a history read that fails because the connection or the server is not
///   back yet (connection lost or reconnecting, `LOADING`) is tried again
///   on the service connection's reconnect backoff: the stream waits for
///   the hole to close rather than end with it open.
///
/// So a consumer sees each message once, in `seq` order, unless it was
/// trimmed from history (the room's cap) before it could be loaded; the
/// stream then goes on from the oldest message kept. Other events (joins,
/// typing, presence) are not stored and stay at most once.
///
/// The promise rests on seqs never going back. A server that comes back
/// with less than it acknowledged (restored from an older snapshot, or a
/// replica that lagged took over) hands out seqs again, and a stream takes
/// the messages that reuse them for ones it delivered: run Redis with
/// `appendfsync always` where that matters.
/// A payload that is not a chat event is counted in
/// ``undecodableEventCount`` and logged through the service's logger.
///
/// ```swift
/// let live = try await ChatSubscriber.connect(redisConfiguration, service: chat)
/// for try await event in try await live.events(inRoom: room.id) {
///     print(event)
/// }
/// ```
public final class ChatSubscriber: Sendable {
    /// The pub/sub connection underneath.
    public let subscriber: RedisSubscriber
    /// The service that history is loaded from.
    public let service: ChatService
    private let decoder: ChatEventDecoder

    /// A chat subscriber on an open pub/sub subscriber; ``close()`` closes it.
    public init(subscriber: RedisSubscriber, service: ChatService) {
        self.subscriber = subscriber
        self.service = service
        self.decoder = ChatEventDecoder(logger: service.configuration.logger)
    }

    /// Opens a pub/sub connection of its own to the server in `redis`.
    ///
    /// - Throws: ``ChatError/Code-swift.struct/redis`` when it cannot connect.
    public static func connect(
        _ redis: RedisConfiguration,
        service: ChatService,
        options: RedisSubscriberOptions = RedisSubscriberOptions()
    ) async throws(ChatError) -> ChatSubscriber {
        do {
            let subscriber = try await RedisSubscriber.connect(redis, options: options)
            return ChatSubscriber(subscriber: subscriber, service: service)
        } catch {
            throw ChatError.wrapping(error)
        }
    }

    /// How many published payloads were not chat events, over all streams.
    public var undecodableEventCount: Int { decoder.failureCount }

    /// The events of one room: messages, joins and leaves, typing and presence.
    ///
    /// The stream starts after the room's newest message at the time of the
    /// call, and ends when the consumer stops iterating, or with an error
    /// when the subscriber closes for good.
    ///
    /// - Parameter roomID: the room.
    /// - Returns: the room's events, messages once each and in `seq` order.
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` for a
    ///   malformed id, or ``ChatError/Code-swift.struct/redis``.
    public func events(inRoom roomID: String) async throws(ChatError) -> ChatEventStream {
        try Validation.id(roomID, field: "roomID")

        let channels = [
            ChatKeys.roomChannel(roomID),
            ChatKeys.typingChannel(roomID),
            ChatKeys.presenceChannel(roomID),
        ]
        let subscription = try await subscribe(to: channels)

        // Read after SUBSCRIBE is confirmed: nothing newer can be missed.
        let latest = try await service.latestSeq(in: roomID)
        return ChatEventStream(
            subscription: subscription, service: service, decoder: decoder,
            cursors: [roomID: latest])
    }

    /// The direct messages a user sends and receives, in every conversation.
    ///
    /// Each conversation's messages arrive once and in `seq` order from the
    /// first one the stream sees. The stream learns of a conversation from
    /// its messages: one whose first messages since the call came in a gap
    /// (while the subscriber was reconnecting, or dropped from the buffer of
    /// a consumer that fell behind) is picked up from the first message the
    /// stream does see, and the ones before it are left out.
    ///
    /// - Parameter userID: the user.
    /// - Returns: ``ChatEvent/message(_:)`` events whose `roomID` is the
    ///   conversation id (`dm:A:B`).
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` for a
    ///   malformed id, or ``ChatError/Code-swift.struct/redis``.
    public func directMessages(forUser userID: String) async throws(ChatError) -> ChatEventStream {
        try Validation.id(userID, field: "userID")

        let subscription = try await subscribe(to: [ChatKeys.directChannel(userID)])
        return ChatEventStream(
            subscription: subscription, service: service, decoder: decoder, cursors: [:])
    }

    /// Closes the pub/sub connection; every stream ends.
    public func close() async {
        await subscriber.close()
    }

    private func subscribe(to channels: [String]) async throws(ChatError) -> RedisSubscription {
        do {
            return try await subscriber.subscribe(to: channels)
        } catch {
            throw ChatError.wrapping(error)
        }
    }
}
