import Foundation

/// What a finished child process left behind.
struct SubprocessOutcome {
    /// Everything the child wrote to its standard output.
    var standardOutput: String
    /// The exit status, or 128 + the signal number when a signal ended it.
    var status: Int32
    /// User plus system CPU time of the child, from `wait4`.
    var cpuSeconds: Double
}

/// Runs peer programs (the raw-hiredis peer, redis-benchmark) to completion.
///
/// `posix_spawn` and `wait4` rather than Foundation's `Process`: `wait4`
/// reports the child's own CPU time, which `Process` does not expose, and an
/// explicit empty signal mask keeps the child from inheriting the blocked
/// signals of the Dispatch thread that spawns it.
enum Subprocess {
    /// Starts `path` with `arguments`, waits for it to exit and returns its output.
    ///
    /// The child's standard error goes to ours, so its complaints show up in
    /// the run's log. The call blocks its thread while the child runs, which
    /// is what a benchmark that runs one thing at a time wants.
    ///
    /// - Throws: ``BenchError`` when the program cannot be started.
    static func run(_ path: String, _ arguments: [String]) throws -> SubprocessOutcome {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            throw BenchError("Cannot create a pipe: \(String(cString: strerror(errno))).")
        }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            throw BenchError("Cannot start \(path): \(String(cString: strerror(spawned))).")
        }

        let output = readAll(from: readEnd)
        close(readEnd)

        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return SubprocessOutcome(
            standardOutput: String(decoding: output, as: UTF8.self),
            status: exitStatus,
            cpuSeconds: usage.ru_utime.seconds + usage.ru_stime.seconds
        )
    }

    private static func readAll(from descriptor: Int32) -> [UInt8] {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                output += chunk[0..<count]
            } else if count == 0 || errno != EINTR {
                return output
            }
        }
    }

    /// The full path of `name` in `PATH`, or nil when it is not installed.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") + ["/usr/local/bin", "/usr/bin"] {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

extension timeval {
    /// The time as seconds.
    var seconds: Double { Double(tv_sec) + Double(tv_usec) / 1e6 }
}
