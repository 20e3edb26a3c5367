import Foundation
import Hiredis
import RedisServerLauncher

/// The faults of a soak, at fixed points of the run: the redis-server killed
/// with SIGKILL and restarted on the same socket (its append-only file
/// replays) at 25 % and at 65 % of it, and one subscriber's
/// connection cut with CLIENT KILL in between.
///
/// Each kill waits (a little) for a moment when sends are out, so that some
/// of them are cut off after they went out and end "outcome unknown".
struct Chaos: Sendable {
    let server: LocalRedisServer
    /// A connection of the soak's own, for CLIENT LIST, CLIENT KILL and DBSIZE.
    let admin: RedisConnection
    /// The client name of the subscriber to cut.
    let victim: String
    /// How many sends are out and not answered yet.
    let unanswered: @Sendable () -> Int
    let report: @Sendable (String) -> Void

    /// How long the server stays down after each kill.
    static let downtime = Duration.milliseconds(1500)

    func run(from start: ContinuousClock.Instant, lasting length: Duration) async throws {
        let clock = ContinuousClock()
        try await clock.sleep(until: start + length * 0.25)
        try await killServer()
        try await clock.sleep(until: start + length * 0.45)
        try await killSubscriber()
        try await clock.sleep(until: start + length * 0.65)
        try await killServer()
    }

    private func killServer() async throws {
        let patience = ContinuousClock.now + .seconds(2)
        while unanswered() < 2 && ContinuousClock.now < patience {
            try await Task.sleep(for: .microseconds(200))
        }
        let pid = server.processIdentifier.map { "\($0)" } ?? "?"
        let out = unanswered()
        server.halt(hard: true)
        report("redis-server (pid \(pid)) killed with SIGKILL, \(out) sends out")
        try await Task.sleep(for: Self.downtime)

        let restarted = ContinuousClock.now
        try await server.restart()
        let keys = try await datasetSize()
        let took = milliseconds(ContinuousClock.now - restarted)
        report("redis-server restarted on the same socket; DBSIZE \(keys) after \(took) ms")
    }

    /// DBSIZE, once the server answers it: it says LOADING while the
    /// append-only file replays.
    private func datasetSize() async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let keys = try? await admin.send("DBSIZE").integer { return Int(keys) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SoakFailure("the restarted redis-server did not answer DBSIZE within 20 s")
    }

    /// Finds the victim by its client name in CLIENT LIST (it may still be
    /// reconnecting) and kills its connection by id.
    private func killSubscriber() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let id = try? await victimID() {
                let killed = try await admin.send("CLIENT", "KILL", "ID", id).integer ?? 0
                if killed == 1 {
                    report("subscriber connection \(victim) (client id \(id)) cut with CLIENT KILL")
                    return
                }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SoakFailure("no client named \(victim) to kill within 20 s")
    }

    /// The client id of the connection named ``victim``, if it is connected.
    private func victimID() async throws -> Int? {
        let list = try await admin.send("CLIENT", "LIST", "TYPE", "pubsub").decode(as: String.self)
        for line in list.split(separator: "\n") {
            var fields: [Substring: Substring] = [:]
            for field in line.split(separator: " ") {
                let parts = field.split(
                    separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            if fields["name"] == Substring(victim), let id = fields["id"].flatMap({ Int($0) }) {
                return id
            }
        }
        return nil
    }
}

/// A duration in whole milliseconds, for the report.
func milliseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1000 + attoseconds / 1_000_000_000_000_000
}

/// Why the soak could not run to its checks, in one sentence.
struct SoakFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
