import Chat
import Foundation
import Hiredis
import RedisTestSupport
import Testing

/// The bad input catalogue: every public entry point of the chat service
/// gets hostile values, and each value is either refused with its typed
/// error naming the argument, or stored and returned byte for byte. Once
/// the whole catalogue ran, the server may hold no key outside the layout.
///
/// Its thousand cases share one connection and run one at a time, so that
/// they never crowd out the suites that run beside them (some of which
/// wait on the server's clock).
@Suite(.serialized, .redisServer, .sharedConnection, .auditsKeyLayout)
struct BadInputTests {
    // MARK: Ids

    @Test(arguments: IDEntryPoint.all, Hostile.ids)
    func aMalformedIDIsRefusedNamingItsArgument(entryPoint: IDEntryPoint, id: Hostile) async throws
    {
        try await withChat { chat in
            let error = try await refusal { try await entryPoint.call(chat, id.value) }

            #expect(error.code == .invalidArgument, "\(error)")
            #expect(error.field == entryPoint.field, "\(error)")
            expectReadable(error)
        }
    }

    // MARK: Names

    @Test(arguments: NameEntryPoint.all, Hostile.refusedNames)
    func anUnfitNameIsRefusedNamingIt(entryPoint: NameEntryPoint, name: Hostile) async throws {
        try await withChat { chat in
            let error = try await refusal { try await entryPoint.call(chat, name.value) }

            #expect(error.code == name.code, "\(error)")
            #expect(error.field == "name", "\(error)")
            expectReadable(error)
        }
    }

    @Test(arguments: Hostile.storedNames)
    func anAwkwardUserNameIsStoredAndFoundByteForByte(name: Hostile) async throws {
        try await withChat { chat in
            let stored = name.value.precomposedStringWithCanonicalMapping

            let user = try await chat.createUser(named: name.value)

            #expect(Array(user.name.utf8) == Array(stored.utf8))
            let found = try #require(try await chat.user(named: name.value))
            #expect(found.id == user.id)
            #expect(Array(found.name.utf8) == Array(stored.utf8))
            let read = try #require(try await chat.user(id: user.id))
            #expect(Array(read.name.utf8) == Array(stored.utf8))
            let again = try await refusal { _ = try await chat.createUser(named: name.value) }
            #expect(again.code == .nameTaken && again.field == "name", "\(again)")
        }
    }

    @Test(arguments: Hostile.storedNames)
    func anAwkwardRoomNameIsStoredAndFoundByteForByte(name: Hostile) async throws {
        try await withChat { chat in
            let stored = name.value.precomposedStringWithCanonicalMapping

            let room = try await chat.createRoom(named: name.value)

            #expect(Array(room.name.utf8) == Array(stored.utf8))
            let found = try #require(try await chat.room(named: name.value))
            #expect(found == room)
            #expect(Array(found.name.utf8) == Array(stored.utf8))
            #expect(try await chat.room(id: room.id) == room)
            #expect(try await chat.rooms().contains(room))
            let again = try await refusal { _ = try await chat.createRoom(named: name.value) }
            #expect(again.code == .nameTaken && again.field == "name", "\(again)")
        }
    }

    // MARK: Message content

    @Test(arguments: Hostile.storedContents)
    func awkwardContentComesBackByteForByteFromHistoryAndTheRoomEvent(content: Hostile)
        async throws
    {
        try await withChat(ChatConfiguration(maximumContentBytes: Hostile.contentLimit)) { chat in
            let (user, room) = try await makeMemberInRoom(chat)
            let listener = try await listen(to: ChatKeys.roomChannel(room.id))
            defer { listener.stop() }

            let sent = try await chat.send(content.value, to: room.id, from: user.id)
            let history = try await chat.latestMessages(in: room.id)
            let deliveries = await listener.waitForDeliveries(count: 1)

            #expect(Array(sent.content.utf8) == Array(content.value.utf8))
            #expect(history == [sent])
            #expect(history.map { Array($0.content.utf8) } == [Array(content.value.utf8)])
            let events = try events(deliveries)
            #expect(events == [.message(sent)])
            guard case .message(let published) = events.first else { return }
            #expect(Array(published.content.utf8) == Array(content.value.utf8))
        }
    }

