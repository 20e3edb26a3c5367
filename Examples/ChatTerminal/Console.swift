import Foundation
import Hiredis
import Synchronization

/// Where the client writes: events to standard output, errors to standard
/// error, and notices (what a command answers, what the client is doing) to
/// standard output for a person or to standard error with `--json`, so that
/// standard output then carries nothing but events.
///
/// Each line goes out in one piece under a lock, with write(2) rather than
/// buffered stdio, so lines from the event tasks and the command loop never
/// mix and nothing waits in a buffer when the process exits.
final class Console: Sendable {
    /// Whether events are printed as their wire JSON.
    let isJSON: Bool
    private let lock = NSLock()

    init(json: Bool) {
        self.isJSON = json
    }

    /// Writes a line to standard output.
    func output(_ line: String) {
        write(Array(line.utf8), to: STDOUT_FILENO)
    }

    /// Writes bytes and a line break to standard output.
    func output(_ bytes: [UInt8]) {
        write(bytes, to: STDOUT_FILENO)
    }

    /// Writes what a command answers or what the client is doing.
    func notice(_ line: String) {
        write(Array(line.utf8), to: isJSON ? STDERR_FILENO : STDOUT_FILENO)
    }

    /// Writes a problem, as one line starting with `chat: `.
    func error(_ message: String) {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        write(Array("chat: \(oneLine)".utf8), to: STDERR_FILENO)
    }

    private func write(_ bytes: [UInt8], to descriptor: Int32) {
        lock.withLock {
            (bytes + [UInt8(ascii: "\n")]).withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(
                        descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // Nobody reads any more; there is no one to tell.
                    }
                }
            }
        }
    }
}
