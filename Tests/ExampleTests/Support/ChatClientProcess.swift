import Foundation
import Hiredis
import Synchronization

/// A `chat` process with a pipe on each standard stream: lines go in
/// through ``send(_:)``, and what it prints is recorded for the test to
/// wait on. Use it from one task; ``kill()`` it on the way out.
final class ChatClientProcess {
    /// The name the test gave it, for failure messages.
    let name: String
    private let process = Process()
    private let input = Pipe()
    private let output: StreamRecorder
    private let errors: StreamRecorder

    /// What the tests wait for at most, generous for a loaded machine.
    static let patience = Duration.seconds(60)

    /// The `chat` executable: `CHAT_EXECUTABLE` when set, else the one built
    /// beside the test bundle (both are products of the same build).
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["CHAT_EXECUTABLE"] {
            return URL(fileURLWithPath: path)
        }
        if let beside = Bundle.main.executableURL?.deletingLastPathComponent()
            .appendingPathComponent("chat"),
            FileManager.default.isExecutableFile(atPath: beside.path)
        {
            return beside
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/chat")
    }()

    /// Starts `chat` with `arguments`.
    init(_ name: String, arguments: [String]) throws {
        // A client that died must fail the test, not kill the test runner
        // with SIGPIPE when the test writes to its standard input.
        signal(SIGPIPE, SIG_IGN)

        self.name = name
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        output = StreamRecorder(outputPipe)
        errors = StreamRecorder(errorPipe)
        try process.run()
    }

    /// Starts `chat --user user --room room --url url`, with `--json` if asked.
    convenience init(user: String, room: String, url: String, json: Bool = true) throws {
        try self.init(
            user,
            arguments: ["--user", user, "--room", room, "--url", url] + (json ? ["--json"] : []))
    }

    /// The complete lines printed on standard output so far.
    var outputLines: [String] { output.lines }

    /// The complete lines printed on standard error so far.
    var errorLines: [String] { errors.lines }

    /// Types a line.
    func send(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        let descriptor = input.fileHandleForWriting.fileDescriptor
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                write(descriptor, $0.baseAddress, $0.count)
            }
            if written <= 0 && errno != EINTR { return }  // It exited; the waits will say so.
            offset += max(written, 0)
        }
    }

    /// Ends its standard input, as Ctrl-D or the end of a pipe does.
    func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    /// Waits until standard output satisfies `condition`.
    ///
    /// - Throws: when it does not within ``patience``, or the process exits
    ///   first; the error shows what it printed.
    func waitForOutput(
        _ what: String, until condition: ([String]) -> Bool
    ) async throws {
        try await wait(for: "\(what) on stdout") { condition(outputLines) }
    }

    /// Waits until a line on standard error contains `text`.
    func waitForError(containing text: String) async throws {
        try await wait(for: "'\(text)' on stderr") {
            errorLines.contains { $0.contains(text) }
        }
    }

    /// Waits for the process to exit, and returns its exit status.
    func waitForExit(within limit: Duration = patience) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                throw ClientFailure("\(name) did not exit within \(limit)\(transcript)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Kills the process if it still runs; for the way out of a failed test.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    private func wait(for what: String, until satisfied: () -> Bool) async throws {
        let deadline = ContinuousClock.now + Self.patience
        while !satisfied() {
            guard process.isRunning else {
                // It may have printed it just before exiting.
                try await Task.sleep(for: .milliseconds(100))
                if satisfied() { return }
                throw ClientFailure("\(name) exited before printing \(what)\(transcript)")
            }
            guard ContinuousClock.now < deadline else {
                throw ClientFailure("\(name) did not print \(what) in time\(transcript)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private var transcript: String {
        "\n--- stdout:\n" + outputLines.joined(separator: "\n") + "\n--- stderr:\n"
            + errorLines.joined(separator: "\n")
    }
}

/// Why a client did not do what the test waited for.
struct ClientFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Reads a pipe on a thread of its own until its end, keeping every byte.
private final class StreamRecorder: Sendable {
    private let bytes = Locked<[UInt8]>([])

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        let descriptor = handle.fileDescriptor
        Thread { [self] in
            // The handle owns the descriptor; keep it open until the end.
            withExtendedLifetime(handle) {
                var chunk = [UInt8](repeating: 0, count: 64 * 1024)
                while true {
                    let count = chunk.withUnsafeMutableBytes {
                        read(descriptor, $0.baseAddress, $0.count)
                    }
                    if count > 0 {
                        bytes.withLock { $0 += chunk[..<count] }
                    } else if count < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }.start()
    }

    /// The complete lines so far, without their line breaks.
    var lines: [String] {
        let text = bytes.withLock { String(decoding: $0, as: UTF8.self) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // After the last line break: empty, or a line not finished yet.
        return lines
    }
}
