/// One end of a score range, for `ZRANGEBYSCORE` and `ZREMRANGEBYSCORE`.
///
/// A number literal is an inclusive bound, and the infinities are written as
/// Redis expects (`-inf`, `inf`):
///
/// ```swift
/// // Scores s with 10 <= s < 20.
/// let members = try await connection.zrangebyscore(key, min: 10, max: .exclusive(20))
/// ```
public enum RedisScoreBound: Sendable, Hashable {
    /// Scores equal to the value are in the range.
    case inclusive(Double)
    /// Scores equal to the value are out of the range (written `(value`).
    case exclusive(Double)

    /// Below every score (`-inf`).
    public static let negativeInfinity = RedisScoreBound.inclusive(-.infinity)
    /// Above every score (`inf`).
    public static let infinity = RedisScoreBound.inclusive(.infinity)
}

extension RedisScoreBound: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// An inclusive bound.
    public init(integerLiteral value: Int) {
        self = .inclusive(Double(value))
    }

    /// An inclusive bound.
    public init(floatLiteral value: Double) {
        self = .inclusive(value)
    }
}

extension RedisScoreBound: RedisArgument {
    /// Writes the score as the server reads it: `1.5`, `(1.5`, `-inf`, `inf`.
    public func appendRedisArgument(to buffer: inout [UInt8]) {
        switch self {
        case .inclusive(let score):
            score.appendRedisArgument(to: &buffer)
        case .exclusive(let score):
            buffer.append(UInt8(ascii: "("))
            score.appendRedisArgument(to: &buffer)
        }
    }
}
