import Hiredis
import Synchronization

/// The messages this client sent whose event it has not printed yet, so
/// that at the end of input it can wait for exactly those (a script piping
/// lines in sees its own messages come back) rather than for a guessed time.
///
/// A message's event can arrive before `send` returns its id, so ids seen
/// first are kept until the sender asks for them.
final class EchoTracker: Sendable {
    private struct State {
        var awaited: Set<String> = []
        var arrivedEarly: Set<String> = []
    }

    private let state = Locked(State())

    /// Notes that this client sent the message with the id.
    func expect(_ id: String) {
        state.withLock { state in
            if state.arrivedEarly.remove(id) == nil { state.awaited.insert(id) }
        }
    }

    /// Notes that the event of a message sent by this client's user was printed.
    func printed(_ id: String) {
        state.withLock { state in
            if state.awaited.remove(id) == nil { state.arrivedEarly.insert(id) }
        }
    }

    /// Waits until every expected message was printed, or `limit` passed.
    func waitForAll(upTo limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while state.withLock({ !$0.awaited.isEmpty }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
