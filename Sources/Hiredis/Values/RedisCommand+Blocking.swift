extension RedisCommand {
    /// How long the server may hold this command before replying, for the
    /// blocking commands (BLPOP and its kin, XREAD BLOCK, WAIT): nil for any
    /// other command, `.zero` for "block until something arrives".
    ///
    /// The client adds this time to the command timeout, so a blocking call
    /// is not declared dead while the server is doing what it was asked.
    var blockingTime: Duration? {
        // Every command passes here: most are ruled out by their first letter.
        switch bytes.first.map({ $0 | 0x20 }) {
        case UInt8(ascii: "b"), UInt8(ascii: "w"), UInt8(ascii: "x"): break
        default: return nil
        }
        switch name {
        case "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BZPOPMIN", "BZPOPMAX":
            return seconds(at: count - 1)
        case "BLMPOP", "BZMPOP":
            return seconds(at: 1)
        case "WAIT", "WAITAOF":
            return milliseconds(at: count - 1)
        case "XREAD", "XREADGROUP":
            let arguments = self.arguments
            guard let index = arguments.firstIndex(where: { Self.upper($0) == "BLOCK" }) else {
                return nil
            }
            return milliseconds(at: index + 1)
        default:
            return nil
        }
    }

    private static func upper(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).uppercased()
    }

    private func text(at index: Int) -> String? {
        guard index > 0, index < count else { return nil }
        return String(decoding: bytes[ends[index - 1]..<ends[index]], as: UTF8.self)
    }

    private func seconds(at index: Int) -> Duration? {
        guard let value = text(at: index).flatMap(Double.init), value >= 0 else { return nil }
        return .milliseconds(Int64(value * 1000))
    }

    private func milliseconds(at index: Int) -> Duration? {
        guard let value = text(at: index).flatMap(Int64.init), value >= 0 else { return nil }
        return .milliseconds(value)
    }
}
