/// When `SET` writes, and what it does to the key's time to live.
///
/// Without options, SET always writes and removes any time to live the key
/// had.
///
/// ```swift
/// let acquired = try await connection.set(
///     "lock:report", to: owner,
///     options: RedisSetOptions(condition: .ifNotExists, expiration: .seconds(30)))
/// ```
public struct RedisSetOptions: Sendable, Hashable {
    /// The condition under which SET writes.
    public enum Condition: Sendable, Hashable {
        /// Write only when the key does not exist yet (`NX`).
        case ifNotExists
        /// Write only when the key already exists (`XX`).
        case ifExists
    }

    /// The time to live that SET gives the key.
    public enum Expiration: Sendable, Hashable {
        /// Expire after this many seconds (`EX`).
        case seconds(Int)
        /// Expire after this many milliseconds (`PX`).
        case milliseconds(Int)
        /// Keep the time to live the key already has (`KEEPTTL`).
        case keepTTL

        /// Expire after `duration`, rounded up to whole milliseconds (`PX`).
        ///
        /// Durations beyond what a 64-bit millisecond count holds are capped;
        /// the server refuses zero and negative ones.
        public static func after(_ duration: Duration) -> Expiration {
            let (seconds, attoseconds) = duration.components
            let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
            let fraction =
                (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
            let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            guard !overflow, whole < .max - fraction else { return .milliseconds(.max) }
            return .milliseconds(Int(whole + fraction))
        }
    }

    /// When SET writes; nil writes in any case.
    public var condition: Condition?
    /// The time to live of the written key; nil leaves the key without one.
    public var expiration: Expiration?

    /// Options with a condition and an expiration, both optional.
    public init(condition: Condition? = nil, expiration: Expiration? = nil) {
        self.condition = condition
        self.expiration = expiration
    }

    /// Appends the option words to a SET command.
    func append(to command: inout RedisCommand) {
        switch condition {
        case .ifNotExists: command.append("NX")
        case .ifExists: command.append("XX")
        case nil: break
        }
        switch expiration {
        case .seconds(let seconds):
            command.append("EX")
            command.append(seconds)
        case .milliseconds(let milliseconds):
            command.append("PX")
            command.append(milliseconds)
        case .keepTTL:
            command.append("KEEPTTL")
        case nil:
            break
        }
    }
}
