import Foundation

/// The checks every argument passes before anything is sent to Redis.
///
/// Each failure is a ``ChatError`` naming the argument, so that a refused
/// call writes nothing. Ids go into key names inside `{...}` hash tags, so
/// an id holding a brace would move a key to another slot or let one id
/// reach another's keys; requiring the exact form the service generates
/// rules that out, along with control characters and spaces.
enum Validation {
    /// The most bytes a name may take: 64 characters can be long grapheme
    /// clusters (a family emoji is 25 bytes), so characters alone do not
    /// bound the key size.
    static let maximumNameBytes = 512
    /// The most characters a user or room name may have.
    static let maximumNameCharacters = 64
    /// The most bytes of a room description.
    static let maximumDescriptionBytes = 1024
    /// The most bytes of an avatar reference (a URL, typically).
    static let maximumAvatarBytes = 2048

    // MARK: Ids

    /// Checks that `value` is a lowercase UUID, the form of every id the
    /// service generates (lowercase, so one id has one spelling and one key).
    static func id(_ value: String, field: String) throws(ChatError) {
        guard !isUUID(value) else { return }
        throw ChatError.invalid(field, "'\(printable(value))' \(whyNotUUID(value))")
    }

    /// Checks a direct conversation id, `dm:A:B` with A < B both user ids.
    ///
    /// - Returns: the two participants.
    static func conversationID(
        _ value: String, field: String
    ) throws(ChatError) -> (String, String) {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "dm", isUUID(parts[1]), isUUID(parts[2]),
            parts[1] < parts[2]
        else {
            throw ChatError.invalid(
                field,
                "'\(printable(value))' is not a conversation id: write dm:A:B with A and B "
                    + "two different user ids, the smaller first")
        }
        return (String(parts[1]), String(parts[2]))
    }

    /// Checks a room id or, where history is read, a conversation id.
    static func roomOrConversationID(_ value: String, field: String) throws(ChatError) {
        if value.hasPrefix("dm:") {
            _ = try conversationID(value, field: field)
        } else {
            try id(value, field: field)
        }
    }

    // MARK: Text

    /// Checks a user or room name: 1 to 64 characters, no control
    /// characters, no spaces at either end.
    ///
    /// - Returns: the name in Unicode normalization form C, so that two
    ///   spellings of one name (a precomposed "é" and "e" with a combining
    ///   accent) claim the same name key.
    static func name(_ value: String, field: String) throws(ChatError) -> String {
        // Normalizing costs time in proportion to the text, and NFC shrinks
        // text threefold at most (Hangul jamo into syllables): text four
        // times the limit cannot fit, so it is refused before the work.
        guard value.utf8.count <= 4 * maximumNameBytes else {
            throw ChatError.tooLarge(
                field, size: value.utf8.count, limit: maximumNameBytes, unit: "bytes")
        }
        let name = value.precomposedStringWithCanonicalMapping

        guard !name.isEmpty else { throw ChatError.invalid(field, "is empty") }
        guard name.count <= maximumNameCharacters else {
            throw ChatError.tooLarge(
                field, size: name.count, limit: maximumNameCharacters, unit: "characters")
        }
        guard name.utf8.count <= maximumNameBytes else {
            throw ChatError.tooLarge(
                field, size: name.utf8.count, limit: maximumNameBytes, unit: "bytes")
        }
        guard !name.unicodeScalars.contains(where: isControl) else {
            throw ChatError.invalid(field, "'\(printable(name))' contains a control character")
        }
        guard let first = name.first, let last = name.last,
            !first.isWhitespace, !last.isWhitespace
        else {
            throw ChatError.invalid(field, "'\(name)' starts or ends with a space")
        }
        return name
    }

    /// Checks message content: at least 1 byte and at most `limit` bytes of
    /// UTF-8. Any text is allowed, line breaks and control characters too.
    static func content(_ value: String, limit: Int) throws(ChatError) {
        let size = value.utf8.count
        guard size > 0 else { throw ChatError.invalid("content", "is empty") }
        guard size <= limit else {
            throw ChatError.tooLarge("content", size: size, limit: limit, unit: "bytes")
        }
    }

    /// Checks an optional free text (a description, an avatar): at most
    /// `limit` bytes, no control characters but the line breaks and tabs
    /// allowed by `allowingLineBreaks`.
    ///
    /// - Returns: the text, or nil when it is nil or empty.
    static func optionalText(
        _ value: String?, field: String, limit: Int, allowingLineBreaks: Bool
    ) throws(ChatError) -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard value.utf8.count <= limit else {
            throw ChatError.tooLarge(field, size: value.utf8.count, limit: limit, unit: "bytes")
        }
        let allowed: Set<Unicode.Scalar> = allowingLineBreaks ? ["\n", "\t"] : []
        guard !value.unicodeScalars.contains(where: { isControl($0) && !allowed.contains($0) })
        else {
            throw ChatError.invalid(field, "contains a control character")
        }
        return value
    }

    // MARK: Numbers

    /// Checks a page size: 1 up to `maximum`.
    static func pageSize(_ value: Int, maximum: Int) throws(ChatError) {
        guard (1...maximum).contains(value) else {
            throw ChatError.invalid("limit", "is \(value); ask for 1 to \(maximum) messages")
        }
    }

    /// Checks a history cursor: a seq, 0 or more.
    static func seq(_ value: Int, field: String) throws(ChatError) {
        guard value >= 0 else {
            throw ChatError.invalid(field, "is \(value); seqs start at 1, so pass 0 or more")
        }
    }

    // MARK: Helpers

    private static func isUUID(_ value: some StringProtocol) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return false }
            default:
                guard
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                        || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                else { return false }
            }
        }
        return true
    }

    private static func whyNotUUID(_ value: String) -> String {
        if value.isEmpty { return "is empty" }
        // Said without reading the text, which can be any size.
        if value.utf8.count > 64 {
            return "is \(value.utf8.count) bytes long, not an id: ids are lowercase UUIDs, "
                + "as the service creates them"
        }
        if value.contains("{") || value.contains("}") {
            return "contains a brace, which would move its keys out of their hash tag"
        }
        if value.unicodeScalars.contains(where: isControl) {
            return "contains a control character"
        }
        if UUID(uuidString: value) != nil {
            return "is a UUID in upper case; ids are lower case, as the service creates them"
        }
        return "is not an id: ids are lowercase UUIDs, as the service creates them"
    }

    /// Control characters (Cc) and the line and paragraph separators.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// `value` cut short and with control characters shown as `?`, for
    /// error messages.
    ///
    /// Cut by Unicode scalars, not characters: one character can hold any
    /// number of combining marks, so 80 characters bound nothing.
    private static func printable(_ value: String) -> String {
        let scalars = value.unicodeScalars
        let shown = scalars.prefix(80).map { isControl($0) ? "?" : Character($0) }
        return String(shown) + (scalars.count > 80 ? "…" : "")
    }
}
