import Hiredis

/// One way to reach the private server: a unix socket or TCP loopback.
///
/// Each transport knows how to point our client and both peers at the
/// same server.
struct Transport: Sendable {
    /// `unix` or `tcp`, as the table prints it.
    var name: String
    /// Our client's configuration.
    var configuration: RedisConfiguration
    /// The raw-hiredis peer's address options.
    var hiredisPeerArguments: [String]
    /// redis-benchmark's address options.
    var redisBenchmarkArguments: [String]

    /// The server's unix socket.
    static func unix(path: String) -> Transport {
        Transport(
            name: "unix",
            configuration: RedisConfiguration(unixSocketPath: path),
            hiredisPeerArguments: ["--socket", path],
            redisBenchmarkArguments: ["-s", path]
        )
    }

    /// The server's TCP port on 127.0.0.1.
    static func tcp(port: Int) -> Transport {
        Transport(
            name: "tcp",
            configuration: RedisConfiguration(host: "127.0.0.1", port: port),
            hiredisPeerArguments: ["--host", "127.0.0.1", "--port", "\(port)"],
            redisBenchmarkArguments: ["-h", "127.0.0.1", "-p", "\(port)"]
        )
    }
}

/// The commands the client workloads time; redis-benchmark's SET and GET
/// tests send the same shapes.
enum BenchCommand: String, CaseIterable, Sendable {
    case set = "SET"
    case get = "GET"

    /// The command on `key`, with a value of `valueSize` bytes for SET.
    func redisCommand(key: String, valueSize: Int) -> RedisCommand {
        switch self {
        case .set: RedisCommand("SET", key, [UInt8](repeating: UInt8(ascii: "x"), count: valueSize))
        case .get: RedisCommand("GET", key)
        }
    }
}
