import Chat
import Dispatch
import ExampleSupport
import Foundation
import Hiredis
import Synchronization

/// `chat`: an interactive chat client for a terminal or a script.
///
/// It connects (to `--url`, `REDIS_URL` or a private server), becomes the
/// user `--user` and joins the room `--room`, creating either when the
/// name is new, shows the room's last 20 messages, then live events while
/// it sends each line read from standard input. It exits 0 at the end of
/// input or on `/quit`, 1 when it cannot connect or go on, 2 for a wrong
/// command line, 130 on Ctrl-C.
@main
enum ChatProgram {
    static func main() async {
        exit(await run(CommandLine.arguments))
    }

    /// How long connecting may take before the client gives up.
    static let connectTimeout = Duration.seconds(3)

    static func run(_ arguments: [String]) async -> Int32 {
        let options: TerminalOptions
        do {
            guard let parsed = try TerminalOptions.parse(arguments) else {
                Console(json: false).output(TerminalOptions.help)
                return 0
            }
            options = parsed
        } catch {
            printError("chat: \(error)")
            printError("usage: \(TerminalOptions.synopsis) (chat --help says more)")
            return 2
        }
        let console = Console(json: options.json)

        let server: ExampleServer
        do {
            server = try await ExampleServer.resolve(url: options.url)
        } catch {
            console.error("\(error)")
            return 1
        }
        defer { server.shutdown() }
        var redis = server.configuration
        redis.connectTimeout = connectTimeout
        if let local = server.local {
            console.notice(
                "Started a private redis-server, which stops when this client ends; "
                    + "another client can join with --url unix://\(local.socketPath)")
        }

        let (inputs, continuation) = AsyncStream<SessionInput>.makeStream()
        // With a private server, ExampleServer already stops it and exits on
        // Ctrl-C; going offline on a server that goes away would be moot.
        let signalSources = server.local == nil ? forwardInterrupts(to: continuation) : []
        defer { withExtendedLifetime(signalSources) {} }

        let session: ChatSession
        do {
            session = try await ChatSession.open(
                redis, userName: options.user, console: console, inputs: continuation)
        } catch let error as RedisError {
            console.error("connecting to \(redis.endpoint) failed: \(error.message)")
            return 1
        } catch {
            console.error(describe(error))
            return 1
        }
        do {
            try await session.join(roomNamed: options.room)
        } catch {
            console.error(error.message)
            await close(session)
            return 1
        }

        if isatty(STDIN_FILENO) == 1 {
            console.notice("Type a line and press Enter to send it; /help lists the commands.")
        }
        SessionInput.readStandardInput(into: continuation)
        let status = await runCommands(from: inputs, in: session, console: console)
        await close(session)
        return status
    }

    /// Runs each line in turn until the input ends or something stops the session.
    private static func runCommands(
        from inputs: AsyncStream<SessionInput>, in session: ChatSession, console: Console
    ) async -> Int32 {
        for await input in inputs {
            switch input {
            case .line(let line):
                guard await session.handle(line) == .quit else { continue }
                await session.settle()
                return 0
            case .endOfInput:
                await session.settle()
                return 0
            case .interrupted:
                return 130
            case .failed(let reason):
                console.error(reason)
                return 1
            }
        }
        return 0
    }

    /// Closes the session, giving up after a few seconds so that a server
    /// that stopped answering cannot hold the client open.
    private static func close(_ session: ChatSession) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await session.close() }
            group.addTask { try? await Task.sleep(for: .seconds(5)) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Turns SIGINT and SIGTERM into ``SessionInput/interrupted``, so the
    /// client signs off before it exits; a second one exits at once.
    ///
    /// - Returns: the signal sources, to keep for as long as they should work.
    private static func forwardInterrupts(
        to continuation: AsyncStream<SessionInput>.Continuation
    ) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if interruptCount.add(1, ordering: .relaxed).newValue > 1 { exit(128 + number) }
                continuation.yield(.interrupted)
            }
            source.resume()
            return source
        }
    }

    private static let interruptCount = Atomic(0)

    /// One line for an error from connecting or from the service.
    private static func describe(_ error: any Error) -> String {
        switch error {
        case let error as ChatError: error.message
        case let error as RedisError: error.description
        default: "\(error)"
        }
    }
}
