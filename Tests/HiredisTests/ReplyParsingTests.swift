@_spi(Testing) import Hiredis
import Testing

/// Protocol-level cases: bytes fed straight to hiredis' reader, no server.
@Suite struct ReplyParsingTests {
    private func parse(_ text: String) throws -> [RESPValue] {
        let reader = RESPReader()
        reader.feed(Array(text.utf8))
        var replies: [RESPValue] = []
        while let reply = try reader.next() { replies.append(reply) }
        return replies
    }

    @Test func everyReplyKindConverts() throws {
        let replies = try parse("+OK\r\n-ERR bad\r\n:-42\r\n$3\r\na\0b\r\n$-1\r\n*-1\r\n*0\r\n")
        #expect(
            replies == [
                .simpleString("OK"), .error("ERR bad"), .integer(-42),
                .bulkString([97, 0, 98]), .null, .null, .array([]),
            ])
    }

    @Test func nilElementsKeepTheirPositions() throws {
        let replies = try parse("*3\r\n$1\r\na\r\n$-1\r\n$1\r\nc\r\n")
        let values = try #require(replies.first).decode(as: [String?].self)
        #expect(values == ["a", nil, "c"])
    }

    @Test func aReplySplitAcrossFeedsWaitsForItsLastByte() throws {
        let reader = RESPReader()
        reader.feed(Array("$5\r\nhel".utf8))
        #expect(try reader.next() == nil)
        reader.feed(Array("lo\r\n".utf8))
        #expect(try reader.next() == .bulkString(Array("hello".utf8)))
    }

    @Test func garbageIsAProtocolError() {
        #expect(throws: RedisError.self) { try parse("?what\r\n") }
    }

    @Test func arraysNestEightDeepAndNoDeeper() throws {
        let eight = String(repeating: "*1\r\n", count: 8) + ":1\r\n"
        let innermost = (0..<8).reduce(RESPValue.integer(1)) { value, _ in .array([value]) }
        #expect(try parse(eight) == [innermost])

        let nine = String(repeating: "*1\r\n", count: 9) + ":1\r\n"
        #expect {
            try parse(nine)
        } throws: { error in
            (error as? RedisError)?.code == .protocolError
        }
    }

    @Test func serverErrorsKeepTheirCodeWord() throws {
        let error = try #require(RESPValue.error("WRONGTYPE Operation against a key").serverError)
        #expect(error.serverCode == "WRONGTYPE")
        #expect(error.code == .server)
        #expect(RedisError(serverReply: "unknown lowercase").serverCode == nil)
    }

    @Test func decodingNonUTF8AsStringThrowsAndAsBytesSucceeds() throws {
        let value = RESPValue.bulkString([0xff, 0xfe])
        #expect(throws: RedisError.self) { try value.decode(as: String.self) }
        #expect(value.bytes == [0xff, 0xfe])
    }

    @Test(
        arguments: [
            [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x61, 0xF4, 0x90, 0x80, 0x80],
            [0x61, 0x80, 0x62],
        ] as [[UInt8]])
    func everyKindOfInvalidUTF8IsRefusedAsString(bytes: [UInt8]) throws {
        // A stray byte, an overlong form, a surrogate, a cut sequence, a
        // code point past U+10FFFF, a lone continuation byte.
        #expect(throws: RedisError.self) { try RESPValue.bulkString(bytes).decode(as: String.self) }
    }

    @Test(arguments: ["", "plain", "héllo 👋", "\u{FFFD} is a character too", "a\u{0}b"])
    func validUTF8ReadsAsTheSameText(text: String) throws {
        #expect(try RESPValue.bulkString(Array(text.utf8)).decode(as: String.self) == text)
    }

    @Test func dictionariesReadFromFlatPairs() throws {
        let replies = try parse("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n")
        let dictionary = try #require(replies.first).decode(as: [String: Int].self)
        #expect(dictionary == ["a": 1, "b": 2])
    }
}
