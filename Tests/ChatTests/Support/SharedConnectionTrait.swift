import Hiredis
import RedisTestSupport
import Testing

/// One connection for every test of a suite, open while the suite runs;
/// apply it after `.redisServer`.
///
/// For suites with hundreds of cases that barely use the server: a
/// connection each would open them all at once, and starve the suites
/// that run beside them.
struct SharedConnectionTrait: SuiteTrait, TestScoping {
    /// The connection of the suite that is running.
    @TaskLocal static var current: RedisConnection?

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: () async throws -> Void
    ) async throws {
        let connection = try await RedisServerTrait.connect()
        do {
            try await Self.$current.withValue(connection) { try await function() }
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    /// The suite's connection; fails the test when there is none.
    static var connection: RedisConnection {
        get throws { try #require(current, "the suite needs the .sharedConnection trait") }
    }
}

extension Trait where Self == SharedConnectionTrait {
    /// One connection, ``SharedConnectionTrait/connection``, for the whole suite.
    static var sharedConnection: Self { SharedConnectionTrait() }
}
