import Chat
import ExampleSupport
import Foundation
import Hiredis

/// The chat service in a few seconds: two users, a room, typing, messages,
/// presence and a direct message, each event printed as the live
/// subscriber receives it, then both histories.
@main
struct ChatDemo {
    static let options = [
        CommandLineOptions.Option(
            "url", short: "u", value: true,
            help: "Redis to use (redis://host:port/db or unix:///path); default: a private one"),
        CommandLineOptions.Option("help", short: "h", value: false, help: "show this help"),
    ]

    static func main() async {
        let arguments: CommandLineOptions
        do {
            arguments = try CommandLineOptions(CommandLine.arguments, options: options)
        } catch {
            printError("chat-demo: \(error)")
            printError(CommandLineOptions.usage("chat-demo [--url URL]", options))
            exit(2)
        }
        if arguments.has("help") {
            print(CommandLineOptions.usage("chat-demo [--url URL]", options), terminator: "")
            return
        }

        let server: ExampleServer
        do {
            server = try await ExampleServer.resolve(url: arguments["url"])
        } catch {
            printError("chat-demo: \(error)")
            exit(1)
        }
        do {
            try await run(on: server)
            server.shutdown()
        } catch {
            printError("chat-demo: \(error)")
            server.shutdown()
            exit(1)
        }
    }

    static func run(on server: ExampleServer) async throws {
        if let local = server.local {
            print("Using a private redis-server on \(local.socketPath)")
        } else {
            print("Using Redis at \(server.configuration)")
        }
        let chat = try await ChatService.connect(server.configuration)
        let live = try await ChatSubscriber.connect(server.configuration, service: chat)

        let alice = try await findOrCreateUser(chat, named: "Alice")
        let bob = try await findOrCreateUser(chat, named: "Bob")
        let room = try await findOrCreateRoom(chat, named: "General")
        print("Users: Alice (\(alice.id)), Bob (\(bob.id))")
        print("Room: #\(room.name) — \(room.description ?? "")")
        let printer = EventPrinter(names: [alice.id: "Alice", bob.id: "Bob"], rooms: [room])

        // Subscribe first, so that every step below shows up as an event.
        let events = try await printer.merge(
            live.events(inRoom: room.id), try await live.directMessages(forUser: alice.id))
        print("\nLive events:")

        if try await chat.join(userID: alice.id, roomID: room.id) { await events.show(1) }
        if try await chat.join(userID: bob.id, roomID: room.id) { await events.show(1) }

        try await chat.startTyping(userID: alice.id, roomID: room.id)
        await events.show(1)
        _ = try await chat.send("Hello, everyone!", to: room.id, from: alice.id)
        await events.show(1)

        try await chat.startTyping(userID: bob.id, roomID: room.id)
        await events.show(1)
        _ = try await chat.send("Hi Alice! Good to see you here.", to: room.id, from: bob.id)
        await events.show(1)

        let rooms = try await chat.setStatus(.away, forUser: alice.id)
        if rooms > 0 { await events.show(1) }

        _ = try await chat.sendDirectMessage(
            "Lunch at noon? Just the two of us.", from: bob.id, to: alice.id)
        await events.show(1)

        print("\nHistory of #\(room.name):")
        for message in try await chat.latestMessages(in: room.id, limit: 10) {
            print("  " + printer.line(for: message))
        }
        print("\nDirect messages between Alice and Bob:")
        for message in try await chat.latestDirectMessages(between: alice.id, and: bob.id) {
            print("  " + printer.line(for: message))
        }
        if live.undecodableEventCount > 0 {
            print("\n\(live.undecodableEventCount) published payloads were not chat events.")
        }

        await live.close()
        await chat.connection.close()
    }

    /// The user with this name, created when new (so the demo can run again
    /// against the same server).
    static func findOrCreateUser(_ chat: ChatService, named name: String) async throws -> User {
        if let user = try await chat.user(named: name) { return user }
        return try await chat.createUser(named: name)
    }

    /// The room with this name, created when new.
    static func findOrCreateRoom(_ chat: ChatService, named name: String) async throws -> Room {
        if let room = try await chat.room(named: name) { return room }
        return try await chat.createRoom(named: name, description: "General discussion")
    }
}
