import Hiredis
import RedisTestSupport
import Synchronization

/// Collects what is published on some channels, through the library's own
/// subscriber, so that tests can check the exact bytes the service sends.
final class ChannelListener: Sendable {
    /// One published message.
    struct Delivery: Sendable, Hashable {
        var channel: String
        var payload: [UInt8]
    }

    private let subscriber: RedisSubscriber
    private let deliveries = Locked<[Delivery]>([])

    private init(subscriber: RedisSubscriber) {
        self.subscriber = subscriber
    }

    /// Subscribes on the suite's server and returns once the server confirmed
    /// every channel, so that nothing published afterwards is missed.
    static func subscribe(to channels: [String]) async throws -> ChannelListener {
        let subscriber = try await RedisSubscriber.connect(try RedisServerTrait.configuration())
        let subscription = try await subscriber.subscribe(to: channels)
        let listener = ChannelListener(subscriber: subscriber)
        Task {
            for try await event in subscription {
                guard let message = event.message else { continue }
                let delivery = Delivery(channel: message.channel, payload: message.payload)
                listener.deliveries.withLock { $0.append(delivery) }
            }
        }
        return listener
    }

    /// Everything received so far.
    var received: [Delivery] { deliveries.withLock { $0 } }

    /// Waits until `count` messages arrived or `timeout` passed, and returns
    /// what arrived.
    func waitForDeliveries(count: Int, timeout: Duration = .seconds(5)) async -> [Delivery] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let current = received
            if current.count >= count { return current }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return received
    }

    /// Stops listening: the subscriber closes and its subscription ends.
    func stop() {
        Task { await subscriber.close() }
    }
}
