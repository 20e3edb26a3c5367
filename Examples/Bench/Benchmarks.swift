import Foundation
import Hiredis
import RedisServerLauncher

/// `bench`: measures the Hiredis client against raw hiredis and
/// redis-benchmark, its pub/sub against a raw-hiredis subscriber, and the
/// chat service against the tutorial's history reads, on a private
/// redis-server, in the same run; it prints one table (standard output) and
/// the same figures as JSON.
///
/// ```
/// swift build -c release --product bench && swift build -c release --product hiredis-peer
/// .build/release/bench --idle default --repetitions 5
/// ```
///
/// Progress goes to standard error. See BENCHMARKS.md for a reading of the
/// figures.
@main
struct Benchmarks {
    /// The sections, in the order they run and print.
    static let sections: [any BenchSection] = [ClientSection(), PubSubSection(), ChatSection()]

    /// Runs the benchmark from a detached task while the main thread waits.
    ///
    /// Not an `async` main: that parks the main thread in libdispatch's
    /// `sigsuspend` with a read-only mask, which Valgrind 3.19 (Debian 12)
    /// writes to and crashes on, and callgrind is how this benchmark is
    /// profiled. A detached task also keeps the main actor out of the way.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--help") || arguments.contains("-h") {
            print(BenchOptions.usage)
            return
        }
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await run(options: BenchOptions(arguments: arguments))
            } catch {
                FileHandle.standardError.write(Data("bench: \(error)\n".utf8))
                exit(1)
            }
            finished.signal()
        }
        finished.wait()
    }

    private static func run(options: BenchOptions) async throws {
        let date = Date()
        let loadAtStart = ResultFile.loadAverage()
        // A run without peers (profiling) never starts them, so they need not exist.
        let hiredisPeer = HiredisPeer(path: options.runsPeers ? try locateHiredisPeer(options) : "")
        let redisBenchmark = RedisBenchmark(
            path: options.runsPeers ? try locateRedisBenchmark() : "")

        let server = try await LocalRedisServer.start(port: LocalRedisServer.freePort())
        defer { server.stop() }
        var transports: [Transport] = []
        for name in options.transports {
            switch name {
            case "unix": transports.append(.unix(path: server.socketPath))
            case "tcp": transports.append(.tcp(port: server.port!))
            default: throw BenchError("--transports takes unix and tcp, not \(name).")
            }
        }
        let redisVersion = try await serverVersion(
            transports.first ?? .unix(path: server.socketPath))

        // Each section runs in every idle mode before the next one starts, so
        // that both idle modes of a section see the process in the same state.
        // The pub/sub section leaves a couple of hundred idle libdispatch
        // threads behind (a subscriber's queue may get a thread of its own),
        // and client rows measured after it came out slower.
        let selected = sections.filter { $0.isSelected(by: options) }
        var comparisons: [Comparison] = []
        var idleRuns: [ResultFile.IdleRun] = []
        for section in selected {
            for idleMode in options.idleModes {
                let hold = try idleMode.enter()
                if !idleRuns.contains(where: { $0.idleMode == idleMode }) {
                    idleRuns.append(
                        ResultFile.IdleRun(
                            idleMode: idleMode, cpuDMALatency: IdleMode.effectiveSetting()))
                }
                let context = BenchContext(
                    options: options, transports: transports, hiredisPeer: hiredisPeer,
                    redisBenchmark: redisBenchmark, idleMode: idleMode)
                comparisons += try await section.run(in: context)
                hold.release()
            }
        }

        let heading =
            ["medians of \(options.repetitions) repetitions; each peer ran in the same ones."]
            + selected.flatMap { $0.describe(options) }
        let table = ResultTable(
            comparisons: comparisons, executors: options.executors, heading: heading,
            legend: selected.flatMap(\.legend))
        print(table.text)
        let file = ResultFile(
            date: ISO8601DateFormatter().string(from: date),
            machine: ResultFile.machine(loadAverageAtStart: loadAtStart),
            redisVersion: redisVersion,
            repetitions: options.repetitions,
            valueSize: options.valueSize,
            workloads: heading,
            sequentialOperations: options.sequentialOperations,
            concurrentOperations: options.concurrentOperations,
            pipelineOperations: options.pipelineOperations,
            fanOutDeliveries: options.fanOutDeliveries,
            latencyRate: options.latencyRate,
            latencyMessages: options.latencyMessages,
            chatSequentialSends: options.chatSequentialSends,
            chatConcurrentSends: options.chatConcurrentSends,
            historyPages: options.historyPages,
            tutorialHistoryPages: options.tutorialHistoryPages,
            idleRuns: idleRuns,
            comparisons: comparisons)
        try file.write(to: options.jsonPath)
        print("")
        print("machine: \(file.machine.cpus) CPUs, \(file.machine.cpuModel); redis \(redisVersion)")
        print(
            "load average: \(file.machine.loadAverageAtStart) at start, "
                + "\(file.machine.loadAverageAtEnd) at end")
        for run in idleRuns {
            print("idle mode \(run.idleMode.rawValue): /dev/cpu_dma_latency \(run.cpuDMALatency)")
        }
        print("figures written to \(options.jsonPath)")
    }

    /// The raw-hiredis peer: given, or built beside this executable.
    private static func locateHiredisPeer(_ options: BenchOptions) throws -> String {
        if let path = options.hiredisPeerPath { return path }
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let path = URL(fileURLWithPath: executable).deletingLastPathComponent()
            .appendingPathComponent("hiredis-peer").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchError(
                "The raw-hiredis peer is not at \(path); build it with "
                    + "`swift build -c release --product hiredis-peer` (make bench does).")
        }
        return path
    }

    private static func locateRedisBenchmark() throws -> String {
        guard let path = Subprocess.find("redis-benchmark") else {
            throw BenchError(
                "redis-benchmark is not installed; install redis-tools (make deps does).")
        }
        return path
    }

    private static func serverVersion(_ transport: Transport) async throws -> String {
        let connection = try await RedisConnection.connect(transport.configuration)
        let info = try await connection.send("INFO", "server").decode(as: String.self)
        await connection.close()
        let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("redis_version:") }
        return line.map { String($0.dropFirst("redis_version:".count)) } ?? "unknown"
    }
}
