import Chat

/// One line the user typed: a message for the current room, or a command.
///
/// A line that starts with `/` is a command; `//` sends the rest of the
/// line, first slash removed, as a message. Parsing never talks to Redis:
/// names and texts are checked by the service when the command runs.
enum Command: Equatable {
    /// Send the text to the current room.
    case say(String)
    /// Send the text to the user with the name.
    case directMessage(to: String, text: String)
    /// Join the room with the name, creating it if it is new, and talk there.
    case join(String)
    /// Leave the current room.
    case leave
    /// List the current room's members with their status.
    case who
    /// Show the newest messages of the current room.
    case history(Int)
    /// Show the current room's members that this user is typing.
    case typing
    /// Set this user's status.
    case status(UserStatus)
    /// List the commands.
    case help
    /// End the session.
    case quit
    /// An empty line: nothing to do.
    case nothing
    /// A command typed wrong; the text says how to write it.
    case mistake(String)

    /// How many messages `/history` shows, and the client shows on joining.
    static let defaultHistoryCount = 20

    /// Reads a typed line.
    init(line: String) {
        if line.allSatisfy(\.isBlank) {
            self = .nothing
            return
        }
        guard line.hasPrefix("/") else {
            self = .say(line)
            return
        }
        if line.hasPrefix("//") {
            self = .say(String(line.dropFirst()))
            return
        }

        let word = line.prefix { !$0.isBlank }
        let rest = line.dropFirst(word.count).trimmingBlanks()
        self = Self.command(String(word), rest)
    }

    private static func command(_ word: String, _ rest: Substring) -> Command {
        switch word {
        case "/dm", "/msg":
            return directMessage(rest)
        case "/join":
            return rest.isEmpty ? .mistake("usage: /join ROOM") : .join(String(rest))
        case "/history":
            if rest.isEmpty { return .history(defaultHistoryCount) }
            guard let count = Int(rest), (1...ChatService.maximumPageSize).contains(count) else {
                return .mistake(
                    "usage: /history [N], with N from 1 to \(ChatService.maximumPageSize)")
            }
            return .history(count)
        case "/leave": return bare(word, rest, .leave)
        case "/who": return bare(word, rest, .who)
        case "/typing": return bare(word, rest, .typing)
        case "/away": return bare(word, rest, .status(.away))
        case "/online": return bare(word, rest, .status(.online))
        case "/help", "/?": return .help
        case "/quit", "/exit": return bare(word, rest, .quit)
        default:
            return .mistake(
                "unknown command \(word.prefix(32)); /help lists them, // sends a line as it is")
        }
    }

    /// `/dm NAME TEXT`, or `/dm "NAME WITH SPACES" TEXT`.
    private static func directMessage(_ rest: Substring) -> Command {
        let usage = Command.mistake(#"usage: /dm NAME TEXT (quote a name with spaces: "A B")"#)
        let name: Substring
        let text: Substring
        if rest.hasPrefix("\"") {
            let afterQuote = rest.dropFirst()
            guard let close = afterQuote.firstIndex(of: "\"") else { return usage }
            name = afterQuote[..<close]
            text = afterQuote[afterQuote.index(after: close)...].trimmingBlanks()
        } else {
            name = rest.prefix { !$0.isBlank }
            text = rest.dropFirst(name.count).trimmingBlanks()
        }
        guard !name.isEmpty, !text.isEmpty else { return usage }
        return .directMessage(to: String(name), text: String(text))
    }

    /// A command that takes no argument.
    private static func bare(_ word: String, _ rest: Substring, _ command: Command) -> Command {
        rest.isEmpty ? command : .mistake("usage: \(word) (it takes no argument)")
    }
}

extension Character {
    /// A space or a tab: what separates the words of a command. Control
    /// characters are not blanks, so that the service sees and refuses them.
    fileprivate var isBlank: Bool { self == " " || self == "\t" }
}

extension StringProtocol {
    /// The text without spaces and tabs at either end.
    fileprivate func trimmingBlanks() -> SubSequence {
        let start = firstIndex { !$0.isBlank } ?? endIndex
        let end = lastIndex { !$0.isBlank }.map(index(after:)) ?? start
        return self[start..<Swift.max(start, end)]
    }
}
