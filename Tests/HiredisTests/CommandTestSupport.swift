import Hiredis
import RedisTestSupport

/// Runs `body` on a new connection to the suite's server and closes the
/// connection afterwards, whether `body` throws or not.
///
/// Tests write their closures as `{ connection throws in ... }`: when every
/// `try` of a closure sits inside `#expect`, Swift infers it non-throwing.
func withTestConnection(_ body: (RedisConnection) async throws -> Void) async throws {
    let connection = try await RedisServerTrait.connect()
    do {
        try await body(connection)
    } catch {
        await connection.close()
        throw error
    }
    await connection.close()
}

/// A unique key that is not valid UTF-8, so that tests also prove keys are
/// sent byte for byte.
func uniqueBinaryKey(_ prefix: String = "binary", function: String = #function) -> [UInt8] {
    Array(uniqueKey(prefix, function: function).utf8) + [0xFF, 0x00, 0xC3, 0x28]
}
