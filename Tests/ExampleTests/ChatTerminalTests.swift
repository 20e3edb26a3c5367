import Chat
import Foundation
import RedisTestSupport
import Testing

/// The `chat` executable run as processes against one private server, fed
/// through pipes as a script would. Each test waits for what it expects
/// to be printed, never for a time.
@Suite(.redisServer) struct ChatTerminalTests {
    @Test func aMessageTypedInOneClientAppearsOnceAsWireJSONInTheOtherAndDMsOnlyAtTheirTarget()
        async throws
    {
        let url = try serverURL()
        let room = unique("lobby")
        let (aliceName, bobName, carolName) = (unique("alice"), unique("bob"), unique("carol"))
        let alice = try ChatClientProcess(user: aliceName, room: room, url: url)
        defer { alice.kill() }
        try await alice.waitForError(containing: "Talking in #")
        let bob = try ChatClientProcess(user: bobName, room: room, url: url)
        defer { bob.kill() }
        try await bob.waitForError(containing: "Talking in #")
        let carol = try ChatClientProcess(user: carolName, room: room, url: url)
        defer { carol.kill() }
        try await carol.waitForError(containing: "Talking in #")

        alice.send("Hello from Alice")
        bob.send("Hello from Bob")
        try await bob.waitForOutput("Alice's message") { hasMessage("Hello from Alice", $0) }
        try await alice.waitForOutput("Bob's message") { hasMessage("Hello from Bob", $0) }

        alice.send("/dm \(bobName) psst, Bob")
        try await bob.waitForOutput("the direct message") { hasMessage("psst, Bob", $0) }
        // Published after the direct message: once Carol has it, she would
        // have had the direct message too, were it sent to her.
        alice.send("after the secret")
        try await carol.waitForOutput("the later message") { hasMessage("after the secret", $0) }

        for client in [alice, bob, carol] { client.closeInput() }
        for client in [alice, bob, carol] { #expect(try await client.waitForExit() == 0) }

        for client in [alice, bob, carol] {
            for line in client.outputLines {
                let event = try ChatEvent(json: Data(line.utf8))
                #expect(event.jsonBytes == Array(line.utf8), "not the wire form: \(line)")
            }
        }
        let fromAlice = try messageLines(of: "Hello from Alice", in: bob.outputLines)
        #expect(fromAlice.count == 1)
        #expect(fromAlice == (try messageLines(of: "Hello from Alice", in: alice.outputLines)))
        #expect(try messageLines(of: "Hello from Bob", in: alice.outputLines).count == 1)

        let direct = try messageLines(of: "psst, Bob", in: bob.outputLines)
        #expect(direct.count == 1)
        let message = try #require(try messages(in: direct).first)
        #expect(message.roomID.hasPrefix("dm:"))
        #expect(try messageLines(of: "psst, Bob", in: carol.outputLines).isEmpty)
        #expect(try messageLines(of: "after the secret", in: carol.outputLines).count == 1)
    }

    @Test func aClientThatJoinsLateShowsTheLast20MessagesOnceThenLiveOnes() async throws {
        let url = try serverURL()
        let room = unique("hall")
        let alice = try ChatClientProcess(user: unique("alice"), room: room, url: url)
        defer { alice.kill() }
        try await alice.waitForError(containing: "Talking in #")
        for number in 1...25 { alice.send("message \(number)") }
        try await alice.waitForOutput("her last message") { hasMessage("message 25", $0) }

        let bob = try ChatClientProcess(user: unique("bob"), room: room, url: url)
        defer { bob.kill() }
        try await bob.waitForError(containing: "Talking in #")
        alice.send("live")
        try await bob.waitForOutput("the live message") { hasMessage("live", $0) }
        alice.closeInput()
        bob.closeInput()
        #expect(try await alice.waitForExit() == 0)
        #expect(try await bob.waitForExit() == 0)

        let seen = try messages(in: bob.outputLines)
        #expect(seen.map(\.content) == (6...25).map { "message \($0)" } + ["live"])
        #expect(seen.map(\.seq) == (6...26).map { $0 })
    }

    @Test func anUnreachableServerEndsTheClientWithinSecondsWithOneLine() async throws {
        let started = ContinuousClock.now
        let client = try ChatClientProcess(
            user: unique("nobody"), room: unique("nowhere"), url: "redis://127.0.0.1:1")
        defer { client.kill() }

        let status = try await client.waitForExit(within: .seconds(30))

        // The client gives up after a 3 s connect timeout; the rest is
        // margin for a loaded machine or a sanitizer build.
        #expect(status != 0)
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(client.outputLines.isEmpty)
        let errors = client.errorLines.filter { !$0.isEmpty }
        #expect(errors.count == 1)
        #expect(errors.first?.contains("127.0.0.1:1") == true)
    }

    @Test func aRefusedRoomNameOrMessageIsReportedAndTheClientGoesOn() async throws {
        let room = unique("plaza")
        let client = try ChatClientProcess(user: unique("dora"), room: room, url: try serverURL())
        defer { client.kill() }
        try await client.waitForError(containing: "Talking in #")

        client.send("/join bad\u{1}room")
        try await client.waitForError(containing: "contains a control character")
        client.send("/join " + String(repeating: "r", count: 65))
        try await client.waitForError(containing: "65 characters")
        client.send(String(repeating: "x", count: 16 * 1024 + 1))
        try await client.waitForError(containing: "16385 bytes")
        client.send("still here")
        try await client.waitForOutput("the later message") { hasMessage("still here", $0) }
        client.closeInput()

        #expect(try await client.waitForExit() == 0)
        #expect(client.errorLines.filter { $0.hasPrefix("chat: ") }.count == 3)
        let sent = try messages(in: client.outputLines)
        #expect(sent.map(\.content) == ["still here"])
        let chat = try await ChatService(connection: RedisServerTrait.connect())
        #expect(sent.first?.roomID == (try await chat.room(named: room))?.id)
    }

    @Test func aPersonSeesNamesTimesAndPresenceInPlainLines() async throws {
        let url = try serverURL()
        let room = unique("garden")
        let (aliceName, bobName) = (unique("alice"), unique("bob"))
        let alice = try ChatClientProcess(user: aliceName, room: room, url: url)
        defer { alice.kill() }
        try await alice.waitForError(containing: "Talking in #")
        let bob = try ChatClientProcess(user: bobName, room: room, url: url, json: false)
        defer { bob.kill() }
        try await bob.waitForOutput("the greeting") { $0.contains { $0.hasPrefix("Talking in #") } }

        alice.send("/typing")
        alice.send("Hi \u{1B}[31mBob")
        alice.send("/away")
        try await bob.waitForOutput("the status") { $0.contains { $0.hasSuffix("is now away") } }
        bob.send("/who")
        try await bob.waitForOutput("the members") { $0.contains { $0.hasSuffix("  away") } }
        alice.closeInput()
        bob.closeInput()
        #expect(try await alice.waitForExit() == 0)
        #expect(try await bob.waitForExit() == 0)

        let clock = #/^\d\d:\d\d:\d\d /#
        let seen = bob.outputLines
        for (suffix, text) in [
            ("is typing...", "\(aliceName) is typing..."),
            ("^[[31mBob", "\(aliceName): Hi ^[[31mBob"),
            ("is now away", "\(aliceName) is now away"),
        ] {
            let line = try #require(seen.first { $0.hasSuffix(suffix) }, "no '\(suffix)' line")
            #expect(line.prefixMatch(of: clock) != nil)
            #expect(line.hasSuffix("#\(room) \(text)"))
        }
        #expect(seen.contains { $0.hasPrefix("  \(aliceName) ") && $0.hasSuffix("  away") })
        #expect(seen.contains { $0.hasPrefix("  \(bobName) ") && $0.hasSuffix("  online") })
        #expect(!seen.joined().contains("\u{1B}"))
    }

    private func serverURL() throws -> String {
        "unix://" + (try RedisServerTrait.server.socketPath)
    }
}

/// A name no other test uses, since the tests of a suite share a server.
private func unique(_ base: String) -> String {
    "\(base)-\(UInt32.random(in: 0...UInt32.max))"
}

/// The Message events among JSON lines.
private func messages(in lines: [String]) throws -> [Message] {
    try lines.compactMap { line in
        guard case .message(let message) = try ChatEvent(json: Data(line.utf8)) else { return nil }
        return message
    }
}

/// The JSON lines of the messages whose content is `content`.
private func messageLines(of content: String, in lines: [String]) throws -> [String] {
    try lines.filter { line in
        guard case .message(let message) = try ChatEvent(json: Data(line.utf8)) else {
            return false
        }
        return message.content == content
    }
}

/// Whether one of the JSON lines is a message with the content; lines not
/// finished or not JSON do not count.
private func hasMessage(_ content: String, _ lines: [String]) -> Bool {
    (try? messageLines(of: content, in: lines).isEmpty == false) ?? false
}
