import ExampleSupport
import Foundation

/// The chaos soak: simulated users talk on a private redis-server while it
/// is killed and restarted and a subscriber's connection is cut, then every
/// send and every delivery is checked against the stored history. Exits 0
/// when nothing was lost or duplicated, 1 when something was, 2 on a usage
/// mistake and 3 when the run did not end in time.
@main
struct ChatSoak {
    static let options = [
        CommandLineOptions.Option(
            "seconds", short: "s", value: true,
            help: "how long the users talk, 10 to 3600 (default 100)"),
        CommandLineOptions.Option("help", short: "h", value: false, help: "show this help"),
    ]
    static let synopsis = "chat-soak [--seconds N]"

    static func main() async {
        let arguments: CommandLineOptions
        do {
            arguments = try CommandLineOptions(CommandLine.arguments, options: options)
        } catch {
            usageError("\(error)")
        }
        if arguments.has("help") {
            say(CommandLineOptions.usage(synopsis, options), terminator: "")
            return
        }
        let seconds = Int(arguments["seconds"] ?? "100") ?? -1
        guard (10...3600).contains(seconds) else {
            usageError("--seconds takes a whole number from 10 to 3600")
        }

        let server: ExampleServer
        do {
            server = try await ExampleServer.startPrivate(settings: SoakRun.serverSettings)
        } catch {
            printError("chat-soak: \(error)")
            exit(1)
        }
        guard let local = server.local else { exit(1) }

        // Every step is bounded on its own; this is the backstop should one hang.
        let limit = Duration.seconds(seconds + 150)
        let watchdog = Task.detached {
            try await Task.sleep(for: limit)
            printError("chat-soak: the run did not end within \(limit); stopping it")
            server.shutdown()
            exit(3)
        }

        let passed: Bool
        do {
            passed = try await SoakRun(server: local, seconds: seconds).execute()
        } catch {
            printError("chat-soak: \(error)")
            server.shutdown()
            exit(1)
        }
        watchdog.cancel()
        server.shutdown()
        exit(passed ? 0 : 1)
    }

    static func usageError(_ problem: String) -> Never {
        printError("chat-soak: \(problem)")
        printError(CommandLineOptions.usage(synopsis, options))
        exit(2)
    }
}

/// Writes a line to standard output at once, unbuffered, so that progress
/// shows as it happens through a pipe as well.
func say(_ line: String, terminator: String = "\n") {
    FileHandle.standardOutput.write(Data((line + terminator).utf8))
}
