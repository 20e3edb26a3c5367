/// What a reply on a subscribed connection is, under RESP2.
///
/// RESP2 has no push type: published messages, subscription confirmations
/// and command replies all arrive as plain replies on one stream. Messages
/// are arrays led by `message` or `pmessage`; confirmations are arrays led by
/// the command's name in lower case; anything else (PING's `["pong", ""]`,
/// `+PONG` before the first subscription, error replies, the handshake's
/// replies) answers the oldest command still waiting.
enum PubSubReply: Equatable {
    /// `["message", channel, payload]`.
    case message(channel: [UInt8], payload: [UInt8])
    /// `["pmessage", pattern, channel, payload]`.
    case patternMessage(pattern: [UInt8], channel: [UInt8], payload: [UInt8])
    /// `[kind, name, count]`; the name is nil when UNSUBSCRIBE or
    /// PUNSUBSCRIBE without arguments found nothing to leave.
    case confirmation(Confirmation, name: [UInt8]?)
    /// A reply to the oldest command still waiting.
    case reply(RESPValue)

    /// The four commands whose replies are confirmations.
    enum Confirmation: String, Equatable {
        case subscribe, unsubscribe, psubscribe, punsubscribe

        /// The command that this kind of confirmation answers.
        var command: String { rawValue.uppercased() }
    }

    init(_ value: RESPValue) {
        guard case .array(let elements) = value, let kind = elements.first?.bytes else {
            self = .reply(value)
            return
        }
        switch (String(decoding: kind, as: UTF8.self), elements.count) {
        case ("message", 3):
            if let channel = elements[1].bytes, let payload = elements[2].bytes {
                self = .message(channel: channel, payload: payload)
                return
            }
        case ("pmessage", 4):
            if let pattern = elements[1].bytes, let channel = elements[2].bytes,
                let payload = elements[3].bytes
            {
                self = .patternMessage(pattern: pattern, channel: channel, payload: payload)
                return
            }
        case (let word, 3):
            if let confirmation = Confirmation(rawValue: word), elements[2].integer != nil {
                self = .confirmation(confirmation, name: elements[1].bytes)
                return
            }
        default:
            break
        }
        self = .reply(value)
    }
}
