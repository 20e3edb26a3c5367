import Foundation

extension ChatEvent {
    /// The event as the service publishes it: compact JSON, UTF-8, fields
    /// in the order of the design's wire format, `"type"` first and `seq`
    /// last, slashes not escaped.
    ///
    /// `JSONEncoder` writes the same fields, but in no fixed order; this
    /// writer exists so that the published bytes are the same every time.
    public var jsonData: Data { Data(jsonBytes) }

    /// The event as the service publishes it, as a byte array; see ``jsonData``.
    public var jsonBytes: [UInt8] {
        var writer = JSONObjectWriter()
        writer.field("type", type)

        switch self {
        case .message(let message):
            writer.field("id", message.id)
            writer.field("room_id", message.roomID)
            writer.field("user_id", message.userID)
            writer.field("content", message.content)
            writer.field("timestamp", ChatTimestamp.format(message.timestamp))
            if let seq = message.seq { writer.field("seq", seq) }
        case .userJoined(let userID, let roomID), .userLeft(let userID, let roomID):
            writer.field("user_id", userID)
            writer.field("room_id", roomID)
        case .typingStarted(let userID, let roomID), .typingStopped(let userID, let roomID):
            writer.field("user_id", userID)
            if let roomID { writer.field("room_id", roomID) }
        case .presenceChanged(let userID, let roomID, let status):
            writer.field("user_id", userID)
            writer.field("room_id", roomID)
            writer.field("status", status.rawValue)
        }
        return writer.finish()
    }

    /// Reads an event from JSON.
    ///
    /// - Throws: `DecodingError` when the bytes are not JSON or not an event.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(ChatEvent.self, from: json)
    }
}

/// Writes one flat JSON object, field by field, in the order given.
struct JSONObjectWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]

    mutating func field(_ key: String, _ value: String) {
        appendKey(key)
        appendString(value)
    }

    mutating func field(_ key: String, _ value: Int) {
        appendKey(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Closes the object and returns its bytes.
    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func appendKey(_ key: String) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
            case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default:
                // UTF-8 passes through as it is: JSON text is UTF-8.
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
