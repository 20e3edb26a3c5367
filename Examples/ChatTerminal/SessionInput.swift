import Foundation

/// What the command loop reacts to, in the order it happened: the lines
/// read from standard input, their end, a Ctrl-C, or a failure that ends
/// the session (live events that stopped for good).
enum SessionInput: Sendable {
    /// A line typed or piped in, without its line break.
    case line(String)
    /// Standard input is at its end (Ctrl-D, or the pipe was closed).
    case endOfInput
    /// SIGINT or SIGTERM arrived.
    case interrupted
    /// The session cannot go on; the text says why.
    case failed(String)

    /// Starts a thread that reads standard input line by line and yields
    /// each line, then ``endOfInput``, into `continuation`.
    ///
    /// Reading blocks, so it gets a thread of its own: the event tasks keep
    /// printing while it waits, and the command loop takes the lines one at
    /// a time from the stream (which buffers any that arrive meanwhile).
    static func readStandardInput(into continuation: AsyncStream<SessionInput>.Continuation) {
        let reader = Thread {
            while let line = readLine(strippingNewline: true) {
                continuation.yield(.line(line))
            }
            continuation.yield(.endOfInput)
        }
        reader.name = "chat.stdin"
        reader.start()
    }
}
