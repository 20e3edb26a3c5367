import Testing

@testable import Hiredis

extension SubscriberTests {
    /// The subscriber's bookkeeping, without a server.
    @Suite struct Bookkeeping {
        private func bulk(_ text: String) -> RESPValue { .bulkString(Array(text.utf8)) }

        @Test func repliesAreToldApartFromMessagesAndConfirmations() {
            #expect(
                PubSubReply(.array([bulk("message"), bulk("room:1"), bulk("hi")]))
                    == .message(channel: Array("room:1".utf8), payload: Array("hi".utf8)))
            #expect(
                PubSubReply(.array([bulk("pmessage"), bulk("room:*"), bulk("room:1"), bulk("")]))
                    == .patternMessage(
                        pattern: Array("room:*".utf8), channel: Array("room:1".utf8), payload: []))
            #expect(
                PubSubReply(.array([bulk("subscribe"), bulk("a"), .integer(1)]))
                    == .confirmation(.subscribe, name: Array("a".utf8)))
            // UNSUBSCRIBE with nothing subscribed names a nil channel.
            #expect(
                PubSubReply(.array([bulk("unsubscribe"), .null, .integer(0)]))
                    == .confirmation(.unsubscribe, name: nil))
            // PING's answers, in and out of subscribed mode, answer the PING.
            let pong = RESPValue.array([bulk("pong"), bulk("")])
            #expect(PubSubReply(pong) == .reply(pong))
            #expect(PubSubReply(.simpleString("PONG")) == .reply(.simpleString("PONG")))
            #expect(PubSubReply(.error("NOPERM no")) == .reply(.error("NOPERM no")))
        }

        @Test func aBackToBackResubscribeIsConfirmedOnlyByItsOwnAcknowledgement() {
            var table = SubscriptionTable()
            let subscribe = table.add(1, to: ["x"])
            table.subscribeSent(for: subscribe)
            let unsubscribe = table.remove(1, from: ["x"])
            let resubscribe = table.add(2, to: ["x"])
            table.subscribeSent(for: resubscribe)
            #expect(subscribe == ["x"] && unsubscribe == ["x"] && resubscribe == ["x"])

            let byFirst = table.subscribeAcknowledged(for: "x")
            #expect(!byFirst && !table.isConfirmed("x"))
            let bySecond = table.subscribeAcknowledged(for: "x")
            #expect(bySecond && table.isConfirmed("x"))
            #expect(table.holders(of: "x") == [2])
        }

        @Test func aSharedChannelIsLeftWhenItsLastHolderLetsGo() {
            var table = SubscriptionTable()
            let first = table.add(1, to: ["x", "y"])
            let second = table.add(2, to: ["x"])
            #expect(first == ["x", "y"] && second == [])

            let firstGone = table.remove(1, from: ["x", "y"])
            let secondGone = table.remove(2, from: ["x"])
            #expect(firstGone == ["y"] && secondGone == ["x"])
            #expect(table.wanted.isEmpty)
        }

        @Test func afterADropOnlyWantedNamesRemainAndNoneIsConfirmed() {
            var table = SubscriptionTable()
            _ = table.add(1, to: ["kept", "left"])
            table.subscribeSent(for: ["kept", "left"])
            _ = table.subscribeAcknowledged(for: "kept")
            _ = table.remove(1, from: ["left"])

            table.connectionLost()
            #expect(table.wanted == ["kept"])
            #expect(!table.isConfirmed("kept"))
            table.subscribeSent(for: ["kept"])
            let confirmed = table.subscribeAcknowledged(for: "kept")
            #expect(confirmed)
        }

        @Test func aDropDuringTheResubscribeStartsOverFromTheWantedSet() {
            var table = SubscriptionTable()
            _ = table.add(1, to: ["a", "b", "c"])
            table.connectionLost()
            table.subscribeSent(for: table.wanted)
            _ = table.subscribeAcknowledged(for: "a")

            // The second drop comes before "b" and "c" are confirmed, and
            // "c" is left while the subscriber is away.
            table.connectionLost()
            _ = table.remove(1, from: ["c"])
            #expect(Set(table.wanted) == ["a", "b"])
            #expect(!table.isConfirmed("a") && !table.isConfirmed("b"))

            table.subscribeSent(for: table.wanted)
            let a = table.subscribeAcknowledged(for: "a")
            let b = table.subscribeAcknowledged(for: "b")
            #expect(a && b)
        }

        private func message(_ index: Int, bytes: Int = 1) -> RedisPubSubEvent {
            .message(
                RedisPubSubMessage(channel: "c\(index)", payload: Array(repeating: 0, count: bytes))
            )
        }

        @Test func aFullBufferDropsTheOldestAndSaysHowMany() async throws {
            let buffer = SubscriptionBuffer(limit: .init(messages: 3))
            for index in 0..<10 { buffer.push(message(index)) }
            buffer.finish()

            #expect(try await buffer.next().get() == .gap(RedisPubSubGap(droppedMessages: 7)))
            for index in 7..<10 {
                #expect(try await buffer.next().get() == message(index))
            }
            #expect(try await buffer.next().get() == nil)
        }

        @Test func aBufferHoldsAtMostItsBytesButAlwaysTheNewestMessage() async throws {
            let buffer = SubscriptionBuffer(limit: .init(messages: 100, bytes: 10))
            buffer.push(message(0, bytes: 6))
            buffer.push(message(1, bytes: 6))
            buffer.push(message(2, bytes: 20))
            buffer.finish()

            #expect(try await buffer.next().get() == .gap(RedisPubSubGap(droppedMessages: 2)))
            #expect(try await buffer.next().get() == message(2, bytes: 20))
        }

        @Test func gapsInARowMergeAndKeepTheirPlace() async throws {
            let buffer = SubscriptionBuffer(limit: .init(messages: 2))
            buffer.push(message(0))
            buffer.push(.gap(RedisPubSubGap(reconnected: true)))
            buffer.push(.gap(RedisPubSubGap(reconnected: true)))
            buffer.push(message(1))
            buffer.finish()

            #expect(try await buffer.next().get() == message(0))
            #expect(try await buffer.next().get() == .gap(RedisPubSubGap(reconnected: true)))
            #expect(try await buffer.next().get() == message(1))
            #expect(try await buffer.next().get() == nil)
        }

        @Test func aCancelledBufferEndsAtOnceAndTakesNothingMore() async throws {
            let buffer = SubscriptionBuffer(limit: .init())
            buffer.push(message(0))
            #expect(buffer.cancel())
            #expect(!buffer.cancel())
            buffer.push(message(1))
            #expect(try await buffer.next().get() == nil)
        }

        @Test func aFailedBufferThrowsOnceThenEnds() async throws {
            let buffer = SubscriptionBuffer(limit: .init())
            buffer.finish(throwing: RedisError(.authenticationFailed, "refused"))
            await #expect(throws: RedisError.self) { try await buffer.next().get() }
            #expect(try await buffer.next().get() == nil)
        }
    }
}