    @Test(arguments: Hostile.storedContents)
    func awkwardContentComesBackByteForByteFromADirectConversation(content: Hostile)
        async throws
    {
        try await withChat(ChatConfiguration(maximumContentBytes: Hostile.contentLimit)) { chat in
            let alice = try await chat.createUser(named: uniqueName("alice"))
            let bob = try await chat.createUser(named: uniqueName("bob"))
            let listener = try await listen(to: ChatKeys.directChannel(bob.id))
            defer { listener.stop() }

            let sent = try await chat.sendDirectMessage(content.value, from: alice.id, to: bob.id)
            let history = try await chat.latestDirectMessages(between: bob.id, and: alice.id)
            let deliveries = await listener.waitForDeliveries(count: 1)

            #expect(history == [sent])
            #expect(history.map { Array($0.content.utf8) } == [Array(content.value.utf8)])
            #expect(try events(deliveries) == [.message(sent)])
        }
    }

    @Test(arguments: ContentEntryPoint.all, Hostile.refusedContents)
    func unfitContentIsRefusedNamingIt(entryPoint: ContentEntryPoint, content: Hostile)
        async throws
    {
        try await withChat(ChatConfiguration(maximumContentBytes: Hostile.contentLimit)) { chat in
            let error = try await refusal { try await entryPoint.call(chat, content.value) }

            #expect(error.code == content.code, "\(error)")
            #expect(error.field == "content", "\(error)")
            expectReadable(error)
        }
    }

    @Test func aMegabyteMessageRoundTripsWhenTheCapAllowsIt() async throws {
        let content = String(repeating: "\"]]--\\", count: 1 << 20 / 6) + "\u{0}"
        try await withChat(ChatConfiguration(maximumContentBytes: 2 << 20)) { chat in
            let (user, room) = try await makeMemberInRoom(chat)

            let sent = try await chat.send(content, to: room.id, from: user.id)
            let history = try await chat.latestMessages(in: room.id, limit: 1)

            #expect(history.map { Array($0.content.utf8) } == [Array(content.utf8)])
            #expect(history == [sent])
        }
    }

    // MARK: Descriptions and avatars

    @Test(arguments: Hostile.refusedDescriptions)
    func anUnfitRoomDescriptionIsRefusedNamingIt(description: Hostile) async throws {
        try await withChat { chat in
            let error = try await refusal {
                _ = try await chat.createRoom(
                    named: uniqueName("room"), description: description.value)
            }

            #expect(error.code == description.code, "\(error)")
            #expect(error.field == "description", "\(error)")
            expectReadable(error)
        }
    }

    @Test(arguments: Hostile.storedDescriptions)
    func anAwkwardRoomDescriptionIsStoredByteForByte(description: Hostile) async throws {
        try await withChat { chat in
            let room = try await chat.createRoom(
                named: uniqueName("room"), description: description.value)

            let read = try #require(try await chat.room(id: room.id))

            #expect(read == room)
            #expect(read.description.map { Array($0.utf8) } == Array(description.value.utf8))
        }
    }

    @Test(arguments: Hostile.refusedAvatars)
    func anUnfitAvatarIsRefusedNamingIt(avatar: Hostile) async throws {
        try await withChat { chat in
            let error = try await refusal {
                _ = try await chat.createUser(named: uniqueName("user"), avatar: avatar.value)
            }

            #expect(error.code == avatar.code, "\(error)")
            #expect(error.field == "avatar", "\(error)")
            expectReadable(error)
        }
    }

    @Test(arguments: Hostile.storedAvatars)
    func anAwkwardAvatarIsStoredByteForByte(avatar: Hostile) async throws {
        try await withChat { chat in
            let user = try await chat.createUser(named: uniqueName("user"), avatar: avatar.value)

            let read = try #require(try await chat.user(id: user.id))

            #expect(read == user)
            #expect(read.avatar.map { Array($0.utf8) } == Array(avatar.value.utf8))
        }
    }

    // MARK: Numbers

