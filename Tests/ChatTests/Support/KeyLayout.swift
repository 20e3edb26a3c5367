import Foundation
import Hiredis
import RedisTestSupport
import Testing

/// The key layout of the design (DESIGN.md, "Chat key layout"), written
/// once as whole-key patterns, for the tests that check that no other key
/// ever appears.
enum KeyLayout {
    /// A user, room or message id: a lowercase UUID.
    static let id = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    /// A direct conversation id, `dm:A:B`.
    static let conversation = "dm:\(id):\(id)"
    /// A user or room name: any text without control characters (its size
    /// is bounded by the key's). Names may hold braces: the key's own are
    /// its first `{` and its last `}`.
    static let name = #"[^\p{Cc}\p{Zl}\p{Zp}]+"#

    /// Every key of the table, a room id R being a room's or a conversation's.
    static let patterns: [String] = [
        #"user:\{\#(id)\}"#, #"user:\{\#(id)\}:rooms"#, #"user:\{\#(id)\}:alive"#,
        #"username:\{\#(name)\}"#, "rooms", #"roomname:\{\#(name)\}"#,
        #"room:\{\#(id)\}"#, #"room:\{\#(id)\}:members"#, #"room:\{\#(id)\}:typing"#,
        #"room:\{(\#(id)|\#(conversation))\}:messages"#,
        #"room:\{(\#(id)|\#(conversation))\}:seq"#,
        #"message:\{(\#(id)|\#(conversation))\}:\#(id)"#,
    ]

    /// The patterns, compiled.
    static func regexes() throws -> [Regex<AnyRegexOutput>] {
        try patterns.map { try Regex("^(\($0))$") }
    }

    /// The longest key: a name key with a name of 512 bytes, the most
    /// that validation allows.
    static let longestKey = "roomname:{}".utf8.count + 512

    /// Whether `key` is a key of the layout: UTF-8, matching one pattern,
    /// and no longer than ``longestKey``.
    static func contains(_ key: [UInt8], among regexes: [Regex<AnyRegexOutput>]) -> Bool {
        guard key.count <= longestKey, let text = String(validating: key, as: UTF8.self) else {
            return false
        }
        return regexes.contains { text.wholeMatch(of: $0) != nil }
    }

    /// Every key on the server, as bytes (SCAN), so that a key that is not
    /// UTF-8 shows up too.
    static func allKeys(_ connection: RedisConnection) async throws -> [[UInt8]] {
        var keys: [[UInt8]] = []
        var cursor = "0"
        repeat {
            let reply = try await connection.send("SCAN", cursor, "COUNT", 1000)
            let parts = try #require(reply.array)
            cursor = try parts[0].decode(as: String.self)
            keys += try parts[1].decode(as: [Data].self).map { Array($0) }
        } while cursor != "0"
        return keys
    }

    /// The keys on the server that are not in the layout, readable.
    static func strayKeys(_ connection: RedisConnection) async throws -> [String] {
        let regexes = try regexes()
        return try await allKeys(connection)
            .filter { !contains($0, among: regexes) }
            .map { String(decoding: $0.prefix(200), as: UTF8.self).debugDescription }
    }
}

/// Scans the suite's server once everything in the suite ran, and fails the
/// suite when any key is outside the layout; apply it after `.redisServer`.
struct KeyLayoutAuditTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: () async throws -> Void
    ) async throws {
        try await function()

        let connection = try await RedisServerTrait.connect()
        let stray = try await KeyLayout.strayKeys(connection)
        await connection.close()
        if !stray.isEmpty { throw StrayKeys(keys: stray) }
    }
}

/// Keys that the design's layout does not have.
struct StrayKeys: Error, CustomStringConvertible {
    var keys: [String]

    var description: String {
        "\(keys.count) keys outside the design's layout: "
            + keys.prefix(20).joined(separator: ", ")
    }
}

extension Trait where Self == KeyLayoutAuditTrait {
    /// Fails the suite when its server holds a key outside the layout at the end.
    static var auditsKeyLayout: Self { KeyLayoutAuditTrait() }
}
