import CCrypto

/// A Lua script, named by the SHA-1 of its source, that runs by EVALSHA.
///
/// The server keeps scripts in a cache that `SCRIPT FLUSH` and restarts empty.
/// ``RedisConnection/evaluate(_:keys:arguments:)`` tries EVALSHA first and,
/// when the server answers `NOSCRIPT` (which means nothing ran), sends the
/// source with EVAL once; so a script never runs twice for one call. In a
/// ``RedisPipeline`` each script is loaded with SCRIPT LOAD ahead of the
/// batch instead.
///
/// Pass every key the script touches in `keys` (the script's `KEYS`), never
/// built inside Lua: Redis Cluster routes by them and ACLs check them.
///
/// ```swift
/// let incrementBy = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
/// let total = try await connection.evaluate(incrementBy, keys: ["hits"], arguments: [5])
/// ```
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The lowercase hex SHA-1 of the source, as EVALSHA expects.
    public let sha1: String

    /// A script from its Lua source.
    public init(_ source: String) {
        self.source = source
        var digest = [UInt8](repeating: 0, count: 20)
        let bytes = Array(source.utf8)
        let succeeded = bytes.withUnsafeBytes { raw in
            ccrypto_sha1(raw.baseAddress, raw.count, &digest)
        }
        precondition(succeeded == 1, "OpenSSL could not compute a SHA-1 digest")
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(40)
        for byte in digest {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0f)])
        }
        self.sha1 = String(decoding: text, as: UTF8.self)
    }

    func evalshaCommand(keys: [any RedisArgument], arguments: [any RedisArgument]) -> RedisCommand {
        command("EVALSHA", sha1, keys: keys, arguments: arguments)
    }

    func evalCommand(keys: [any RedisArgument], arguments: [any RedisArgument]) -> RedisCommand {
        command("EVAL", source, keys: keys, arguments: arguments)
    }

    var loadCommand: RedisCommand { RedisCommand("SCRIPT", "LOAD", source) }

    private func command(
        _ name: String, _ body: String, keys: [any RedisArgument], arguments: [any RedisArgument]
    ) -> RedisCommand {
        var command = RedisCommand(name, body, keys.count)
        for key in keys { command.append(key) }
        for argument in arguments { command.append(argument) }
        return command
    }
}

extension RedisConnection {
    /// Runs a Lua script by EVALSHA, falling back on EVAL when the server
    /// does not have it cached.
    ///
    /// - Parameters:
    ///   - script: the script.
    ///   - keys: every key the script reads or writes, as `KEYS[1]...`.
    ///   - arguments: the other arguments, as `ARGV[1]...`.
    /// - Returns: the script's reply. Lua numbers are truncated to integers
    ///   and a Lua table stops at its first nil, as Redis converts them.
    /// - Throws: ``RedisError``; a script error (`redis.error_reply`, a failed
    ///   `redis.call`) is a ``RedisError/Code-swift.struct/server`` error.
    ///
    /// Complexity: that of the script.
    @discardableResult
    public nonisolated func evaluate(
        _ script: RedisScript,
        keys: [any RedisArgument] = [],
        arguments: [any RedisArgument] = []
    ) async throws -> RESPValue {
        let reply = try await exchange(script.evalshaCommand(keys: keys, arguments: arguments))
        if case .error(let text) = reply, text.hasPrefix("NOSCRIPT") {
            // NOSCRIPT means the script did not run: sending the source is safe.
            return try await exchange(script.evalCommand(keys: keys, arguments: arguments)).unwrap()
        }
        return try reply.unwrap()
    }

    /// Loads a script into the server's cache (SCRIPT LOAD), ahead of its first use.
    ///
    /// Complexity: O(N) in the length of the source.
    public nonisolated func load(_ script: RedisScript) async throws {
        try await send(script.loadCommand)
    }
}
