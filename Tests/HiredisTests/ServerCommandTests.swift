import Foundation
import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer)
struct ServerCommandTests {
    @Test func pingIsAnsweredWithPong() async throws {
        try await withTestConnection { connection throws in
            #expect(try await connection.ping() == "PONG")
        }
    }

    @Test func echoReturnsTheSameBytes() async throws {
        try await withTestConnection { connection throws in
            let bytes: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A, 0x25]

            #expect(try await connection.echo(bytes) == bytes)
            #expect(try await connection.echo("héllo", as: String.self) == "héllo")
        }
    }

    @Test func timeIsTheServerClockSinceTheEpoch() async throws {
        try await withTestConnection { connection throws in
            let local = Date().timeIntervalSince1970

            let server = try await connection.time()

            let (seconds, attoseconds) = server.components
            let serverSeconds = Double(seconds) + Double(attoseconds) / 1e18
            #expect(abs(serverSeconds - local) < 5)
            #expect(attoseconds.isMultiple(of: 1_000_000_000_000))
        }
    }

    @Test func publishCountsNoReceiversWhenNobodyListens() async throws {
        try await withTestConnection { connection throws in
            let receivers = try await connection.publish("hello", to: uniqueKey("channel"))

            #expect(receivers == 0)
        }
    }
}
