import Foundation
import Synchronization

/// A private `redis-server` process on a unix socket in a fresh temporary
/// folder, for tests and examples.
///
/// ```swift
/// let server = try await LocalRedisServer.start()
/// defer { server.stop() }
/// let connection = try await RedisConnection.connect(
///     RedisConfiguration(unixSocketPath: server.socketPath))
/// ```
///
/// The folder and the process go away with ``stop()``. The server persists
/// nothing unless asked to (`appendonly`), and listens on TCP only when a
/// port is given.
public final class LocalRedisServer: Sendable {
    /// The folder holding the socket, the configuration and any data files.
    public let directory: URL
    /// The unix socket path the server listens on.
    public let socketPath: String
    /// The TCP port on 127.0.0.1, if the server listens on one.
    public let port: Int?
    private let settings: [String]
    /// Guards `pid`. An NSLock rather than a `Mutex`, which ThreadSanitizer
    /// cannot see through on Linux (see `Locked` in Hiredis).
    private let lock = NSLock()
    /// The running process, if any; touched only under `lock`.
    nonisolated(unsafe) private var pid: pid_t?

    private func withProcess<Result>(_ body: (inout pid_t?) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&pid)
    }

    /// Why a server could not start.
    public struct LaunchError: Error, CustomStringConvertible {
        public let description: String
    }

    private init(directory: URL, port: Int?, settings: [String]) {
        self.directory = directory
        self.socketPath = directory.appendingPathComponent("redis.sock").path
        self.port = port
        self.settings = settings
    }

    /// Starts a server and waits until it answers.
    ///
    /// - Parameters:
    ///   - port: a TCP port on 127.0.0.1 to listen on as well; nil for none.
    ///   - settings: extra configuration lines, such as `"requirepass secret"`.
    /// - Throws: ``LaunchError`` when `redis-server` is not installed or does not start.
    public static func start(port: Int? = nil, settings: [String] = []) async throws
        -> LocalRedisServer
    {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("redis-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = LocalRedisServer(directory: directory, port: port, settings: settings)
        do {
            try await server.launch()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// Starts a server that also listens on a free TCP port of 127.0.0.1.
    ///
    /// A port found free can be taken by another process before the server
    /// binds it, so a failed start is retried on another port a few times.
    ///
    /// - Parameter settings: extra configuration lines; `{port}` in a line
    ///   is replaced with a second free port (a cluster bus port, say).
    public static func startOnFreePort(settings: [String] = []) async throws -> LocalRedisServer {
        var failure: (any Error)?
        for _ in 0..<5 {
            let extraPort = freePort()
            let lines = settings.map { $0.replacingOccurrences(of: "{port}", with: "\(extraPort)") }
            do {
                return try await start(port: freePort(), settings: lines)
            } catch {
                failure = error
            }
        }
        throw failure ?? LaunchError(description: "redis-server did not start on a free port.")
    }

    /// A free TCP port on 127.0.0.1, as the kernel hands them out.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(fd, pointer, length)
                return getsockname(fd, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private var configurationText: String {
        var lines = [
            "unixsocket \(socketPath)",
            "unixsocketperm 700",
            "port \(port ?? 0)",
            "bind 127.0.0.1",
            "dir \(directory.path)",
            "save \"\"",
            "appendonly no",
            "daemonize no",
            "logfile \(directory.appendingPathComponent("redis.log").path)",
        ]
        lines += settings
        return lines.joined(separator: "\n") + "\n"
    }

    private func launch() async throws {
        guard let executable = Self.findExecutable() else {
            throw LaunchError(
                description: "redis-server is not installed. Install it with "
                    + "`sudo apt-get install redis-server` (Debian, Ubuntu) or "
                    + "`brew install redis` (macOS), or run `make demo`, which installs it.")
        }
        let configuration = directory.appendingPathComponent("redis.conf")
        try configurationText.write(to: configuration, atomically: true, encoding: .utf8)
        let pid = try Self.spawn(executable.path, arguments: [configuration.path])
        withProcess { $0 = pid }

        // Ready once the socket accepts a connection.
        for _ in 0..<500 {
            if Self.canConnect(to: socketPath) { return }
            guard isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let logFile = directory.appendingPathComponent("redis.log")
        let log = try? String(contentsOf: logFile, encoding: .utf8)
        throw LaunchError(
            description: "redis-server did not start: "
                + (log?.split(separator: "\n").suffix(3).joined(separator: " | ") ?? "no log"))
    }

    private static func findExecutable() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/bin"]
        for folder in folders {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent("redis-server")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    private static func canConnect(to path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// Starts `path` with the default signal mask and dispositions.
    ///
    /// Foundation's `Process` hands the child the spawning thread's signal
    /// mask, and Dispatch threads block SIGTERM, so a server started that
    /// way ignores it. posix_spawn with an explicit empty mask does not.
    private static func spawn(_ path: String, arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw LaunchError(
                description: "Cannot start \(path): \(String(cString: strerror(result))).")
        }
        return pid
    }

    /// Whether the server process is running.
    public var isRunning: Bool {
        withProcess { pid in
            guard let current = pid else { return false }
            var status: Int32 = 0
            if waitpid(current, &status, WNOHANG) == current {
                pid = nil
                return false
            }
            return true
        }
    }

    /// The server's process id, while it runs.
    public var processIdentifier: Int32? {
        isRunning ? withProcess { $0 } : nil
    }

    /// Stops the process (SIGTERM, or SIGKILL when `hard`) and waits for it to exit,
    /// keeping the folder so that ``restart()`` can bring it back on the same socket.
    public func halt(hard: Bool = false) {
        let pid = withProcess { current -> pid_t? in
            defer { current = nil }
            return current
        }
        guard let pid else { return }
        kill(pid, hard ? SIGKILL : SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    /// Starts the server again on the same socket, port and folder.
    public func restart() async throws {
        halt()
        try? FileManager.default.removeItem(atPath: socketPath)
        try await launch()
    }

    /// Stops the server and removes its folder. Calling it again does nothing.
    public func stop() {
        halt()
        try? FileManager.default.removeItem(at: directory)
    }
}
