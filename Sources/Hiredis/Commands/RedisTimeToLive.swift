/// How long a key has left to live, as `TTL` and `PTTL` report it.
///
/// The server's two negative replies become their own cases, so a missing
/// key (-2) and a key without expiry (-1) cannot be mistaken for a duration.
public enum RedisTimeToLive: Sendable, Hashable {
    /// The key does not exist.
    case noKey
    /// The key exists and never expires.
    case noExpiry
    /// The key expires after this long.
    case expires(in: Duration)

    /// Reads a TTL or PTTL reply counted in `unit`s.
    init(reply: Int, unit: Duration) {
        switch reply {
        case -2: self = .noKey
        case -1: self = .noExpiry
        default: self = .expires(in: unit * reply)
        }
    }
}
