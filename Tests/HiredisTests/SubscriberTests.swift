import Foundation
import Hiredis
import RedisTestSupport
import Synchronization
import Testing

/// The pub/sub subscriber against a real redis-server.
///
/// Cases that drop connections or stop the server sit in nested suites with
/// a server of their own, so that they never disturb the tests running in
/// parallel here.
@Suite(.redisServer)
struct SubscriberTests {
    private static func subscriber(
        options: RedisSubscriberOptions = .init()
    ) async throws -> RedisSubscriber {
        try await RedisSubscriber.connect(try subscriberConfiguration(), options: options)
    }

    @Test func payloadsOfZeroBytesBinaryAndOneMegabyteArriveExactly() async throws {
        let subscriber = try await Self.subscriber()
        let publisher = try await RedisServerTrait.connect()
        let channel = uniqueKey("payloads")
        let first = EventRecorder(try await subscriber.subscribe(to: [channel]))
        let second = EventRecorder(try await subscriber.subscribe(to: [channel]))

        let empty: [UInt8] = []
        let binary = (0...255).map(UInt8.init) + [0xFF, 0xFE, 0x00, 0xC3, 0x28]
        var generator = SystemRandomNumberGenerator()
        let large = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for payload in [empty, binary, large] {
            // One connection subscribes, however many subscriptions share it.
            #expect(try await publisher.publish(payload, to: channel) == 1)
        }

        for recorder in [first, second] {
            #expect(await eventually { recorder.messages.count == 3 })
            #expect(recorder.messages.map(\.payload) == [empty, binary, large])
            #expect(recorder.messages.allSatisfy { $0.channel == channel && $0.pattern == nil })
            #expect(recorder.gaps.isEmpty)
            #expect(try recorder.messages[0].payloadText == "")
            #expect(throws: RedisError.self) { try recorder.messages[1].payloadText }
        }
        await subscriber.close()
        await publisher.close()
    }

    @Test func subscribeReturnsAfterEveryConfirmationAndNoneShowsAsAMessage() async throws {
        let subscriber = try await Self.subscriber()
        let publisher = try await RedisServerTrait.connect()
        let prefix = uniqueKey("confirm")
        let channels = ["a", "b", "c"].map { "\(prefix):\($0)" }

        let recorder = EventRecorder(try await subscriber.subscribe(to: channels))
        // Counted by the server before anything else was sent: the call
        // returned only after all three confirmations.
        let counts = try await publisher.subscriberCounts(channels)
        #expect(counts == Dictionary(uniqueKeysWithValues: channels.map { ($0, 1) }))

        for channel in channels {
            try await publisher.publish("hello \(channel)", to: channel)
        }
        try await publisher.publish("end", to: channels[0])
        #expect(await eventually { !recorder.messages(saying: "end").isEmpty })
        #expect(recorder.events.count == 4)
        #expect(recorder.messages.map(\.channel) == channels + [channels[0]])
        await subscriber.close()
        await publisher.close()
    }

    @Test func aPatternDeliveryCarriesThePatternAndTheChannel() async throws {
        let subscriber = try await Self.subscriber()
        let publisher = try await RedisServerTrait.connect()
        let prefix = uniqueKey("pattern")

        let recorder = EventRecorder(try await subscriber.psubscribe(to: ["\(prefix):room:*"]))
        #expect(try await publisher.publish("payload", to: "\(prefix):room:42") == 1)

        #expect(await eventually { recorder.messages.count == 1 })
        let message = try #require(recorder.messages.first)
        #expect(message.pattern == "\(prefix):room:*")
        #expect(message.channel == "\(prefix):room:42")
        #expect(try message.payloadText == "payload")
        await subscriber.close()
        await publisher.close()
    }

    @Test func subscribeUnsubscribeSubscribeBackToBackEndsSubscribed() async throws {
        let subscriber = try await Self.subscriber()
        let publisher = try await RedisServerTrait.connect()
        let channel = uniqueKey("flip")

        let (first, last) = try await subscribeUnsubscribeSubscribe(channel, on: subscriber)
        let firstRecorder = EventRecorder(first)
        let lastRecorder = EventRecorder(last)
        // The UNSUBSCRIBE took the channel from the first subscription, which ended.
        #expect(await eventually { firstRecorder.hasEnded })

        #expect(try await publisher.subscriberCounts([channel]) == [channel: 1])
        #expect(try await publisher.publish("once", to: channel) == 1)
        try await publisher.publish("end", to: channel)
        #expect(await eventually { !lastRecorder.messages(saying: "end").isEmpty })
        #expect(lastRecorder.messages(saying: "once").count == 1)
        #expect(firstRecorder.messages.isEmpty)
        await subscriber.close()
        await publisher.close()
    }

