import Chat
import Foundation
import Testing

@Suite struct EventCodingTests {
    /// A Message event's JSON with the given timestamp text.
    private static func message(timestamp: String) -> Data {
        let fields = #""type":"Message","id":"m","room_id":"r","user_id":"u","content":"c""#
        return Data(#"{\#(fields),"timestamp":"\#(timestamp)"}"#.utf8)
    }

    @Test func decodesTheTutorialsMessageEvent() throws {
        // The issue's literal, cut in two to fit the line width.
        let json =
            #"{"type":"Message","id":"7f1c","room_id":"r1","user_id":"u1","content":"hi","#
            + #""timestamp":"2024-05-01T12:00:00.123456789Z"}"#

        let event = try ChatEvent(json: Data(json.utf8))

        guard case .message(let message) = event else {
            Issue.record("decoded \(event), not a message")
            return
        }
        #expect(message.id == "7f1c")
        #expect(message.roomID == "r1")
        #expect(message.userID == "u1")
        #expect(message.content == "hi")
        #expect(message.seq == nil)
        // 2024-05-01T12:00:00Z is 1714564800 s after the epoch.
        #expect(abs(message.timestamp.timeIntervalSince1970 - 1_714_564_800.123456789) < 1e-6)
    }

    @Test func decodesTheTutorialsUserJoinedEvent() throws {
        let json = #"{"type":"UserJoined","user_id":"u1","room_id":"r1"}"#

        let event = try ChatEvent(json: Data(json.utf8))

        #expect(event == .userJoined(userID: "u1", roomID: "r1"))
    }

    @Test func decodesTypingEventsWithoutARoomAsTheTutorialSendsThem() throws {
        let started = try ChatEvent(json: Data(#"{"type":"TypingStarted","user_id":"u1"}"#.utf8))
        let stopped = try ChatEvent(json: Data(#"{"type":"TypingStopped","user_id":"u1"}"#.utf8))

        #expect(started == .typingStarted(userID: "u1", roomID: nil))
        #expect(stopped == .typingStopped(userID: "u1", roomID: nil))
    }

    @Test func encodesEveryEventInTheDesignsWireFormat() {
        let timestamp = Date(timeIntervalSince1970: 1_767_323_045.678)
        let message = Message(
            id: "m1", roomID: "r1", userID: "u1", content: "say \"hi\"\n/ok", timestamp: timestamp,
            seq: 42)
        let expected: [(ChatEvent, String)] = [
            (
                .message(message),
                #"{"type":"Message","id":"m1","room_id":"r1","user_id":"u1","#
                    + #""content":"say \"hi\"\n/ok","timestamp":"2026-01-02T03:04:05.678Z","#
                    + #""seq":42}"#
            ),
            (
                .userJoined(userID: "u1", roomID: "r1"),
                #"{"type":"UserJoined","user_id":"u1","room_id":"r1"}"#
            ),
            (
                .userLeft(userID: "u1", roomID: "r1"),
                #"{"type":"UserLeft","user_id":"u1","room_id":"r1"}"#
            ),
            (
                .typingStarted(userID: "u1", roomID: "r1"),
                #"{"type":"TypingStarted","user_id":"u1","room_id":"r1"}"#
            ),
            (
                .typingStopped(userID: "u1", roomID: "r1"),
                #"{"type":"TypingStopped","user_id":"u1","room_id":"r1"}"#
            ),
            (
                .presenceChanged(userID: "u1", roomID: "r1", status: .online),
                #"{"type":"PresenceChanged","user_id":"u1","room_id":"r1","status":"online"}"#
            ),
        ]

        for (event, json) in expected {
            #expect(String(decoding: event.jsonBytes, as: UTF8.self) == json)
        }
    }

    @Test(arguments: [
        ChatEvent.message(
            Message(
                id: "m1", roomID: "r1", userID: "u1", content: "héllo 👋\u{0}\t\"\\",
                timestamp: Date(timeIntervalSince1970: 1_714_564_800.5), seq: 7)),
        .userJoined(userID: "u1", roomID: "r1"),
        .userLeft(userID: "u1", roomID: "r1"),
        .typingStarted(userID: "u1", roomID: "r1"),
        .typingStopped(userID: "u1", roomID: nil),
        .presenceChanged(userID: "u1", roomID: "r1", status: .away),
    ])
    func encodedEventsDecodeToTheSameEvent(event: ChatEvent) throws {
        let published = try ChatEvent(json: event.jsonData)
        let encoded = try ChatEvent(json: try JSONEncoder().encode(event))

        #expect(published == event)
        #expect(encoded == event)
    }

    @Test func encodedMessagesCarryTheFieldsTheTutorialsProgramReads() throws {
        let message = Message(
            id: "m1", roomID: "r1", userID: "u1", content: "hi", timestamp: Date(), seq: 1)

        let object = try #require(
            try JSONSerialization.jsonObject(with: ChatEvent.message(message).jsonData)
                as? [String: Any])

        // serde's internally tagged enum reads the tag and the struct's
        // fields by these names, and ignores the extra `seq`.
        #expect(
            Set(object.keys) == ["type", "id", "room_id", "user_id", "content", "timestamp", "seq"])
        #expect(object["type"] as? String == "Message")
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.hasSuffix("Z"))
        #expect(timestamp.count == "2026-01-02T03:04:05.678Z".count)
    }

    @Test(arguments: [
        ("2024-05-01T12:00:00Z", 1_714_564_800.0),
        ("2024-05-01T12:00:00+00:00", 1_714_564_800.0),
        ("2024-05-01T12:00:00.1Z", 1_714_564_800.1),
        ("2024-05-01T12:00:00.123+00:00", 1_714_564_800.123),
        ("2024-05-01T12:00:00.123456Z", 1_714_564_800.123456),
        ("2024-05-01T12:00:00.123456789012345Z", 1_714_564_800.123456789),
        ("2024-05-01T12:00:00.12345678901234567890Z", 1_714_564_800.123456789),
        ("2024-05-01T14:30:00.5+02:30", 1_714_564_800.5),
        ("1969-12-31T23:59:59.250Z", -0.75),
        ("2024-02-29t12:00:00z", 1_709_208_000.0),
    ])
    func readsTimestampsWithAnyFractionAndUTCOffset(text: String, seconds: Double) throws {
        let event = try ChatEvent(json: Self.message(timestamp: text))

        guard case .message(let message) = event else {
            Issue.record("decoded \(event), not a message")
            return
        }
        #expect(abs(message.timestamp.timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test(arguments: [
        "2024-05-01 12:00:00Z", "2024-05-01T12:00:00", "2024-13-01T12:00:00Z",
        "2023-02-29T12:00:00Z", "2024-05-01T12:00:00.Z", "2024-05-01T12:00Z", "yesterday",
    ])
    func refusesTimestampsThatAreNotRFC3339(text: String) {
        #expect(throws: DecodingError.self) { try ChatEvent(json: Self.message(timestamp: text)) }
    }

    @Test func writesTimestampsInUTCWithMilliseconds() throws {
        let message = Message(
            id: "m", roomID: "r", userID: "u", content: "c",
            timestamp: Date(timeIntervalSince1970: -0.75))

        let object = try JSONSerialization.jsonObject(with: ChatEvent.message(message).jsonData)

        #expect((object as? [String: Any])?["timestamp"] as? String == "1969-12-31T23:59:59.250Z")
    }

    @Test func decoderCountsAndReportsEachPayloadThatIsNotAnEvent() throws {
        let decoder = ChatEventDecoder()
        let good = ChatEvent.userLeft(userID: "u", roomID: "r").jsonBytes

        #expect(throws: ChatError.self) { try decoder.decode(Array("not json".utf8)) }
        #expect(decoder.event(from: Data(#"{"type":"Shout","user_id":"u"}"#.utf8)) == nil)
        let event = try decoder.decode(good, channel: "chat:room:{r}")

        #expect(event == .userLeft(userID: "u", roomID: "r"))
        #expect(decoder.failureCount == 2)
    }

    @Test func readsTheUserStatusInTheTutorialsCapitalisedForm() throws {
        let json = #"{"id":"u1","name":"Alice","avatar":null,"status":"Away"}"#

        let user = try JSONDecoder().decode(User.self, from: Data(json.utf8))

        #expect(user == User(id: "u1", name: "Alice", status: .away))
    }

    @Test func modelsRoundTripThroughJSON() throws {
        let user = User(
            id: "u1", name: "Alice", avatar: "https://example.com/a.png", status: .online,
            createdAt: Date(timeIntervalSince1970: 1_714_564_800.25))
        let room = Room(
            id: "r1", name: "General", description: "Anything",
            createdAt: Date(timeIntervalSince1970: 1_714_564_800.125))

        let userJSON = try JSONEncoder().encode(user)
        let roomJSON = try JSONEncoder().encode(room)

        #expect(try JSONDecoder().decode(User.self, from: userJSON) == user)
        #expect(try JSONDecoder().decode(Room.self, from: roomJSON) == room)
        #expect(
            String(decoding: roomJSON, as: UTF8.self).contains(
                #""created_at":"2024-05-01T12:00:00.125Z""#))
    }
}