    @Test(arguments: PageEntryPoint.all, [0, -1, Int.min, ChatService.maximumPageSize + 1, .max])
    func aPageSizeOutOfRangeIsRefusedNamingIt(entryPoint: PageEntryPoint, limit: Int)
        async throws
    {
        try await withChat { chat in
            let error = try await refusal { try await entryPoint.call(chat, limit) }

            #expect(error.code == .invalidArgument, "\(error)")
            #expect(error.field == "limit", "\(error)")
        }
    }

    @Test(arguments: [-1, Int.min])
    func aNegativeCursorIsRefusedNamingIt(seq: Int) async throws {
        try await withChat { chat in
            let room = IDEntryPoint.someRoom

            let before = try await refusal { _ = try await chat.messages(in: room, before: seq) }
            let after = try await refusal { _ = try await chat.messages(in: room, after: seq) }

            #expect(before.code == .invalidArgument && before.field == "before", "\(before)")
            #expect(after.code == .invalidArgument && after.field == "after", "\(after)")
        }
    }

    @Test func theLargestCursorsReadTheEdgesOfHistory() async throws {
        try await withChat { chat in
            let (user, room) = try await makeMemberInRoom(chat)
            for index in 1...3 { try await chat.send("\(index)", to: room.id, from: user.id) }

            let beforeAll = try await chat.messages(in: room.id, before: .max, limit: 2)
            let afterAll = try await chat.messages(in: room.id, after: .max)
            let afterNone = try await chat.messages(in: room.id, after: 0, limit: 2)

            #expect(beforeAll.map(\.seq) == [2, 3])
            #expect(afterAll.isEmpty)
            #expect(afterNone.map(\.seq) == [1, 2])
        }
    }

    // MARK: Bytes

    @Test(arguments: Hostile.payloads)
    func aPayloadThatIsNotAnEventIsCountedAndRefused(payload: HostilePayload) throws {
        let decoder = ChatEventDecoder()

        let error = #expect(throws: ChatError.self) {
            try decoder.decode(payload.bytes, channel: "chat:room:{x}")
        }

        #expect(error?.code == .undecodableEvent)
        #expect(decoder.failureCount == 1)
        #expect((error?.message.utf8.count ?? 0) < 4096, "the error repeats the payload")
        #expect(throws: (any Error).self) { try ChatEvent(json: Data(payload.bytes)) }
    }

    @Test func storedTextThatIsNotUTF8IsReportedAsARedisErrorNotRead() async throws {
        try await withChat { chat in
            let (user, room) = try await makeMemberInRoom(chat)
            let message = try await chat.send("fine so far", to: room.id, from: user.id)
            let broken: [UInt8] = [0x66, 0xFF, 0xFE, 0xC3, 0x28]

            // Another program writes bytes that are not UTF-8 into the hashes.
            let messageKey = ChatKeys.message(message.id, inRoom: room.id)
            try await chat.connection.send("HSET", ChatKeys.user(user.id), "name", broken)
            try await chat.connection.send("HSET", messageKey, "content", broken)

            let readUser = try await refusal { _ = try await chat.user(id: user.id) }
            let readHistory = try await refusal { _ = try await chat.latestMessages(in: room.id) }

            for error in [readUser, readHistory] {
                #expect(error.code == .redis, "\(error)")
                #expect(error.underlying?.code == .decodingFailed, "\(error)")
            }
        }
    }

    @Test func aServiceForAServerThatIsNotThereFailsWithARedisError() async throws {
        let path = "/nonexistent/{*} \"]]--/redis.sock"

        let error = try await refusal {
            _ = try await ChatService.connect(RedisConfiguration(unixSocketPath: path))
        }

        #expect(error.code == .redis, "\(error)")
        #expect(error.underlying?.code == .connectionFailed, "\(error)")
    }
}

// MARK: - The catalogue

/// A hostile value, named for the test report (a megabyte value would make
/// an unreadable test name), with the error code it must get when refused.
struct Hostile: Sendable, CustomTestStringConvertible {
    var label: String
    var value: String
    var code: ChatError.Code = .invalidArgument

    var testDescription: String { label }

    /// The content cap of the content tests, in bytes.
    static let contentLimit = 16 * 1024
    static let megabyte = String(repeating: "a", count: 1 << 20)
    /// One character of a megabyte: a letter under a million accents.
    static let megabyteCharacter = "a" + String(repeating: "\u{301}", count: 1 << 19)

