import ExampleSupport

/// The command line of `chat`.
struct TerminalOptions {
    /// The user to chat as; created when the name is new.
    var user: String
    /// The room to start in; created when the name is new.
    var room: String
    /// The server's URL, if given; else `REDIS_URL` or a private server.
    var url: String?
    /// Whether events are printed as wire JSON, and nothing else on stdout.
    var json: Bool

    /// The options `chat` accepts (computed: an option is not `Sendable`).
    static var options: [CommandLineOptions.Option] {
        [
            .init("user", short: "u", value: true, help: "the user to chat as (created if new)"),
            .init("room", short: "r", value: true, help: "the room to start in (created if new)"),
            .init("url", value: true, help: "redis://host:port or unix:///path (else REDIS_URL)"),
            .init("json", short: "j", value: false, help: "print events as wire JSON, one a line"),
            .init("help", short: "h", value: false, help: "show this help"),
        ]
    }

    static let synopsis = "chat --user NAME --room ROOM [--url URL] [--json]"

    /// What `--help` prints.
    static var help: String {
        CommandLineOptions.usage(synopsis, options) + """

            Each line you type is sent to the current room. Commands:
              /dm NAME TEXT     send TEXT to the user NAME only ("quote" a name with spaces)
              /join ROOM        join ROOM (created if new) and talk there; rooms joined
                                earlier keep showing their events
              /leave            leave the current room
              /who              the current room's members and their status
              /history [N]      the current room's last N messages (default 20)
              /typing           show the others that you are typing, until you send a
                                message or 10 seconds pass
              /away, /online    set your status
              /help             this list
              /quit             leave the chat; so does the end of input (Ctrl-D)
            A line starting with // is sent as a message, first slash removed.
            Events print as they arrive, also in the middle of a line you are
            typing; what you typed is still there, and Enter sends it.

            Others' typing shows as "NAME is typing...". The client reads whole
            lines, so it cannot tell when you start one; it only says you are
            typing when you ask with /typing. It keeps you online while it runs
            (a heartbeat every 10 seconds) and sets you offline when it ends.

            With --json, standard output carries every event, the history shown
            on joining included, as its wire JSON, one a line; notices and errors
            go to standard error. Without --url or REDIS_URL the client starts a
            private redis-server for as long as it runs, and prints the --url that
            another client can join it with (make chat shares one server for you).
            """
    }

    /// Reads the arguments; nil when `--help` was asked for.
    ///
    /// - Throws: `CommandLineError` for an unknown option or a missing
    ///   value, ``UsageError`` for a missing `--user` or `--room` or a
    ///   stray argument.
    static func parse(_ arguments: [String]) throws -> TerminalOptions? {
        let parsed = try CommandLineOptions(arguments, options: options)
        if parsed.has("help") { return nil }
        guard parsed.remaining.isEmpty else {
            throw UsageError(
                description: "unexpected argument \(parsed.remaining[0]); "
                    + "a message is typed after the client starts")
        }
        guard let user = parsed["user"], let room = parsed["room"] else {
            throw UsageError(description: "both --user and --room are needed")
        }
        return TerminalOptions(user: user, room: room, url: parsed["url"], json: parsed.has("json"))
    }
}

/// A command line that parses but cannot be run, said in one line.
struct UsageError: Error, CustomStringConvertible {
    let description: String
}
