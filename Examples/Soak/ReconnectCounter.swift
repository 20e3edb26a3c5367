import Hiredis
import Synchronization

/// Counts reconnects from the client's debug log: each connection and
/// subscriber logs `connected` once per socket, so every `connected` after
/// a label's first is a reconnect.
final class ReconnectCounter: Sendable {
    private struct Counts {
        var labels: Set<String> = []
        var connections = 0
        var subscribers = 0
    }

    private let counts = Locked(Counts())

    /// A logger to put in every ``RedisConfiguration`` of the soak.
    var logger: RedisLogger {
        RedisLogger(level: .debug) { [self] _, message, metadata in
            guard message == "connected" else { return }
            let subscriber = metadata["subscriber"]
            guard let label = subscriber ?? metadata["connection"] else { return }
            counts.withLock { counts in
                guard !counts.labels.insert(label).inserted else { return }
                if subscriber == nil {
                    counts.connections += 1
                } else {
                    counts.subscribers += 1
                }
            }
        }
    }

    /// Reconnects of command connections and of pub/sub subscribers.
    var reconnects: (connections: Int, subscribers: Int) {
        counts.withLock { ($0.connections, $0.subscribers) }
    }
}
