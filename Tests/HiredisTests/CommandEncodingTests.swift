import CHiredis
import Testing

/// The client writes commands into hiredis' output buffer itself
/// (`chiredis_append_command`); these cases check that it writes the very
/// bytes hiredis' own formatting produces, with no server.
@Suite struct CommandEncodingTests {
    static let commands: [[[UInt8]]] = [
        [Array("PING".utf8)],
        [Array("SET".utf8), Array("key".utf8), []],
        [Array("SET".utf8), Array(UInt8.min...UInt8.max), Array(repeating: 0x61, count: 12_345)],
        [[0x00], Array("%s %b\r\n".utf8), [0xFF, 0xFE]],
        (0..<12).map { Array("argument \($0)".utf8) },
    ]

    /// By index, so that the test's name does not spell out every byte.
    @Test(arguments: commands.indices)
    func appendsTheBytesHiredisFormats(command index: Int) {
        let arguments = Self.commands[index]
        #expect(encoded(arguments, by: .client) == encoded(arguments, by: .hiredis))
    }

    @Test func appendsAfterWhatTheBufferHolds() {
        let first = [Array("GET".utf8), Array("a".utf8)]
        let second = [Array("GET".utf8), Array("b".utf8)]
        #expect(
            encoded([first, second], by: .client)
                == encoded(first, by: .hiredis) + encoded(second, by: .hiredis))
    }

    private enum Encoder { case client, hiredis }

    private func encoded(_ arguments: [[UInt8]], by encoder: Encoder) -> [UInt8] {
        encoded([arguments], by: encoder)
    }

    private func encoded(_ commands: [[[UInt8]]], by encoder: Encoder) -> [UInt8] {
        var context = redisContext()
        context.obuf = sdsempty()
        defer { sdsfree(context.obuf) }
        var formatted: [UInt8] = []
        for arguments in commands {
            withArgv(arguments) { argc, argv, lengths in
                switch encoder {
                case .client:
                    #expect(chiredis_append_command(&context, argc, argv, lengths) == REDIS_OK)
                case .hiredis:
                    var target: UnsafeMutablePointer<CChar>?
                    let count = redisFormatCommandArgv(&target, argc, argv, lengths)
                    formatted += UnsafeRawBufferPointer(start: target, count: Int(count))
                    redisFreeCommand(target)
                }
            }
        }
        if case .hiredis = encoder { return formatted }
        return Array(UnsafeRawBufferPointer(start: context.obuf, count: sdslen(context.obuf)))
    }

    private func withArgv(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Void
    ) {
        let copies = arguments.map { argument in
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: max(argument.count, 1))
            argument.withUnsafeBytes { bytes in
                UnsafeMutableRawPointer(copy).copyMemory(
                    from: bytes.baseAddress ?? UnsafeRawPointer(copy), byteCount: bytes.count)
            }
            return copy
        }
        defer { for copy in copies { copy.deallocate() } }
        var argv: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) }
        let lengths = arguments.map(\.count)
        argv.withUnsafeMutableBufferPointer { argv in
            lengths.withUnsafeBufferPointer { lengths in
                body(Int32(arguments.count), argv.baseAddress!, lengths.baseAddress!)
            }
        }
    }
}
