import Hiredis
import RedisServerLauncher
import Testing

/// Runs a suite (or one test) with its own `redis-server`, started before
/// and stopped after, reachable through ``RedisServerTrait/current``.
///
/// ```swift
/// @Suite(.redisServer) struct StringTests {
///     @Test func roundTrip() async throws {
///         let connection = try await RedisServerTrait.connect()
///     }
/// }
/// ```
public struct RedisServerTrait: SuiteTrait, TestTrait, TestScoping {
    /// Extra configuration lines for the server.
    public var settings: [String]
    /// Whether the server also listens on a TCP port.
    public var tcp: Bool

    public var isRecursive: Bool { false }

    /// The server of the suite or test that is running.
    @TaskLocal public static var current: LocalRedisServer?

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: () async throws -> Void
    ) async throws {
        let server =
            tcp
            ? try await LocalRedisServer.startOnFreePort(settings: settings)
            : try await LocalRedisServer.start(settings: settings)
        defer { server.stop() }
        try await Self.$current.withValue(server) {
            try await function()
        }
    }

    /// The running server; fails the test when there is none.
    public static var server: LocalRedisServer {
        get throws { try #require(current, "the suite needs the .redisServer trait") }
    }

    /// A configuration for the running server.
    public static func configuration() throws -> RedisConfiguration {
        RedisConfiguration(unixSocketPath: try server.socketPath)
    }

    /// A new connection to the running server.
    public static func connect() async throws -> RedisConnection {
        try await RedisConnection.connect(try configuration())
    }
}

extension Trait where Self == RedisServerTrait {
    /// A private `redis-server` for the suite, on a unix socket in a temp folder.
    public static var redisServer: Self { RedisServerTrait(settings: [], tcp: false) }

    /// A private `redis-server` with extra configuration lines, and a TCP port if asked.
    public static func redisServer(settings: [String] = [], tcp: Bool = false) -> Self {
        RedisServerTrait(settings: settings, tcp: tcp)
    }
}

/// A key no other test uses, so that tests can share one server.
public func uniqueKey(_ prefix: String = "test", function: String = #function) -> String {
    "\(prefix):\(function.prefix { $0 != "(" }):\(UInt64.random(in: 0...UInt64.max))"
}
