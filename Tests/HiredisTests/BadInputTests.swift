import Foundation
import Hiredis
import RedisTestSupport
import Testing

/// The client's part of the bad input catalogue: configuration URLs and
/// command arguments. A URL is read exactly or refused with
/// ``RedisError/Code-swift.struct/invalidArgument``, never echoing its
/// password; an argument arrives as one argument, byte for byte.
@Suite struct ConfigurationURLBadInputTests {
    /// A URL, named for the test report.
    struct HostileURL: Sendable, CustomTestStringConvertible {
        var label: String
        var url: String
        var testDescription: String { label }
    }

    private static let password = "pw-9e2d41c7"

    static let refused: [HostileURL] = [
        HostileURL(label: "empty", url: ""),
        HostileURL(label: "a scheme alone", url: "redis://"),
        HostileURL(label: "credentials and no host", url: "redis://:\(password)@"),
        HostileURL(label: "another scheme", url: "http://\(password)@localhost"),
        HostileURL(label: "TLS", url: "rediss://:\(password)@localhost"),
        HostileURL(label: "a path that is not a number", url: "redis://localhost/zero"),
        HostileURL(label: "a negative database", url: "redis://localhost/-1"),
        HostileURL(label: "a database past Int", url: "redis://localhost/99999999999999999999"),
        HostileURL(label: "a negative port", url: "redis://localhost:-1"),
        HostileURL(label: "port 0", url: "redis://:\(password)@localhost:0"),
        HostileURL(label: "a port past 65535", url: "redis://localhost:65536"),
        HostileURL(label: "a port that hiredis would cut", url: "redis://localhost:637900"),
        HostileURL(label: "a port past Int32", url: "redis://localhost:99999999999"),
        HostileURL(label: "a space in the host", url: "redis://local host"),
        HostileURL(label: "NUL in the host", url: "redis://\(password)@127.0.0.1%00.evil"),
        HostileURL(label: "a unix URL with no path", url: "unix://"),
        HostileURL(label: "NUL in the socket path", url: "unix:///tmp/redis.sock%00.evil"),
        HostileURL(label: "a db query that is not a number", url: "unix:///tmp/r.sock?db=one"),
        HostileURL(label: "a negative db query", url: "unix:///tmp/r.sock?db=-2"),
        HostileURL(label: "a megabyte of nothing", url: String(repeating: "%", count: 1 << 20)),
    ]

    @Test(arguments: refused)
    func aMalformedURLIsRefusedWithoutRepeatingIt(url: HostileURL) {
        let error = #expect(throws: RedisError.self) { try RedisConfiguration(url: url.url) }

        #expect(error?.code == .invalidArgument)
        let text = "\(String(describing: error)) \(error?.message ?? "")"
        #expect(!text.contains(Self.password), "\(text)")
        #expect(text.utf8.count < 1024, "the error repeats the URL")
    }

    @Test func awkwardCredentialsAreReadExactly() throws {
        let configuration = try RedisConfiguration(
            url: "redis://%F0%9F%91%8D%20u:p%40ss%3A%2F%25%00%7B@localhost:6380/2")

        #expect(configuration.username == "👍 u")
        #expect(configuration.password == "p@ss:/%\u{0}{")
        #expect(configuration.endpoint == .tcp(host: "localhost", port: 6380))
        #expect(configuration.database == 2)
    }

    @Test func anEmptyPasswordIsKeptAsAnEmptyPassword() throws {
        let configuration = try RedisConfiguration(url: "redis://:@localhost")

        #expect(configuration.username == nil)
        #expect(configuration.password == "")
    }

    @Test func anIPv6HostLosesItsBrackets() throws {
        let configuration = try RedisConfiguration(url: "redis://[::1]:6390")

        #expect(configuration.endpoint == .tcp(host: "::1", port: 6390))
    }

    @Test func aSocketPathWithSpacesAndBracesIsReadExactly() throws {
        let configuration = try RedisConfiguration(url: "unix:///tmp/a%20b/%7Bx%7D.sock?db=3")

        #expect(configuration.endpoint == .unix(path: "/tmp/a b/{x}.sock"))
        #expect(configuration.database == 3)
    }

