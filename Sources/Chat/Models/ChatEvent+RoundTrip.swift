import Foundation

extension ChatEvent {
    /// Decodes `payload` as a subscriber would and, when it is an event,
    /// checks that publishing the event again gives back the same event;
    /// then does the same with `payload` as the timestamp of a message.
    /// For the event fuzzer, and for replaying the inputs it kept.
    ///
    /// The event's ``jsonBytes`` must decode, to an event whose own
    /// ``jsonBytes`` are the same bytes and that equals the first event
    /// once its timestamp is rounded to the millisecond the wire carries;
    /// what `JSONEncoder` writes for the event must decode to it too.
    ///
    /// The second pass hands the bytes to the timestamp parser directly:
    /// mutations of whole events rarely keep the JSON around a timestamp
    /// valid, and the parser holds most of the decoder's arithmetic.
    ///
    /// - Returns: nil when neither is an event, or when each that is
    ///   round-trips; otherwise what broke, in a sentence.
    @_spi(Testing)
    public static func roundTripFailure(of payload: some Collection<UInt8>) -> String? {
        if let failure = roundTripFailure(ofEvent: Data(payload)) { return failure }

        let fields = [("type", "Message"), ("id", "m"), ("room_id", "r"), ("user_id", "u")]
        var message = JSONObjectWriter()
        for (key, value) in fields + [("content", "c")] { message.field(key, value) }
        message.field("timestamp", String(decoding: payload, as: UTF8.self))
        return roundTripFailure(ofEvent: Data(message.finish()))
    }

    private static func roundTripFailure(ofEvent payload: Data) -> String? {
        guard let event = try? ChatEvent(json: payload) else { return nil }

        let published = event.jsonBytes
        let text = String(decoding: published, as: UTF8.self)
        guard let again = try? ChatEvent(json: Data(published)) else {
            return "The published form of \(event) does not decode: \(text)"
        }
        guard again.jsonBytes == published else {
            let second = String(decoding: again.jsonBytes, as: UTF8.self)
            return "Publishing \(event) twice gives two payloads: \(text) and \(second)"
        }
        guard again == event.roundedToTheMillisecond else {
            return "\(event) comes back from \(text) as \(again)"
        }

        do {
            let encoded = try JSONEncoder().encode(event)
            let decoded = try JSONDecoder().decode(ChatEvent.self, from: encoded)
            guard decoded == again else {
                return "\(event) comes back from JSONEncoder's form as \(decoded)"
            }
        } catch {
            return "JSONEncoder's form of \(event) does not round-trip: \(error)"
        }
        return nil
    }

    /// The event with its timestamp, if it has one, as the wire carries it.
    private var roundedToTheMillisecond: ChatEvent {
        guard case .message(var message) = self else { return self }
        message.timestamp = ChatTimestamp.rounded(message.timestamp)
        return .message(message)
    }
}
