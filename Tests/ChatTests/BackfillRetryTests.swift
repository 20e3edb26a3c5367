import Chat
import Foundation
import Hiredis
import RedisTestSupport
import Testing

/// Its own server: the test holds back every client's scripts and cuts
/// connections.
@Suite(.redisServer) struct BackfillRetryTests {
    /// Found by `make soak`: after a restart, subscribers are back (SUBSCRIBE
    /// works while the server loads its data) before the server answers the
    /// backfill's history read with anything but `LOADING`, and the stream
    /// used to end with that error, losing every later message.
    @Test func aStreamWaitsOutABackfillReadThatFailsInsteadOfEnding() async throws {
        let configuration = try RedisServerTrait.configuration()
        let admin = try await RedisServerTrait.connect()
        let writer = try await makeService()

        var reading = configuration
        reading.clientName = "backfill-reader"
        let reader = try await ChatService.connect(reading)
        // The subscriber stays away a while once cut, so that a message
        // goes out in the hole.
        var listening = configuration
        listening.clientName = "backfill-listener"
        listening.reconnect = RedisBackoff(
            initialDelay: .milliseconds(300), maximumDelay: .milliseconds(300),
            minimumDelay: .milliseconds(300))
        let live = try await ChatSubscriber.connect(listening, service: reader)
        let (alice, room) = try await makeMemberInRoom(writer)
        let stream = try await live.events(inRoom: room.id)
        let consumer = Task { try await take(3, from: stream) }

        let first = try await writer.send("before the hole", to: room.id, from: alice.id)
        try await admin.send("CLIENT", "KILL", "ID", try await clientID("backfill-listener", admin))
        let second = try await writer.send("in the hole", to: room.id, from: alice.id)

        // Hold back scripts, the backfill's history read among them, and cut
        // the reader's connection while that read waits: it fails with
        // connectionLost, as on a server that went away again.
        try await admin.send("CLIENT", "PAUSE", 10_000, "WRITE")
        let waiting = try await clientID("backfill-reader", admin, blockedOn: "evalsha")
        try await admin.send("CLIENT", "KILL", "ID", waiting)
        try await admin.send("CLIENT", "UNPAUSE")
        let third = try await writer.send("after the hole", to: room.id, from: alice.id)

        #expect(try await consumer.value == [first, second, third].map(ChatEvent.message))
        await live.close()
    }
}

/// The id of the client named `name` (waiting on `command`, when given),
/// from CLIENT LIST; fails the test when none shows up within 5 s.
private func clientID(
    _ name: String, _ admin: RedisConnection, blockedOn command: String? = nil
) async throws -> Int {
    let deadline = ContinuousClock.now + .seconds(5)
    while ContinuousClock.now < deadline {
        let list = try await admin.send("CLIENT", "LIST").decode(as: String.self)
        for line in list.split(separator: "\n") {
            var fields: [Substring: Substring] = [:]
            for field in line.split(separator: " ") {
                let parts = field.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            guard fields["name"] == Substring(name), let id = fields["id"].flatMap({ Int($0) })
            else { continue }
            if let command {
                guard fields["cmd"] == Substring(command), fields["flags"]?.contains("b") == true
                else { continue }
            }
            return id
        }
        try await Task.sleep(for: .milliseconds(10))
    }
    let waiting = command.map { " waiting on \($0)" } ?? ""
    return try #require(nil as Int?, "no client named \(name)\(waiting) within 5 s")
}