    private static let id = "0b6c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3"
    private static let otherID = "5d1e2f30-4152-4637-8849-5a6b7c8d9e0f"

    /// Ids that no entry point may accept, room or conversation.
    static let ids: [Hostile] = [
        Hostile(label: "empty", value: ""),
        Hostile(label: "open brace", value: "{"),
        Hostile(label: "close brace", value: "}"),
        Hostile(label: "an id in braces", value: "{\(id)}"),
        Hostile(label: "an id with a close brace", value: String(id.dropLast()) + "}"),
        Hostile(label: "braces inside out", value: "a}b{c"),
        Hostile(label: "star", value: "*"),
        Hostile(label: "a key pattern", value: "user:*"),
        Hostile(label: "colon", value: ":"),
        Hostile(label: "an id with a colon", value: String(id.dropLast()) + ":"),
        Hostile(label: "space", value: " "),
        Hostile(label: "an id with a space", value: String(id.dropLast()) + " "),
        Hostile(label: "an id after a space", value: " " + id),
        Hostile(label: "an id and a line break", value: id + "\n"),
        Hostile(label: "an id with NUL", value: String(id.dropLast()) + "\u{0}"),
        Hostile(label: "an upper-case id", value: id.uppercased()),
        Hostile(label: "an id with a right-to-left mark", value: "\u{200F}" + id),
        Hostile(label: "an id with a full-width digit", value: "\u{FF10}" + id.dropFirst()),
        Hostile(label: "emoji", value: "👩‍👩‍👧‍👦"),
        Hostile(label: "a megabyte", value: megabyte),
        Hostile(label: "a megabyte character", value: megabyteCharacter),
        Hostile(label: "a conversation in braces", value: "dm:{\(id)}:{\(otherID)}"),
        Hostile(label: "a conversation backwards", value: "dm:\(otherID):\(id)"),
        Hostile(label: "a conversation with oneself", value: "dm:\(id):\(id)"),
        Hostile(label: "a conversation of three", value: "dm:\(id):\(otherID):\(otherID)"),
        Hostile(label: "format specifiers", value: "%s%n%d"),
        Hostile(label: "a path", value: "../../\(id)"),
        Hostile(label: "JSON", value: #"","room_id":"x"#),
        Hostile(label: "Lua", value: "]]..redis.call('FLUSHALL')..[["),
    ]

    /// Names that every name entry point refuses.
    static let refusedNames: [Hostile] = [
        Hostile(label: "empty", value: ""),
        Hostile(label: "65 characters", value: String(repeating: "n", count: 65), code: .tooLarge),
        Hostile(label: "a megabyte", value: megabyte, code: .tooLarge),
        Hostile(label: "a megabyte character", value: megabyteCharacter, code: .tooLarge),
        Hostile(
            label: "64 families of four", value: String(repeating: "👩‍👩‍👧‍👦", count: 64),
            code: .tooLarge),
        Hostile(label: "NUL", value: "nul\u{0}name"),
        Hostile(label: "a tab", value: "tab\there"),
        Hostile(label: "a line break", value: "line\nbreak"),
        Hostile(label: "a carriage return", value: "cr\rname"),
        Hostile(label: "escape", value: "\u{1B}[31mred"),
        Hostile(label: "delete", value: "del\u{7F}"),
        Hostile(label: "next line", value: "next\u{85}line"),
        Hostile(label: "line separator", value: "line\u{2028}separator"),
        Hostile(label: "a leading space", value: " leading"),
        Hostile(label: "a trailing space", value: "trailing "),
        Hostile(label: "a no-break space at the end", value: "nbsp\u{A0}"),
        Hostile(label: "only spaces", value: "   "),
    ]

    /// Names that are stored as they are (in Unicode form C).
    static let storedNames: [Hostile] = [
        Hostile(label: "open brace", value: "{"),
        Hostile(label: "close brace", value: "}"),
        Hostile(label: "braces inside out", value: "a}b{c"),
        Hostile(label: "a hash tag", value: "{user:x}"),
        Hostile(label: "star", value: "*"),
        Hostile(label: "a key pattern", value: "room:*:members"),
        Hostile(label: "colons", value: "::"),
        Hostile(label: "inner spaces", value: "a name with spaces"),
        Hostile(label: "quotes and backslash", value: #""quoted" \ 'single'"#),
        Hostile(label: "Lua", value: "]]--[[ redis.call('FLUSHALL')"),
        Hostile(label: "JSON", value: #"{"type":"UserLeft"}"#),
        Hostile(label: "format specifiers", value: "%s%n%d"),
        Hostile(label: "emoji", value: "family 👩‍👩‍👧‍👦 👍🏽"),
        Hostile(label: "right-to-left marks", value: "\u{200F}שלום\u{200E} \u{202E}txt"),
        Hostile(label: "a decomposed accent", value: "Cafe\u{301}"),
        Hostile(label: "64 characters", value: String(repeating: "名", count: 64)),
        Hostile(label: "a byte-order mark", value: "\u{FEFF}bom"),
    ]

    /// Message contents that are stored and returned byte for byte.
    static let storedContents: [Hostile] = [
        Hostile(label: "one byte", value: "x"),
        Hostile(label: "double quote", value: "\""),
        Hostile(label: "backslash", value: "\\"),
        Hostile(label: "Lua long brackets", value: "]]"),
        Hostile(label: "Lua comment", value: "-- not a comment"),
        Hostile(label: "Lua", value: "'); redis.call('FLUSHALL') --[["),
        Hostile(label: "NUL alone", value: "\u{0}"),
        Hostile(label: "NUL inside", value: "a\u{0}b"),
        Hostile(label: "an escaped NUL as text", value: #"\u0000"#),
        Hostile(label: "JSON that closes the event", value: #""},"seq":1,"x":{""#),
        Hostile(label: "a whole event", value: #"{"type":"UserLeft","user_id":"u"}"#),
        Hostile(label: "control characters", value: "\r\n\t\u{1}\u{1B}\u{7F}\u{85}"),
        Hostile(label: "line and paragraph separators", value: "\u{2028}\u{2029}"),
        Hostile(label: "emoji", value: "👍🏽 👩‍👩‍👧‍👦 🇫🇷"),
        Hostile(label: "right-to-left marks", value: "\u{200F}abc\u{202E}def\u{200E}"),
        Hostile(label: "a decomposed accent", value: "e\u{301}"),
        Hostile(label: "a byte-order mark", value: "\u{FEFF}"),
        Hostile(label: "the highest code point", value: "\u{10FFFF}"),
        Hostile(label: "RESP", value: "*1\r\n$8\r\nFLUSHALL\r\n"),
        Hostile(label: "format specifiers", value: "%s%n%@"),
        Hostile(label: "a space", value: " "),
        Hostile(
            label: "exactly the cap",
            value: String(repeating: "é", count: contentLimit / 2)),
    ]

    /// Contents that every send refuses, under ``contentLimit``.
    static let refusedContents: [Hostile] = [
        Hostile(label: "empty", value: ""),
        Hostile(
            label: "one byte over", value: String(repeating: "a", count: contentLimit - 1) + "é",
            code: .tooLarge),
        Hostile(label: "a megabyte", value: megabyte, code: .tooLarge),
        Hostile(label: "a megabyte character", value: megabyteCharacter, code: .tooLarge),
    ]

    static let refusedDescriptions: [Hostile] = [
        Hostile(label: "1025 bytes", value: String(repeating: "d", count: 1025), code: .tooLarge),
        Hostile(label: "a megabyte", value: megabyte, code: .tooLarge),
        Hostile(label: "NUL", value: "a\u{0}b"),
        Hostile(label: "a carriage return", value: "a\r\nb"),
        Hostile(label: "escape", value: "\u{1B}[2J"),
    ]

    static let storedDescriptions: [Hostile] = [
        Hostile(label: "line breaks and tabs", value: "one\ntwo\tthree"),
        Hostile(label: "Lua and JSON", value: #"]]--"\'{"x":[1]}"#),
        Hostile(label: "emoji and marks", value: "👩‍👩‍👧‍👦\u{200F}\u{FEFF}"),
        Hostile(label: "exactly 1024 bytes", value: String(repeating: "{", count: 1024)),
    ]

    static let refusedAvatars: [Hostile] = [
        Hostile(label: "2049 bytes", value: String(repeating: "p", count: 2049), code: .tooLarge),
        Hostile(label: "a megabyte", value: megabyte, code: .tooLarge),
        Hostile(label: "a line break", value: "https://example.com/\n.png"),
        Hostile(label: "NUL", value: "https://example.com/\u{0}.png"),
    ]

    static let storedAvatars: [Hostile] = [
        Hostile(label: "a URL with quotes", value: #"https://example.com/a b.png?q="x"&r={y}"#),
        Hostile(label: "not a URL", value: "]]--\\ 👍🏽"),
        Hostile(label: "exactly 2048 bytes", value: String(repeating: "*", count: 2048)),
    ]

    /// Payloads that are not events, as a subscriber could receive them.
    static let payloads: [HostilePayload] = [
        HostilePayload("empty", []),
        HostilePayload("not UTF-8", [0xFF, 0xFE, 0x7B, 0x7D]),
        HostilePayload(
            "not UTF-8 inside a string", Array(#"{"type":""#.utf8) + [0xC3, 0x28, 0x22]),
        HostilePayload("NUL", [0]),
        HostilePayload("an open brace", "{"),
        HostilePayload("null", "null"),
        HostilePayload("an array", #"[{"type":"UserLeft","user_id":"u","room_id":"r"}]"#),
        HostilePayload("no type", #"{"user_id":"u","room_id":"r"}"#),
        HostilePayload("an unknown type", #"{"type":"Shout","user_id":"u","room_id":"r"}"#),
        HostilePayload("a type in the wrong case", #"{"type":"userleft","user_id":"u"}"#),
        HostilePayload("a number for a string", #"{"type":"UserLeft","user_id":1,"room_id":"r"}"#),
        HostilePayload("a message without content", Self.message(content: nil)),
        HostilePayload("a seq past Int", Self.message(seq: "9223372036854775808")),
        HostilePayload("a fractional seq", Self.message(seq: "1.5")),
        HostilePayload("a timestamp in year -1", Self.message(time: "0000-01-01T00:00:00+00:01")),
        HostilePayload(
            "a timestamp in year 10000", Self.message(time: "9999-12-31T23:59:59.9999Z")),
        HostilePayload(
            "a status that is not one",
            #"{"type":"PresenceChanged","user_id":"u","#
                + #""room_id":"r","status":"invisible"}"#),
        HostilePayload("a lone surrogate", Self.message(content: #""\ud800""#)),
        HostilePayload("nesting a thousand deep", String(repeating: "[", count: 1000)),
        HostilePayload("a megabyte of spaces", String(repeating: " ", count: 1 << 20)),
        HostilePayload(
            "an event and trailing bytes",
            #"{"type":"UserLeft","user_id":"u","#
                + #""room_id":"r"}{"#),
    ]

    /// A Message event's JSON with some of its fields replaced.
    private static func message(
        content: String? = #""hi""#, seq: String = "1", time: String = "2026-01-02T03:04:05Z"
    ) -> String {
        var fields = [#""type":"Message""#, #""id":"m""#, #""room_id":"r""#, #""user_id":"u""#]
        if let content { fields.append(#""content":\#(content)"#) }
        fields += [#""timestamp":"\#(time)""#, #""seq":\#(seq)"#]
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// Bytes that are not an event.
struct HostilePayload: Sendable, CustomTestStringConvertible {
    var label: String
    var bytes: [UInt8]

    init(_ label: String, _ bytes: [UInt8]) {
        self.label = label
        self.bytes = bytes
    }

    init(_ label: String, _ text: String) {
        self.init(label, Array(text.utf8))
    }

    var testDescription: String { label }
}

/// An entry point that takes an id, called with the hostile id in one
/// argument and well-formed ids of no one in the others.
struct IDEntryPoint: Sendable, CustomTestStringConvertible {
    var label: String
    /// The argument the error must name.
    var field: String
    var call: @Sendable (ChatService, String) async throws -> Void

    var testDescription: String { label }

    static let someone = "00000000-0000-4000-8000-0000000000a1"
    static let someoneElse = "00000000-0000-4000-8000-0000000000b2"
    static let someRoom = "00000000-0000-4000-8000-0000000000c3"
    static let someConversation = "dm:\(someone):\(someoneElse)"

    static let all: [IDEntryPoint] = [
        IDEntryPoint(label: "user(id:)", field: "userID") { _ = try await $0.user(id: $1) },
        IDEntryPoint(label: "users(ids:)", field: "userID") {
            _ = try await $0.users(ids: [someone, $1])
        },
        IDEntryPoint(label: "room(id:)", field: "roomID") { _ = try await $0.room(id: $1) },
        IDEntryPoint(label: "join, the user", field: "userID") {
            try await $0.join(userID: $1, roomID: someRoom)
        },
        IDEntryPoint(label: "join, the room", field: "roomID") {
            try await $0.join(userID: someone, roomID: $1)
        },
        IDEntryPoint(label: "leave, the user", field: "userID") {
            try await $0.leave(userID: $1, roomID: someRoom)
        },
        IDEntryPoint(label: "leave, the room", field: "roomID") {
            try await $0.leave(userID: someone, roomID: $1)
        },
        IDEntryPoint(label: "memberIDs(roomID:)", field: "roomID") {
            _ = try await $0.memberIDs(roomID: $1)
        },
        IDEntryPoint(label: "members(roomID:)", field: "roomID") {
            _ = try await $0.members(roomID: $1)
        },
        IDEntryPoint(label: "roomIDs(userID:)", field: "userID") {
            _ = try await $0.roomIDs(userID: $1)
        },
        IDEntryPoint(label: "send, the room", field: "roomID") {
            try await $0.send("hi", to: $1, from: someone)
        },
        IDEntryPoint(label: "send, the sender", field: "userID") {
            try await $0.send("hi", to: someRoom, from: $1)
        },
        IDEntryPoint(label: "latestMessages(in:)", field: "roomID") {
            _ = try await $0.latestMessages(in: $1)
        },
        IDEntryPoint(label: "messages(in:before:)", field: "roomID") {
            _ = try await $0.messages(in: $1, before: 10)
        },
        IDEntryPoint(label: "messages(in:after:)", field: "roomID") {
            _ = try await $0.messages(in: $1, after: 0)
        },
        IDEntryPoint(label: "latestSeq(in:)", field: "roomID") {
            _ = try await $0.latestSeq(in: $1)
        },
        IDEntryPoint(label: "conversationID, the first user", field: "userID") { _, id in
            _ = try ChatService.conversationID(between: id, and: someone)
        },
        IDEntryPoint(label: "conversationID, the second user", field: "recipientID") { _, id in
            _ = try ChatService.conversationID(between: someone, and: id)
        },
        IDEntryPoint(label: "sendDirectMessage, the sender", field: "userID") {
            try await $0.sendDirectMessage("hi", from: $1, to: someone)
        },
        IDEntryPoint(label: "sendDirectMessage, the recipient", field: "recipientID") {
            try await $0.sendDirectMessage("hi", from: someone, to: $1)
        },
        IDEntryPoint(label: "sendDirectMessage, the conversation", field: "conversationID") {
            try await $0.sendDirectMessage("hi", inConversation: $1, from: someone)
        },
        IDEntryPoint(label: "sendDirectMessage in a conversation, the sender", field: "userID") {
            try await $0.sendDirectMessage("hi", inConversation: someConversation, from: $1)
        },
        IDEntryPoint(label: "latestDirectMessages, the first user", field: "userID") {
            _ = try await $0.latestDirectMessages(between: $1, and: someone)
        },
        IDEntryPoint(label: "latestDirectMessages, the second user", field: "recipientID") {
            _ = try await $0.latestDirectMessages(between: someone, and: $1)
        },
        IDEntryPoint(label: "setStatus", field: "userID") {
            try await $0.setStatus(.away, forUser: $1)
        },
        IDEntryPoint(label: "heartbeat", field: "userID") { try await $0.heartbeat(userID: $1) },
        IDEntryPoint(label: "startTyping, the user", field: "userID") {
            try await $0.startTyping(userID: $1, roomID: someRoom)
        },
        IDEntryPoint(label: "startTyping, the room", field: "roomID") {
            try await $0.startTyping(userID: someone, roomID: $1)
        },
        IDEntryPoint(label: "stopTyping, the user", field: "userID") {
            try await $0.stopTyping(userID: $1, roomID: someRoom)
        },
        IDEntryPoint(label: "stopTyping, the room", field: "roomID") {
            try await $0.stopTyping(userID: someone, roomID: $1)
        },
        IDEntryPoint(label: "typingUserIDs(roomID:)", field: "roomID") {
            _ = try await $0.typingUserIDs(roomID: $1)
        },
    ]
}

/// An entry point that takes a name.
struct NameEntryPoint: Sendable, CustomTestStringConvertible {
    var label: String
    var call: @Sendable (ChatService, String) async throws -> Void

    var testDescription: String { label }

    static let all: [NameEntryPoint] = [
        NameEntryPoint(label: "createUser(named:)") { _ = try await $0.createUser(named: $1) },
        NameEntryPoint(label: "createRoom(named:)") { _ = try await $0.createRoom(named: $1) },
        NameEntryPoint(label: "user(named:)") { _ = try await $0.user(named: $1) },
        NameEntryPoint(label: "room(named:)") { _ = try await $0.room(named: $1) },
    ]
}

/// An entry point that takes message content.
struct ContentEntryPoint: Sendable, CustomTestStringConvertible {
    var label: String
    var call: @Sendable (ChatService, String) async throws -> Void

    var testDescription: String { label }

    static let all: [ContentEntryPoint] = [
        ContentEntryPoint(label: "send") {
            try await $0.send($1, to: IDEntryPoint.someRoom, from: IDEntryPoint.someone)
        },
        ContentEntryPoint(label: "sendDirectMessage(from:to:)") {
            try await $0.sendDirectMessage(
                $1, from: IDEntryPoint.someone, to: IDEntryPoint.someoneElse)
        },
        ContentEntryPoint(label: "sendDirectMessage(inConversation:)") {
            try await $0.sendDirectMessage(
                $1, inConversation: IDEntryPoint.someConversation, from: IDEntryPoint.someone)
        },
    ]
}

/// An entry point that takes a page size.
struct PageEntryPoint: Sendable, CustomTestStringConvertible {
    var label: String
    var call: @Sendable (ChatService, Int) async throws -> Void

    var testDescription: String { label }

    static let all: [PageEntryPoint] = [
        PageEntryPoint(label: "latestMessages") {
            _ = try await $0.latestMessages(in: IDEntryPoint.someRoom, limit: $1)
        },
        PageEntryPoint(label: "messages(before:)") {
            _ = try await $0.messages(in: IDEntryPoint.someRoom, before: 5, limit: $1)
        },
        PageEntryPoint(label: "messages(after:)") {
            _ = try await $0.messages(in: IDEntryPoint.someConversation, after: 5, limit: $1)
        },
        PageEntryPoint(label: "latestDirectMessages") {
            _ = try await $0.latestDirectMessages(
                between: IDEntryPoint.someone, and: IDEntryPoint.someoneElse, limit: $1)
        },
    ]
}

// MARK: - Helpers

/// Runs `body` with a service on the suite's shared connection.
private func withChat(
    _ configuration: ChatConfiguration = ChatConfiguration(),
    _ body: (ChatService) async throws -> Void
) async throws {
    try await body(
        ChatService(connection: try SharedConnectionTrait.connection, configuration: configuration))
}

/// The chat error `body` throws; fails the test when it throws none.
private func refusal(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async throws -> ChatError {
    do {
        try await body()
    } catch let error as ChatError {
        return error
    }
    Issue.record("the call succeeded", sourceLocation: sourceLocation)
    throw ChatError(.invalidArgument, "expected a refusal")
}

/// An error message fit for a log line: short, whatever the input's size,
/// and with no control character that could forge a line of its own.
private func expectReadable(_ error: ChatError, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(error.message.utf8.count < 1024, "too long", sourceLocation: sourceLocation)
    let control = error.message.unicodeScalars.filter { $0.properties.generalCategory == .control }
    #expect(control.isEmpty, "\(error.message.debugDescription)", sourceLocation: sourceLocation)
}
