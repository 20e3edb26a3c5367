import Foundation
import Hiredis
import Synchronization

/// Decodes published payloads into events, and counts and logs each one
/// that is not an event, so that none is dropped without a trace.
///
/// One decoder is meant to live as long as a subscription; share it
/// between tasks freely.
///
/// ```swift
/// let decoder = ChatEventDecoder(logger: logger)
/// if let event = decoder.event(from: payload, channel: channel) { ... }
/// print("undecodable so far: \(decoder.failureCount)")
/// ```
public final class ChatEventDecoder: Sendable {
    private let failures = Atomic<Int>(0)
    private let logger: RedisLogger

    /// A decoder that logs each failure at debug level through `logger`.
    public init(logger: RedisLogger = .silent) {
        self.logger = logger
    }

    /// How many payloads failed to decode so far.
    public var failureCount: Int { failures.load(ordering: .relaxed) }

    /// Decodes one payload.
    ///
    /// - Parameters:
    ///   - payload: the published bytes.
    ///   - channel: the channel they came on, for the log.
    /// - Returns: the event.
    /// - Throws: ``ChatError/Code-swift.struct/undecodableEvent``, after
    ///   counting and logging the failure.
    public func decode(_ payload: Data, channel: String? = nil) throws(ChatError) -> ChatEvent {
        do {
            return try ChatEvent(json: payload)
        } catch {
            let count = failures.add(1, ordering: .relaxed).newValue
            logger.log(
                .debug, "undecodable chat event",
                [
                    "channel": channel ?? "", "payload_bytes": "\(payload.count)",
                    "failure_count": "\(count)", "reason": "\(error)",
                ])
            throw ChatError(
                .undecodableEvent,
                "A \(payload.count)-byte payload"
                    + (channel.map { " on \($0)" } ?? "")
                    + " is not a chat event (\(error)); check the program that published it.")
        }
    }

    /// Decodes one payload given as bytes; see ``decode(_:channel:)``.
    public func decode(_ payload: [UInt8], channel: String? = nil) throws(ChatError) -> ChatEvent {
        try decode(Data(payload), channel: channel)
    }

    /// Decodes one payload, or returns nil after counting and logging the failure.
    public func event(from payload: Data, channel: String? = nil) -> ChatEvent? {
        try? decode(payload, channel: channel)
    }
}
