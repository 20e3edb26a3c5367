/// The error words the chat scripts answer with when they refuse to act.
///
/// Each script runs every check before its first write, so a refusal
/// leaves Redis as it was. The words sit in one place so that the Lua
/// sources and the Swift that reads their replies cannot drift apart; the
/// `CHAT_` prefix keeps them apart from the server's own error codes.
enum ScriptFailure: String {
    case userNotFound = "CHAT_NO_USER"
    case roomNotFound = "CHAT_NO_ROOM"
    case notAMember = "CHAT_NOT_MEMBER"
    case nameTaken = "CHAT_NAME_TAKEN"
    case malformedEvent = "CHAT_BAD_EVENT"
    case seqNotANumber = "CHAT_BAD_SEQ"

    /// The Lua statement that refuses with this word.
    ///
    /// The word comes with a reason after it: Redis 7 reads an error reply
    /// of a single word as having no code and puts `ERR` in front.
    var lua: String { "return redis.error_reply('\(rawValue) \(reason)')" }

    private var reason: String {
        switch self {
        case .userNotFound: "no such user"
        case .roomNotFound: "no such room"
        case .notAMember: "the user is not a member of the room"
        case .nameTaken: "the name is taken"
        case .malformedEvent: "the event payload is not a JSON object"
        case .seqNotANumber: "the seq is not a number"
        }
    }
}
