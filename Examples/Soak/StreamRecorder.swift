import Chat
import Hiredis
import Synchronization

/// One live consumer: a ``ChatSubscriber`` of its own (its own pub/sub
/// connection) with one stream, a room's events or a user's direct
/// messages, recording every message event in the order it arrives.
final class StreamRecorder: Sendable {
    /// What it listens to, for the report: `room 2 #1`, `direct u05`.
    let name: String
    let live: ChatSubscriber
    /// The conversations it must see every message of, each with the seq it
    /// starts after (the room's last seq when it subscribed).
    let baselines: [String: Int]
    private let stream: ChatEventStream

    private struct State {
        /// Per conversation, the messages in the order they arrived.
        var received: [String: [Message]] = [:]
        var otherEvents = 0
        var ended = false
        var failure: ChatError?
    }

    private let state = Locked(State())

    private init(
        name: String, live: ChatSubscriber, stream: ChatEventStream, baselines: [String: Int]
    ) {
        self.name = name
        self.live = live
        self.stream = stream
        self.baselines = baselines
    }

    /// Subscribes to a room on a new pub/sub connection.
    ///
    /// Call it before anyone writes to the room, so that the room's seq read
    /// after subscribing is the one the stream starts after.
    static func room(
        _ roomID: String, name: String, redis: RedisConfiguration, service: ChatService
    ) async throws(ChatError) -> StreamRecorder {
        let live = try await ChatSubscriber.connect(redis, service: service)
        let stream = try await live.events(inRoom: roomID)
        let baseline = try await service.latestSeq(in: roomID)
        return StreamRecorder(name: name, live: live, stream: stream, baselines: [roomID: baseline])
    }

    /// Subscribes to a user's direct messages on a new pub/sub connection.
    ///
    /// Call it before the user's conversations hold any message: every
    /// message of each of them is then expected.
    static func directMessages(
        forUser userID: String, conversations: [String], name: String,
        redis: RedisConfiguration, service: ChatService
    ) async throws(ChatError) -> StreamRecorder {
        let live = try await ChatSubscriber.connect(redis, service: service)
        let stream = try await live.directMessages(forUser: userID)
        var baselines: [String: Int] = [:]
        for conversation in conversations { baselines[conversation] = 0 }
        return StreamRecorder(name: name, live: live, stream: stream, baselines: baselines)
    }

    /// Takes events until the stream ends (``ChatSubscriber/close()``) or fails.
    func consume() async {
        do {
            for try await event in stream {
                state.withLock { state in
                    if case .message(let message) = event {
                        state.received[message.roomID, default: []].append(message)
                    } else {
                        state.otherEvents += 1
                    }
                }
            }
            state.withLock { $0.ended = true }
        } catch {
            state.withLock {
                $0.ended = true
                $0.failure = error
            }
        }
    }

    /// The messages received, per conversation, in arrival order.
    var received: [String: [Message]] { state.withLock { $0.received } }

    /// How many message events arrived.
    var deliveredCount: Int {
        state.withLock { $0.received.values.reduce(0) { $0 + $1.count } }
    }

    var otherEventCount: Int { state.withLock { $0.otherEvents } }

    /// The error the stream ended with, if it failed.
    var failure: ChatError? { state.withLock { $0.failure } }

    var hasEnded: Bool { state.withLock { $0.ended } }

    /// Whether it has received (or given up waiting for) every conversation's
    /// messages up to the seqs given.
    func hasCaughtUp(to latest: [String: Int]) -> Bool {
        state.withLock { state in
            if state.ended { return true }
            return baselines.keys.allSatisfy { conversation in
                let last = state.received[conversation]?.last?.seq ?? baselines[conversation] ?? 0
                return last >= latest[conversation, default: 0]
            }
        }
    }
}
