import Chat
import Foundation
import Hiredis
import RedisServerLauncher
import RedisTestSupport
import Testing

/// A real three-node Redis Cluster on loopback: the scripts that touch one
/// room keep every key in the room's slot, so they run unchanged on the
/// node that owns it.
@Suite struct ClusterTests {
    /// Starts three cluster nodes, splits the 16384 slots between them and
    /// joins them, then waits until the cluster reports itself healthy.
    private func startCluster() async throws -> [LocalRedisServer] {
        var nodes: [LocalRedisServer] = []
        var busPorts: [Int] = []
        for _ in 0..<3 {
            let node = try await LocalRedisServer.startOnFreePort(settings: [
                "cluster-enabled yes", "cluster-config-file nodes.conf",
                "cluster-node-timeout 2000",
                // The default bus port (port + 10000) may not exist for a high port.
                "cluster-port {port}",
            ])
            let connection = try await connect(node)
            let info = try await connection.send("CONFIG", "GET", "cluster-port")
            busPorts.append(try info.decode(as: [String].self).last.flatMap(Int.init) ?? 0)
            await connection.close()
            nodes.append(node)
        }
        let ranges = [(0, 5460), (5461, 10922), (10923, 16383)]
        for (node, range) in zip(nodes, ranges) {
            let connection = try await connect(node)
            try await connection.send("CLUSTER", "ADDSLOTSRANGE", range.0, range.1)
            for (other, busPort) in zip(nodes, busPorts) where other !== node {
                try await connection.send(
                    "CLUSTER", "MEET", "127.0.0.1", try #require(other.port), busPort)
            }
            await connection.close()
        }
        for node in nodes {
            let connection = try await connect(node)
            var healthy = false
            for _ in 0..<200 where !healthy {
                let info = try await connection.send("CLUSTER", "INFO").decode(as: String.self)
                healthy = info.contains("cluster_state:ok")
                if !healthy { try await Task.sleep(for: .milliseconds(50)) }
            }
            await connection.close()
            try #require(healthy, "the cluster did not become healthy")
        }
        return nodes
    }

    private func connect(_ node: LocalRedisServer) async throws -> RedisConnection {
        try await RedisConnection.connect(RedisConfiguration(unixSocketPath: node.socketPath))
    }

    @Test func aRoomsScriptsRunOnTheNodeThatOwnsItsSlot() async throws {
        let nodes = try await startCluster()
        defer { for node in nodes { node.stop() } }

        let roomID = UUID().uuidString.lowercased()
        let userID = UUID().uuidString.lowercased()
        let probe = try await connect(nodes[0])
        let slot = try await probe.send("CLUSTER", "KEYSLOT", ChatKeys.room(roomID))
            .decode(as: Int.self)
        let roomKeys = [
            ChatKeys.roomMembers(roomID), ChatKeys.roomMessages(roomID), ChatKeys.roomSeq(roomID),
            ChatKeys.roomTyping(roomID), ChatKeys.message(UUID().uuidString, inRoom: roomID),
        ]
        for key in roomKeys {
            #expect(try await probe.send("CLUSTER", "KEYSLOT", key).decode(as: Int.self) == slot)
        }
        await probe.close()

        // The room as the cross-slot create and join would leave it.
        let owner = nodes[slot <= 5460 ? 0 : (slot <= 10922 ? 1 : 2)]
        let connection = try await connect(owner)
        try await connection.send(
            "HSET", ChatKeys.room(roomID), "name", "cluster", "created_at",
            "2026-01-01T00:00:00.000Z")
        try await connection.send("SADD", ChatKeys.roomMembers(roomID), userID)

        var configuration = ChatConfiguration()
        configuration.historyLimit = 2
        let chat = ChatService(connection: connection, configuration: configuration)
        try await chat.startTyping(userID: userID, roomID: roomID)
        #expect(try await chat.typingUserIDs(roomID: roomID) == [userID])
        for text in ["one", "two", "three"] {
            _ = try await chat.send(text, to: roomID, from: userID)
        }
        let history = try await chat.latestMessages(in: roomID)
        #expect(history.map(\.content) == ["two", "three"])
        #expect(try await chat.messages(in: roomID, after: 2).map(\.content) == ["three"])
        #expect(try await chat.typingUserIDs(roomID: roomID).isEmpty)
        await connection.close()
    }
}
