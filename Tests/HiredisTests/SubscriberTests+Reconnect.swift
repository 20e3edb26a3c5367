import Foundation
import Hiredis
import RedisTestSupport
import Synchronization
import Testing

extension SubscriberTests {
    /// Kills the subscriber's connection twice, on a server of its own.
    @Suite(.redisServer)
    struct Resubscribe {
        @Test func afterTwoKillsTheServerHoldsExactlyTheActiveSet() async throws {
            let subscriber = try await RedisSubscriber.connect(try subscriberConfiguration())
            let publisher = try await RedisServerTrait.connect()
            let prefix = uniqueKey("many")
            let channels = (0..<1000).map { "\(prefix):\($0)" }
            let pattern = "\(prefix)-pattern:*"
            let removed = channels[500]

            let messages = EventRecorder(try await subscriber.subscribe(to: channels))
            let patterned = EventRecorder(try await subscriber.psubscribe(to: [pattern]))
            try await subscriber.unsubscribe(from: [removed])

            try await publisher.send("CLIENT", "KILL", "TYPE", "pubsub")
            try await Task.sleep(for: .milliseconds(300))
            try await publisher.send("CLIENT", "KILL", "TYPE", "pubsub")

            var expected = Dictionary(uniqueKeysWithValues: channels.map { ($0, 1) })
            expected[removed] = 0
            #expect(
                await eventually {
                    let counts = try? await publisher.subscriberCounts(channels)
                    let patterns = try? await publisher.patternCount()
                    return counts == expected && patterns == 1
                })
            #expect(await eventually { !messages.gaps.isEmpty && !patterned.gaps.isEmpty })
            #expect(messages.gaps.allSatisfy { $0.reconnected })

