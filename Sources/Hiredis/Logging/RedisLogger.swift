/// A small logging hook, silent unless a handler is given.
///
/// No logging package is a dependency, so the client reports through this
/// hook and a service forwards it to its own logger. The client logs at
/// ``Level-swift.enum/debug`` (connection lifecycle) and
/// ``Level-swift.enum/trace`` (each command) only, and never logs credentials
/// or argument values.
///
/// ```swift
/// let logger = RedisLogger(level: .debug) { level, message, metadata in
///     print("[\(level)] \(message) \(metadata)")
/// }
/// ```
public struct RedisLogger: Sendable {
    /// How much a message matters; a handler sees messages at its level and above.
    public enum Level: Int, Sendable, Comparable, CustomStringConvertible {
        case trace, debug, info, warning, error

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            }
        }
    }

    /// Receives a level, a message and snake_case metadata.
    public typealias Handler = @Sendable (Level, String, [String: String]) -> Void

    /// The lowest level passed to the handler.
    public var level: Level
    private let handler: Handler?

    /// A logger that passes messages at `level` and above to `handler`.
    public init(level: Level = .debug, handler: @escaping Handler) {
        self.level = level
        self.handler = handler
    }

    private init() {
        self.level = .error
        self.handler = nil
    }

    /// The default: logs nothing.
    public static let silent = RedisLogger()

    /// Logs a message; the message and metadata are built only when they will be used.
    public func log(
        _ level: Level,
        _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        guard let handler, level >= self.level else { return }
        handler(level, message(), metadata())
    }
}