    /// Issues SUBSCRIBE, UNSUBSCRIBE and SUBSCRIBE of one channel in one turn
    /// of the subscriber's queue, so all three are written before the server
    /// confirms the first.
    ///
    /// The child tasks prefer the subscriber's executor, so they start on
    /// its queue in the order they are made, and each runs on the actor
    /// without leaving the queue until its command is written. (The test
    /// fails for any other order: only this one ends with the first
    /// subscription ended and the last one subscribed.)
    private func subscribeUnsubscribeSubscribe(
        _ channel: String, on subscriber: RedisSubscriber
    ) async throws -> (RedisSubscription, RedisSubscription) {
        try await withTaskExecutorPreference(subscriber.executor) {
            async let first = subscriber.subscribe(to: [channel])
            async let middle: Void = subscriber.unsubscribe(from: [channel])
            async let last = subscriber.subscribe(to: [channel])
            try await middle
            return (try await first, try await last)
        }
    }

    @Test func pingReturnsToTheCallerAndOtherCommandsAreRefusedLocally() async throws {
        let subscriber = try await Self.subscriber()
        let publisher = try await RedisServerTrait.connect()
        let channel = uniqueKey("ping")
        let recorder = EventRecorder(try await subscriber.subscribe(to: [channel]))

        let pong = try await subscriber.send("PING")
        #expect(pong == .array([.bulkString(Array("pong".utf8)), .bulkString([])]))
        let echo = try await subscriber.send("PING", "hello")
        #expect(
            echo == .array([.bulkString(Array("pong".utf8)), .bulkString(Array("hello".utf8))]))

        for command in [RedisCommand("GET", channel), RedisCommand("SUBSCRIBE", "other")] {
            let error = await #expect(throws: RedisError.self) {
                try await subscriber.send(command)
            }
            #expect(error?.code == .unsupportedCommand)
        }

        try await publisher.publish("still here", to: channel)
        #expect(await eventually { recorder.messages.count == 1 })
        #expect(recorder.messages(saying: "still here").count == 1)
        // Neither PING answer showed up as a message.
        #expect(recorder.events.count == 1)
        await subscriber.close()
        await publisher.close()
    }

    @Test func unsubscribingFromUnknownChannelsOrFromNothingIsHarmless() async throws {
        let subscriber = try await Self.subscriber()
        let publisher = try await RedisServerTrait.connect()
        let channel = uniqueKey("harmless")

        // With nothing subscribed, the server names a nil channel in its answers.
        try await subscriber.unsubscribe()
        try await subscriber.punsubscribe()
        try await subscriber.unsubscribe(from: ["\(channel):never"])
        try await subscriber.punsubscribe(from: ["\(channel):never:*"])
        try await subscriber.unsubscribe(from: [])

        let recorder = EventRecorder(try await subscriber.subscribe(to: [channel]))
        try await subscriber.unsubscribe(from: ["\(channel):never"])
        _ = try await subscriber.send("PING")
        try await publisher.publish("delivered", to: channel)
        #expect(await eventually { recorder.messages.count == 1 })
        #expect(!recorder.hasEnded)
        await subscriber.close()
        await publisher.close()
    }

    @Test func unsubscribeGoesOutWhenTheLastSubscriptionOfAChannelEnds() async throws {
        let subscriber = try await Self.subscriber()
        let publisher = try await RedisServerTrait.connect()
        let channel = uniqueKey("shared")

        let cancelled = EventRecorder(try await subscriber.subscribe(to: [channel]))
        let stopping = EventRecorder(try await subscriber.subscribe(to: [channel]), limit: 1)

        // A consumer whose task is cancelled lets go; the other still holds on.
        await cancelled.stop()
        _ = try await subscriber.send("PING")
        #expect(try await publisher.subscriberCounts([channel]) == [channel: 1])

        // A consumer that breaks out of its loop lets go too: the last one.
        #expect(try await publisher.publish("first", to: channel) == 1)
        #expect(await eventually { stopping.hasEnded })
        #expect(
            await eventually {
                (try? await publisher.subscriberCounts([channel])) == [channel: 0]
            })
        await subscriber.close()
        await publisher.close()
    }

    @Test func closeEndsEverySubscription() async throws {
        let subscriber = try await Self.subscriber()
        let prefix = uniqueKey("close")
        let channels = EventRecorder(try await subscriber.subscribe(to: ["\(prefix):a"]))
        let patterns = EventRecorder(try await subscriber.psubscribe(to: ["\(prefix):*"]))

        await subscriber.close()
        #expect(await eventually { channels.hasEnded && patterns.hasEnded })
        #expect(channels.error == nil && patterns.error == nil)
        #expect(await subscriber.isClosed)
        let error = await #expect(throws: RedisError.self) {
            try await subscriber.subscribe(to: ["\(prefix):b"])
        }
        #expect(error?.code == .connectionClosed)
    }
}
