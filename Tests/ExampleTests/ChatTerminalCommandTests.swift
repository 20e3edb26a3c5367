import Chat
import Foundation
import Testing

@testable import ChatTerminal

@Suite struct ChatTerminalCommandTests {
    @Test func readsEachCommandAndSendsOtherLinesAsTheyAre() {
        #expect(Command(line: "hello there ") == .say("hello there "))
        #expect(Command(line: "//join is a word") == .say("/join is a word"))
        let greeting = Command.directMessage(to: "bob", text: "see you at noon")
        #expect(Command(line: "/dm bob  see you at noon") == greeting)
        #expect(Command(line: #"/dm "Mary Ann" hi"#) == .directMessage(to: "Mary Ann", text: "hi"))
        #expect(Command(line: "/join  Rust Fans ") == .join("Rust Fans"))
        #expect(Command(line: "/leave") == .leave)
        #expect(Command(line: "/who") == .who)
        #expect(Command(line: "/history") == .history(20))
        #expect(Command(line: "/history 5") == .history(5))
        #expect(Command(line: "/typing") == .typing)
        #expect(Command(line: "/away") == .status(.away))
        #expect(Command(line: "/online") == .status(.online))
        #expect(Command(line: "/help") == .help)
        #expect(Command(line: "/quit") == .quit)
        #expect(Command(line: " \t") == .nothing)
    }

    @Test func keepsControlCharactersForTheServiceToRefuse() {
        #expect(Command(line: "/join bad\u{1}room") == .join("bad\u{1}room"))
    }

    @Test func explainsACommandTypedWrong() {
        for line in [
            "/dm bob", "/dm", #"/dm "bob hi"#, "/join", "/history 0", "/history x",
            "/leave now", "/frobnicate",
        ] {
            guard case .mistake(let text) = Command(line: line) else {
                Issue.record("'\(line)' was not refused")
                continue
            }
            #expect(!text.isEmpty)
        }
    }

    @Test func showsControlCharactersInTextVisibly() {
        #expect(HumanFormat.printable("a\u{1B}[2Jb\u{7F}\u{9B}") == "a^[[2Jb^?\u{FFFD}")
        #expect(HumanFormat.printable("one\ntwo", indent: "  ") == "one\n  two")
        #expect(HumanFormat.printable("tab\there, é") == "tab\there, é")
    }

    @Test func writesTimeAsHoursMinutesSeconds() {
        let text = HumanFormat.clock(Date(timeIntervalSince1970: 1_700_000_000.9))
        #expect(text.wholeMatch(of: #/\d\d:\d\d:\d\d/#) != nil)
        #expect(text.hasSuffix(":20"))
    }

    @Test func continuesAMessageOfSeveralLinesUnderItsText() {
        let message = Message(
            id: "m", roomID: "r", userID: "u", content: "first\nsecond",
            timestamp: Date(timeIntervalSince1970: 0))
        let text = HumanFormat.message(message, place: "#general", sender: "alice")
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix(" #general alice: first"))
        #expect(lines[1] == String(repeating: " ", count: lines[0].count - 5) + "second")
    }
}

@Suite struct ChatTerminalNameRaceTests {
    @Test func takesTheNameThatAnotherClientCreatedFirst() async throws {
        var lookups = 0
        let (value, created) = try await ChatSession.findOrCreate(
            find: { () async throws(ChatError) -> String? in
                lookups += 1
                return lookups == 1 ? nil : "theirs"
            },
            create: { () async throws(ChatError) -> String in
                throw ChatError(.nameTaken, "The name 'general' is taken; choose another.")
            })

        #expect(value == "theirs")
        #expect(!created)
        #expect(lookups == 2)
    }

    @Test func passesOnARefusalThatIsNotARace() async throws {
        await #expect(throws: ChatError.self) {
            _ = try await ChatSession.findOrCreate(
                find: { () async throws(ChatError) -> String? in nil },
                create: { () async throws(ChatError) -> String in
                    throw ChatError(.invalidArgument, "The name is empty.")
                })
        }
    }
}