    @Test(arguments: [
        RedisEndpoint.tcp(host: "127.0.0.1", port: 99_999_999_999),
        .tcp(host: "127.0.0.1", port: 0),
        .tcp(host: "127.0.0.1\u{0}.evil", port: 6379),
        .unix(path: "/tmp/redis.sock\u{0}.evil"),
    ])
    func anEndpointHiredisWouldMisreadIsRefusedBeforeConnecting(endpoint: RedisEndpoint)
        async
    {
        await #expect {
            try await RedisConnection.connect(RedisConfiguration(endpoint: endpoint))
        } throws: { error in
            (error as? RedisError)?.code == .invalidArgument
        }
    }
}

/// Serialized: its megabyte arguments would otherwise all be in flight at once.
@Suite(.serialized, .redisServer)
struct CommandBadInputTests {
    /// An argument, named for the test report.
    struct HostileArgument: Sendable, CustomTestStringConvertible {
        var label: String
        var bytes: [UInt8]
        var testDescription: String { label }

        init(_ label: String, _ bytes: [UInt8]) {
            self.label = label
            self.bytes = bytes
        }

        init(_ label: String, _ text: String) {
            self.init(label, Array(text.utf8))
        }
    }

    static let arguments: [HostileArgument] = [
        HostileArgument("empty", []),
        HostileArgument("NUL", [0]),
        HostileArgument("not UTF-8", [0xC3, 0x28, 0xFF, 0xFE, 0x80]),
        HostileArgument("a whole RESP command", "*1\r\n$8\r\nFLUSHALL\r\n"),
        HostileArgument("an inline command", "\r\nFLUSHALL\r\n"),
        HostileArgument("format specifiers", "%s%n%b%%"),
        HostileArgument("Lua and JSON", #"]]--"\'{"x":[1]}"#),
        HostileArgument("a glob", "user:{*}?[a-z]"),
        HostileArgument("emoji and marks", "👩‍👩‍👧‍👦\u{200F}\u{202E}\u{FEFF}"),
        HostileArgument("a megabyte", [UInt8](repeating: 0x2A, count: 1 << 20)),
        HostileArgument("every byte", Array(UInt8.min...UInt8.max)),
    ]

    @Test(arguments: arguments)
    func aHostileArgumentIsOneArgumentStoredByteForByte(argument: HostileArgument)
        async throws
    {
        let connection = try await RedisServerTrait.connect()
        let key = Array(uniqueKey().utf8) + argument.bytes
        let canary = uniqueKey("canary")
        try await connection.send("SET", canary, "alive")

        let command = RedisCommand("SET", key, argument.bytes)
        try await connection.send(command)

        #expect(try await connection.send("GET", key) == .bulkString(argument.bytes))
        #expect(try await connection.send("ECHO", argument.bytes) == .bulkString(argument.bytes))
        #expect(try await connection.send("EXISTS", canary) == .integer(1))
        #expect(command.description == "SET (2 arguments)", "arguments reach the description")
        await connection.close()
    }

    @Test(arguments: [
        "PING\r\nFLUSHALL", "FLUSHALL ", " FLUSHALL", "", "\u{0}",
        String(repeating: "X", count: 1 << 20),
    ])
    func aCommandNameIsOneWordThatTheServerRefusesWhenUnknown(name: String) async throws {
        let connection = try await RedisServerTrait.connect()
        let canary = uniqueKey("canary")
        try await connection.send("SET", canary, "alive")

        let error = await #expect(throws: RedisError.self) {
            try await connection.send(RedisCommand(name))
        }

        #expect(error?.code == .server)
        #expect(try await connection.send("EXISTS", canary) == .integer(1))
        #expect(try await connection.send("PING") == .simpleString("PONG"))
        await connection.close()
    }

    @Test func tenThousandArgumentsArriveAsTenThousand() async throws {
        let connection = try await RedisServerTrait.connect()
        let key = uniqueKey()
        var command = RedisCommand("RPUSH", key)
        command.append(contentsOf: (0..<10_000).map { "\($0)\r\n" })

        let length = try await connection.send(command)

        #expect(length == .integer(10_000))
        #expect(try await connection.send("LINDEX", key, -1) == .bulkString(Array("9999\r\n".utf8)))
        await connection.close()
    }
}
