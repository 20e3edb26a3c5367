import Chat
import Foundation

/// How events read for a person: one line each, starting with the local
/// time and the place (`#room`, or `@name` for a direct conversation).
///
/// ```
/// 14:03:07 #general alice: Hello, everyone!
/// 14:03:09 #general bob is typing...
/// 14:03:12 @bob alice: see you at noon
/// 14:03:15 #general bob is now away
/// ```
enum HumanFormat {
    /// A message, its text made safe for a terminal; a text of several
    /// lines continues on indented lines.
    static func message(_ message: Message, place: String, sender: String) -> String {
        let head = "\(clock(message.timestamp)) \(place) \(sender): "
        let indent = String(repeating: " ", count: head.count)
        return head + printable(message.content, indent: indent)
    }

    /// Any other event, or nil for a message.
    static func notice(_ event: ChatEvent, place: String, user: String, at date: Date)
        -> String?
    {
        let what: String
        switch event {
        case .message: return nil
        case .userJoined: what = "joined"
        case .userLeft: what = "left"
        case .typingStarted: what = "is typing..."
        case .typingStopped: what = "stopped typing"
        case .presenceChanged(_, _, let status): what = "is now \(status.rawValue)"
        }
        return "\(clock(date)) \(place) \(user) \(what)"
    }

    /// The local time of day as HH:MM:SS.
    static func clock(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var local = tm()
        localtime_r(&seconds, &local)
        return String(format: "%02d:%02d:%02d", local.tm_hour, local.tm_min, local.tm_sec)
    }

    /// The text with what a terminal would act on made visible: control
    /// characters in caret notation (`^[` for escape), C1 controls as
    /// U+FFFD. Another client can send any text, and an escape sequence in
    /// it must not recolour, move or retitle this terminal. Line breaks
    /// become a new line starting with `indent`.
    static func printable(_ text: String, indent: String = "") -> String {
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x2028, 0x2029:
                shown.append("\n")
                shown.append(contentsOf: indent.unicodeScalars)
            case 0x09:
                shown.append(scalar)
            case 0x00..<0x20:
                shown.append("^")
                shown.append(Unicode.Scalar(UInt8(scalar.value + 0x40)))
            case 0x7F:
                shown.append(contentsOf: "^?".unicodeScalars)
            case 0x80..<0xA0:
                shown.append("\u{FFFD}")
            default:
                shown.append(scalar)
            }
        }
        return String(shown)
    }
}
