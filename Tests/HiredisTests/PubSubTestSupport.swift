import Foundation
import Hiredis
import RedisTestSupport
import Synchronization

/// Iterates a subscription on a task of its own and keeps what it yields,
/// so that a test can wait for events with a timeout instead of blocking
/// on `next()`.
final class EventRecorder: Sendable {
    private struct Log {
        var events: [RedisPubSubEvent] = []
        var ended = false
        var error: (any Error)?
    }

    private let log = Locked(Log())
    private let task = Locked<Task<Void, Never>?>(nil)

    /// Starts iterating `subscription`; stops by itself after `limit` events
    /// (the consumer breaks out of its loop), and sleeps `delay` after each
    /// message, like a slow consumer.
    init(_ subscription: RedisSubscription, limit: Int? = nil, delay: Duration? = nil) {
        let running = Task { [self] in
            await self.run(subscription, limit: limit, delay: delay)
        }
        task.withLock { $0 = running }
    }

    private func run(_ subscription: RedisSubscription, limit: Int?, delay: Duration?) async {
        do {
            var count = 0
            for try await event in subscription {
                log.withLock { $0.events.append(event) }
                count += 1
                if let limit, count >= limit { break }
                if let delay, event.message != nil { try? await Task.sleep(for: delay) }
            }
        } catch {
            log.withLock { $0.error = error }
        }
        log.withLock { $0.ended = true }
    }

    var events: [RedisPubSubEvent] { log.withLock { $0.events } }
    var messages: [RedisPubSubMessage] { events.compactMap(\.message) }
    var gaps: [RedisPubSubGap] { events.compactMap(\.gap) }
    var hasEnded: Bool { log.withLock { $0.ended } }
    var error: (any Error)? { log.withLock { $0.error } }

    /// The messages whose payload is `text`.
    func messages(saying text: String) -> [RedisPubSubMessage] {
        messages.filter { $0.payload == Array(text.utf8) }
    }

    /// Cancels the consumer's task and waits until it has finished.
    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }
}

/// Checks `condition` every 10 ms until it holds or `timeout` passes.
///
/// - Returns: whether it held.
func eventually(
    within timeout: Duration = .seconds(10), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

extension RedisConnection {
    /// PUBLISH; returns how many subscribed connections received the message.
    @discardableResult
    func publish(_ payload: some RedisArgument, to channel: String) async throws -> Int {
        try await send("PUBLISH", channel, payload).decode(as: Int.self)
    }

    /// PUBSUB NUMSUB: how many connections subscribe to each channel.
    func subscriberCounts(_ channels: [String]) async throws -> [String: Int] {
        let reply = try await send(RedisCommand("PUBSUB", arguments: ["NUMSUB"] + channels))
        return try reply.decode(as: [String: Int].self)
    }

    /// PUBSUB NUMPAT: how many patterns are subscribed, over all connections.
    func patternCount() async throws -> Int {
        try await send("PUBSUB", "NUMPAT").decode(as: Int.self)
    }
}

/// The resident memory of this process, from /proc/self/statm.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
        return 0
    }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// A configuration for the running server whose reconnects come quickly,
/// so that tests about drops stay short. With `REDIS_TEST_TRACE` set in the
/// environment, the client's logs go to standard error.
func subscriberConfiguration() throws -> RedisConfiguration {
    var configuration = try RedisServerTrait.configuration()
    configuration.reconnect = RedisBackoff(
        initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200),
        minimumDelay: .milliseconds(5))
    if ProcessInfo.processInfo.environment["REDIS_TEST_TRACE"] != nil {
        configuration.logger = RedisLogger(level: .trace) { level, message, metadata in
            FileHandle.standardError.write(Data("[\(level)] \(message) \(metadata)\n".utf8))
        }
    }
    return configuration
}
