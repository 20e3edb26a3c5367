import Chat
import Hiredis
import Synchronization

/// What the sender learnt from one send.
enum SendOutcome: Sendable {
    /// Not answered yet.
    case pending
    /// Stored: the message as the service returned it, seq included.
    case confirmed(Message)
    /// The send may or may not have run (the connection dropped after it went
    /// out, or no reply came in time); the reason is the client's error code.
    case unknown(String)
    /// The send did not run (refused, or never written); the reason says why.
    case failed(String)

    /// Sorts a failed send by what the client says about its effect.
    ///
    /// `connectionLost` is the client's "outcome unknown". A timeout or a
    /// cancellation is one too: the error says the command may still run.
    /// Anything else (a refusal such as `LOADING`, a connection that could
    /// not be made) means the script never ran.
    init(_ error: ChatError) {
        guard let underlying = error.underlying else {
            self = .failed("\(error.code)")
            return
        }
        switch underlying.code {
        case .connectionLost, .timeout, .cancelled:
            self = .unknown("\(underlying.code)")
        case .server:
            self = .failed("server \(underlying.serverCode ?? "error")")
        default:
            self = .failed("\(underlying.code)")
        }
    }
}

/// One message a simulated user tried to send, with its unique content.
struct SendRecord: Sendable {
    let content: String
    /// The room id, or the conversation id (`dm:A:B`).
    let conversationID: String
    var outcome: SendOutcome
}

/// Every send of the soak, written before the send goes out and settled
/// when its answer (or error) comes back.
final class SendLedger: Sendable {
    private struct State {
        var records: [SendRecord] = []
        var unanswered = 0
    }

    private let state = Locked(State())

    /// Records a send about to go out; returns its number for ``settle(_:_:)``.
    func open(_ content: String, in conversationID: String) -> Int {
        state.withLock { state in
            state.records.append(
                SendRecord(content: content, conversationID: conversationID, outcome: .pending))
            state.unanswered += 1
            return state.records.count - 1
        }
    }

    func settle(_ number: Int, _ outcome: SendOutcome) {
        state.withLock { state in
            state.records[number].outcome = outcome
            state.unanswered -= 1
        }
    }

    /// How many sends are out and not answered yet.
    var unanswered: Int { state.withLock { $0.unanswered } }

    /// Sends `content` with `body` and records what came of it.
    ///
    /// - Returns: whether the send was confirmed.
    func send(
        _ content: String, in conversationID: String,
        _ body: () async throws(ChatError) -> Message
    ) async -> Bool {
        let number = open(content, in: conversationID)
        do {
            settle(number, .confirmed(try await body()))
            return true
        } catch {
            settle(number, SendOutcome(error))
            return false
        }
    }

    var all: [SendRecord] { state.withLock { $0.records } }

    /// Why sends ended unknown or failed, with counts: `connectionLost 3`.
    var reasons: (unknown: String, failed: String) {
        var unknown: [String: Int] = [:]
        var failed: [String: Int] = [:]
        for record in all {
            switch record.outcome {
            case .unknown(let reason): unknown[reason, default: 0] += 1
            case .failed(let reason): failed[reason, default: 0] += 1
            case .pending, .confirmed: break
            }
        }
        let list = { (counts: [String: Int]) in
            counts.isEmpty
                ? "none"
                : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                    .joined(separator: ", ")
        }
        return (list(unknown), list(failed))
    }

    /// Sent, confirmed, unknown and failed so far.
    var figures: (sent: Int, confirmed: Int, unknown: Int, failed: Int) {
        state.withLock { state in
            var figures = (sent: state.records.count, confirmed: 0, unknown: 0, failed: 0)
            for record in state.records {
                switch record.outcome {
                case .pending: break
                case .confirmed: figures.confirmed += 1
                case .unknown: figures.unknown += 1
                case .failed: figures.failed += 1
                }
            }
            return figures
        }
    }
}
