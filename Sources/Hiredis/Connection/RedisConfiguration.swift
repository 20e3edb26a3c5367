import Foundation

/// Where a Redis server listens.
public enum RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// A TCP host (name or address) and port.
    case tcp(host: String, port: Int)
    /// A unix domain socket path.
    case unix(path: String)

    public var description: String {
        switch self {
        case .tcp(let host, let port): "\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }
}

/// How a connection reaches and greets a server, and how patient it is.
///
/// ```swift
/// var configuration = try RedisConfiguration(url: "redis://:secret@localhost:6379/2")
/// configuration.commandTimeout = .seconds(2)
/// let connection = try await RedisConnection.connect(configuration)
/// ```
public struct RedisConfiguration: Sendable {
    /// The server to connect to.
    public var endpoint: RedisEndpoint
    /// The ACL user name for AUTH; nil authenticates as the default user.
    public var username: String?
    /// The password for AUTH; nil sends no AUTH. Never logged or printed.
    public var password: String?
    /// The database SELECTed on every connect; 0 sends no SELECT.
    public var database: Int
    /// The name set with CLIENT SETNAME on every connect, if any.
    public var clientName: String?
    /// How long one connection attempt may take, handshake included.
    public var connectTimeout: Duration
    /// How long a command may wait for its reply. Blocking commands (BLPOP and
    /// the like) get their blocking time on top of this.
    public var commandTimeout: Duration
    /// How reconnection after a dropped connection is spaced.
    public var reconnect: RedisBackoff
    /// Where the client reports what it does; silent by default.
    public var logger: RedisLogger

    /// A configuration for `endpoint` with the defaults: no AUTH, database 0,
    /// 5 s connect timeout, 10 s command timeout.
    public init(endpoint: RedisEndpoint) {
        self.endpoint = endpoint
        self.username = nil
        self.password = nil
        self.database = 0
        self.clientName = nil
        self.connectTimeout = .seconds(5)
        self.commandTimeout = .seconds(10)
        self.reconnect = RedisBackoff()
        self.logger = .silent
    }

    /// A configuration for a TCP server.
    public init(host: String = "127.0.0.1", port: Int = 6379) {
        self.init(endpoint: .tcp(host: host, port: port))
    }

    /// A configuration for a server on a unix socket.
    public init(unixSocketPath path: String) {
        self.init(endpoint: .unix(path: path))
    }

    /// A configuration from a URL: `redis://[[user]:password@]host[:port][/db]`
    /// or `unix:///path/to.sock[?db=N]`. User and password may be percent-encoded.
    ///
    /// - Throws: ``RedisError/Code-swift.struct/invalidArgument`` when the URL
    ///   does not have one of these forms. The message never repeats the password.
    public init(url string: String) throws(RedisError) {
        guard let components = URLComponents(string: string), let scheme = components.scheme
        else {
            throw RedisError(
                .invalidArgument,
                "The Redis URL is not valid; write it as redis://[user:password@]host[:port][/db] "
                    + "or unix:///path/to.sock."
            )
        }
        switch scheme.lowercased() {
        case "redis":
            guard var host = components.host, !host.isEmpty else {
                throw RedisError(
                    .invalidArgument, "The Redis URL names no host; add one after redis://.")
            }
            // An IPv6 address comes in brackets, which the resolver does not take.
            if host.hasPrefix("["), host.hasSuffix("]") {
                host = String(host.dropFirst().dropLast())
            }
            self.init(host: host, port: components.port ?? 6379)
            let path = components.path.drop { $0 == "/" }
            if !path.isEmpty {
                guard let database = Int(path), database >= 0 else {
                    throw RedisError(
                        .invalidArgument,
                        "The Redis URL path must be a database number, such as /0."
                    )
                }
                self.database = database
            }
        case "unix":
            guard !components.path.isEmpty else {
                throw RedisError(.invalidArgument, "The unix:// URL names no socket path.")
            }
            self.init(unixSocketPath: components.path)
            if let database = components.queryItems?.first(where: { $0.name == "db" })?.value {
                guard let number = Int(database), number >= 0 else {
                    throw RedisError(.invalidArgument, "The db= query of the URL must be a number.")
                }
                self.database = number
            }
        default:
            throw RedisError(
                .invalidArgument,
                "The URL scheme \(scheme) is not supported; use redis:// or unix:// "
                    + "(hiredis 0.14 has no TLS, so rediss:// is not available)."
            )
        }
        if let problem = endpoint.problem { throw RedisError(.invalidArgument, problem) }
        if let user = components.percentEncodedUser, !user.isEmpty {
            self.username = user.removingPercentEncoding ?? user
        }
        if let password = components.percentEncodedPassword {
            self.password = password.removingPercentEncoding ?? password
        }
    }
}

extension RedisConfiguration: CustomStringConvertible {
    /// The endpoint, database and user; the password shows as `***`.
    public var description: String {
        var text = "\(endpoint) db=\(database)"
        if let username { text += " user=\(username)" }
        if password != nil { text += " password=***" }
        return text
    }
}

extension RedisConfiguration: CustomReflectable {
    /// The fields with the password shown as `***`, so that `dump`, debuggers
    /// and test failure reports, which read values through a mirror, do not
    /// print it either.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "endpoint": endpoint, "username": username as Any,
                "password": password.map { _ in "***" } as Any, "database": database,
                "clientName": clientName as Any, "connectTimeout": connectTimeout,
                "commandTimeout": commandTimeout, "reconnect": reconnect, "logger": logger,
            ],
            displayStyle: .struct)
    }
}

extension RedisEndpoint {
    /// Why hiredis cannot be given this endpoint, if it cannot. It takes C
    /// strings, which end at the first NUL byte, and writes the port with
    /// at most five digits, so either would quietly reach another server.
    var problem: String? {
        switch self {
        case .tcp(let host, let port):
            guard (1...65_535).contains(port) else {
                return "The port \(port) is not a TCP port; use one from 1 to 65535."
            }
            guard !host.utf8.contains(0) else {
                return "The host name holds a NUL byte, which would cut it short; remove it."
            }
        case .unix(let path):
            guard !path.utf8.contains(0) else {
                return "The socket path holds a NUL byte, which would cut it short; remove it."
            }
        }
        return nil
    }
}

/// Capped exponential backoff with full jitter, for reconnect attempts.
///
/// Attempt *n* waits a random time between ``minimumDelay`` and
/// `min(maximumDelay, initialDelay * 2^n)`, so many clients that lost one
/// server spread their attempts instead of arriving together.
public struct RedisBackoff: Sendable, Hashable {
    /// The cap of the first wait.
    public var initialDelay: Duration
    /// The cap no wait exceeds.
    public var maximumDelay: Duration
    /// The shortest wait.
    public var minimumDelay: Duration

    public init(
        initialDelay: Duration = .milliseconds(100),
        maximumDelay: Duration = .seconds(5),
        minimumDelay: Duration = .milliseconds(10)
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.minimumDelay = minimumDelay
    }

    /// The wait before reconnect attempt `attempt` (0 for the first).
    public func delay(forAttempt attempt: Int) -> Duration {
        let growth = Double(1 << min(attempt, 20))
        let cap = min(maximumDelay, initialDelay * growth)
        let low = minimumDelay.seconds
        let high = max(cap.seconds, low)
        return .seconds(Double.random(in: low...high))
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The duration in whole nanoseconds, saturating.
    var nanoseconds: UInt64 {
        let value = seconds * 1e9
        return value <= 0 ? 0 : (value >= 1.8e19 ? UInt64.max : UInt64(value))
    }
}