            #expect(try await publisher.publish("first", to: channels[0]) == 1)
            #expect(try await publisher.publish("last", to: channels[999]) == 1)
            #expect(try await publisher.publish("gone", to: removed) == 0)
            try await publisher.publish("end", to: channels[0])
            #expect(await eventually { !messages.messages(saying: "end").isEmpty })
            #expect(messages.messages(saying: "first").map(\.channel) == [channels[0]])
            #expect(messages.messages(saying: "last").map(\.channel) == [channels[999]])
            #expect(messages.messages(saying: "gone").isEmpty)
            await subscriber.close()
            await publisher.close()
        }
    }

    /// A long script makes the server answer BUSY while the subscriber
    /// resubscribes: that is "not ready", not a refusal.
    @Suite(.redisServer(settings: ["busy-reply-threshold 100"]))
    struct BusyServer {
        @Test func aResubscribeAnsweredBusyIsRetriedNotEnded() async throws {
            let subscriber = try await RedisSubscriber.connect(try subscriberConfiguration())
            let publisher = try await RedisServerTrait.connect()
            let blocker = try await RedisServerTrait.connect()
            let channel = uniqueKey("busy")
            let recorder = EventRecorder(try await subscriber.subscribe(to: [channel]))

            try await publisher.send("CLIENT", "KILL", "TYPE", "pubsub")
            let spin = """
                local start = redis.call('TIME')
                local function elapsed()
                  local now = redis.call('TIME')
                  return (now[1] - start[1]) * 1000 + (now[2] - start[2]) / 1000
                end
                while elapsed() < 1500 do end
                return 1
                """
            try await blocker.send("EVAL", spin, 0)

            #expect(await eventually { !recorder.gaps.isEmpty })
            #expect(
                await eventually {
                    (try? await publisher.subscriberCounts([channel])) == [channel: 1]
                })
            try await publisher.publish("after", to: channel)
            #expect(await eventually { !recorder.messages(saying: "after").isEmpty })
            #expect(await !subscriber.isClosed)
            await subscriber.close()
            await publisher.close()
            await blocker.close()
        }
    }

    /// Stops and starts the server on the same socket.
    @Suite(.redisServer)
    struct Restart {
        @Test func comesBackOnItsOwnReportsTheGapAndReceivesNewPublishes() async throws {
            let subscriber = try await RedisSubscriber.connect(try subscriberConfiguration())
            let channel = uniqueKey("restart")
            let recorder = EventRecorder(try await subscriber.subscribe(to: [channel]))

            try await RedisServerTrait.server.restart()

            #expect(await eventually { recorder.gaps.contains { $0.reconnected } })
            let publisher = try await RedisServerTrait.connect()
            #expect(try await publisher.publish("after restart", to: channel) == 1)
            #expect(await eventually { !recorder.messages(saying: "after restart").isEmpty })
            #expect(!recorder.hasEnded)
            await subscriber.close()
            await publisher.close()
        }
    }

    /// Freezes the server, so that the socket stays open and silent.
    @Suite(.redisServer)
    struct Liveness {
        @Test func aConnectionThatStopsAnsweringIsDeclaredDeadAndReplaced() async throws {
            let reasons = Locked<[String]>([])
            var configuration = try subscriberConfiguration()
            configuration.logger = RedisLogger(level: .debug) { _, message, metadata in
                guard message == "connection lost", let reason = metadata["reason"] else { return }
                reasons.withLock { $0.append(reason) }
            }
            let options = RedisSubscriberOptions(
                pingInterval: .milliseconds(100), pingTimeout: .milliseconds(300))
            let subscriber = try await RedisSubscriber.connect(configuration, options: options)
            let channel = uniqueKey("frozen")
            let recorder = EventRecorder(try await subscriber.subscribe(to: [channel]))
            let pid = try #require(try RedisServerTrait.server.processIdentifier)

            kill(pid, SIGSTOP)
            let declaredDead = await eventually(within: .seconds(5)) {
                reasons.withLock { $0.contains { $0.contains("no answer to PING") } }
            }
            kill(pid, SIGCONT)
            #expect(declaredDead)

            #expect(await eventually { recorder.gaps.contains { $0.reconnected } })
            let publisher = try await RedisServerTrait.connect()
            // The sockets given up while the server was frozen may still be
            // subscribed for a moment after it thaws, until it reads their end.
            #expect(
                await eventually {
                    (try? await publisher.subscriberCounts([channel])) == [channel: 1]
                })
            #expect(try await publisher.publish("alive", to: channel) == 1)
            #expect(await eventually { !recorder.messages(saying: "alive").isEmpty })
            await subscriber.close()
            await publisher.close()
        }
    }

    /// A server with a password, which changes while the subscriber is away.
    @Suite(.redisServer(settings: ["requirepass first-secret"]))
    struct Credentials {
        @Test func credentialsRefusedOnAReconnectEndEverySubscriptionWithTheError() async throws {
            var configuration = try subscriberConfiguration()
            configuration.password = "first-secret"
            configuration.clientName = "subscriber-under-test"
            let subscriber = try await RedisSubscriber.connect(configuration)
            configuration.clientName = nil
            let admin = try await RedisConnection.connect(configuration)
            let recorder = EventRecorder(try await subscriber.subscribe(to: [uniqueKey("auth")]))

            let clients = try await admin.send("CLIENT", "LIST", "TYPE", "pubsub")
            #expect(try clients.decode(as: String.self).contains("name=subscriber-under-test"))

            try await admin.send("CONFIG", "SET", "requirepass", "second-secret")
            try await admin.send("CLIENT", "KILL", "TYPE", "pubsub")
            #expect(await eventually { recorder.hasEnded })
            let error = try #require(recorder.error as? RedisError)
            #expect(error.code == .authenticationFailed)
            #expect(!"\(error)".contains("secret"))
            #expect(await subscriber.isClosed)
            await admin.close()
        }
    }

    /// A server that drops subscribers whose output falls 1 MB behind.
    @Suite(.redisServer(settings: ["client-output-buffer-limit pubsub 1mb 256kb 5"]))
    struct SlowConsumer {
        @Test func dropsTheOldestMessagesKeepsMemoryBoundedAndKeepsWorking() async throws {
            let subscriber = try await RedisSubscriber.connect(try subscriberConfiguration())
            let publisher = try await RedisServerTrait.connect()
            let channel = uniqueKey("slow")
            let count = 10_000
            let filler = [UInt8](repeating: 0x61, count: 16 * 1024)

            let baseline = residentBytes()
            let peak = Atomic<Int>(baseline)
            let sampling = Task {
                while !Task.isCancelled {
                    _ = peak.max(residentBytes(), ordering: .relaxed)
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            let recorder = EventRecorder(
                try await subscriber.subscribe(to: [channel], bufferLimit: .init(messages: 16)),
                delay: .milliseconds(50))

            // 160 MB in all: buffered without a bound, it would show.
            for index in 0..<count {
                try await publisher.publish(Array("\(index):".utf8) + filler, to: channel)
            }
            // The consumer stops at "end"; sent again only if it went missing.
            var ends = 0
            var ended = false
            while !ended && ends < 6 {
                try await publisher.publish("end", to: channel)
                ends += 1
                ended = await eventually(within: .seconds(5)) {
                    !recorder.messages(saying: "end").isEmpty
                }
            }
            sampling.cancel()
            await sampling.value

            #expect(!recorder.messages(saying: "end").isEmpty, "the subscriber kept working")
            let growth = peak.load(ordering: .relaxed) - baseline
            // Sanitizers hold freed memory back on purpose, so resident size says
            // nothing about the buffer there; `make test-tsan`/`test-asan` set SANITIZER.
            if ProcessInfo.processInfo.environment["SANITIZER"] == nil {
                // Other suites allocate in this process meanwhile, so the bound is
                // loose; unbounded buffering of the 160 MB would still exceed it.
                #expect(growth < 120 << 20, "resident memory grew by \(growth >> 20) MB")
            }

            let delivered = recorder.messages.filter { $0.payload != Array("end".utf8) }
            let dropped = recorder.gaps.reduce(0) { $0 + $1.droppedMessages }
            #expect(dropped > 0, "a consumer this slow must lose messages, and be told")
            if recorder.gaps.contains(where: \.reconnected) {
                // The server cut the connection off; what it sent meanwhile is
                // lost uncounted, and the gap says so.
                #expect(delivered.count + dropped <= count + ends)
            } else {
                // Every message was either delivered or counted as dropped,
                // and the oldest went first, so the newest one arrived.
                #expect(delivered.count + dropped >= count)
                #expect(delivered.count + dropped <= count + ends - 1)
                let last = delivered.last.map { $0.payload.prefix { $0 != UInt8(ascii: ":") } }
                #expect(last.map { String(decoding: $0, as: UTF8.self) } == "\(count - 1)")
            }
            #expect(try await subscriber.send("PING").array?.count == 2)
            await subscriber.close()
            await publisher.close()
        }
    }
}
