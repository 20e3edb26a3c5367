import Dispatch
import Foundation
import Hiredis
import RedisServerLauncher

/// The Redis server an example talks to: the one named by `--url` or
/// `REDIS_URL`, or else a private `redis-server` that the example starts on a
/// unix socket in a temporary folder and stops when it exits, Ctrl-C included.
public final class ExampleServer: Sendable {
    /// How to reach the server.
    public let configuration: RedisConfiguration
    /// The server started for this run, if no URL was given.
    public let local: LocalRedisServer?

    private init(configuration: RedisConfiguration, local: LocalRedisServer?) {
        self.configuration = configuration
        self.local = local
    }

    /// Picks the server: `url`, else `REDIS_URL`, else a private one.
    ///
    /// - Throws: an error whose description says what to fix (a bad URL,
    ///   redis-server not installed).
    public static func resolve(url: String?) async throws -> ExampleServer {
        if let url = url ?? ProcessInfo.processInfo.environment["REDIS_URL"], !url.isEmpty {
            return ExampleServer(configuration: try RedisConfiguration(url: url), local: nil)
        }
        return try await startPrivate()
    }

    /// Starts a private server whatever `--url` and `REDIS_URL` say, for an
    /// example that must own its server (to kill and restart it, say).
    ///
    /// - Parameter settings: extra configuration lines, such as `"appendonly yes"`.
    /// - Throws: an error whose description says what to fix.
    public static func startPrivate(settings: [String] = []) async throws -> ExampleServer {
        let local = try await LocalRedisServer.start(settings: settings)
        let server = ExampleServer(
            configuration: RedisConfiguration(unixSocketPath: local.socketPath), local: local)
        server.stopOnSignals()
        return server
    }

    /// Stops the private server, if one was started.
    public func shutdown() {
        local?.stop()
    }

    /// Stops the private server and exits on SIGINT and SIGTERM.
    private func stopOnSignals() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                shutdown()
                exit(128 + number)
            }
            source.resume()
            Self.signalSources.withLock { $0.append(source) }
        }
    }

    /// Keeps the signal sources alive for the life of the process.
    private static let signalSources = SignalSources()
}

/// The process's signal sources, kept so they are not released.
///
/// Sendable because every access goes through the lock.
final class SignalSources: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []

    func withLock(_ body: (inout [any DispatchSourceSignal]) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&sources)
    }
}

/// Writes a line to standard error.
public func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
