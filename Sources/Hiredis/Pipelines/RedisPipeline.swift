/// A batch of commands written together and answered together, each with
/// its own result.
///
/// An error in one command (a server error reply) fills that command's
/// slot and leaves every other slot alone. Scripts in the batch are loaded
/// with SCRIPT LOAD ahead of it, so they cannot fail with `NOSCRIPT`.
///
/// ```swift
/// var pipeline = RedisPipeline()
/// pipeline.append("SET", "greeting", "hello")
/// pipeline.append("INCR", "visits")
/// let results = try await connection.execute(pipeline)
/// let visits = try results[1].get().decode(as: Int.self)
/// ```
public struct RedisPipeline: Sendable {
    /// The commands, in order.
    public private(set) var commands: [RedisCommand] = []
    /// The scripts the commands run by EVALSHA, each once.
    private(set) var scripts: [RedisScript] = []

    public init() {}

    /// The number of commands in the batch.
    public var count: Int { commands.count }

    /// Adds a command.
    public mutating func append(_ command: RedisCommand) {
        commands.append(command)
    }

    /// Adds a command given by its name and arguments.
    public mutating func append(_ name: String, _ arguments: any RedisArgument...) {
        commands.append(RedisCommand(name, arguments: arguments))
    }

    /// Adds a script run (EVALSHA), its script loaded ahead of the batch.
    public mutating func evaluate(
        _ script: RedisScript,
        keys: [any RedisArgument] = [],
        arguments: [any RedisArgument] = []
    ) {
        if !scripts.contains(script) { scripts.append(script) }
        commands.append(script.evalshaCommand(keys: keys, arguments: arguments))
    }
}

extension RedisConnection {
    /// Sends every command of a pipeline in one write and returns one result
    /// per command, in order.
    ///
    /// - Parameter pipeline: the commands, and the scripts they evaluate.
    /// - Returns: for each command, its reply or the server error it got.
    /// - Throws: ``RedisError`` only when the batch as a whole failed (the
    ///   connection dropped, the deadline passed, the task was cancelled).
    public nonisolated func execute(_ pipeline: RedisPipeline) async throws -> [Result<
        RESPValue, RedisError
    >] {
        guard !pipeline.scripts.isEmpty else {
            return try await exchange(pipeline.commands).map(\.asResult)
        }
        let loads = pipeline.scripts.map(\.loadCommand)
        let replies = try await exchange(loads + pipeline.commands)
        return replies.dropFirst(loads.count).map(\.asResult)
    }

    /// Builds a pipeline in a closure, sends it, and returns one result per command.
    ///
    /// - Parameter build: appends the commands to the pipeline it is given.
    /// - Returns: as ``execute(_:)``.
    /// - Throws: what `build` throws, before anything is sent, or as
    ///   ``execute(_:)``.
    public nonisolated func pipeline(
        _ build: (inout RedisPipeline) throws -> Void
    ) async throws -> [Result<RESPValue, RedisError>] {
        var pipeline = RedisPipeline()
        try build(&pipeline)
        return try await execute(pipeline)
    }

    /// Runs the commands of a pipeline as one MULTI/EXEC transaction.
    ///
    /// Pair it with ``watch(_:)`` on a connection no other task uses at the
    /// same time (lease one from a pool): WATCH belongs to the connection.
    ///
    /// - Parameter pipeline: the commands to run between MULTI and EXEC.
    /// - Returns: one result per command; a command that failed at run time
    ///   (say, INCR on a string) holds its error, the others still ran.
    /// - Throws: ``RedisError/Code-swift.struct/transactionAborted`` when a
    ///   watched key changed and nothing ran; a server error (`EXECABORT`)
    ///   when a command was refused while queueing and nothing ran.
    public nonisolated func transaction(_ pipeline: RedisPipeline) async throws -> [Result<
        RESPValue, RedisError
    >] {
        let loads = pipeline.scripts.map(\.loadCommand)
        let batch = loads + [RedisCommand("MULTI")] + pipeline.commands + [RedisCommand("EXEC")]
        let replies = try await exchange(batch)

        guard let exec = replies.last else { return [] }
        switch exec {
        case .array(let results):
            return results.map(\.asResult)
        case .null:
            throw RedisError(
                .transactionAborted,
                "The transaction did not run because a watched key changed; "
                    + "read the keys again and retry."
            )
        default:
            throw exec.serverError ?? RedisError.decoding(exec, as: [RESPValue].self)
        }
    }

    /// Builds a transaction in a closure and runs it with MULTI/EXEC.
    ///
    /// - Parameter build: appends the commands to the pipeline it is given.
    /// - Returns: as ``transaction(_:)-(RedisPipeline)``.
    /// - Throws: what `build` throws, before anything is sent, or as
    ///   ``transaction(_:)-(RedisPipeline)``.
    public nonisolated func transaction(
        _ build: (inout RedisPipeline) throws -> Void
    ) async throws -> [Result<RESPValue, RedisError>] {
        var pipeline = RedisPipeline()
        try build(&pipeline)
        return try await transaction(pipeline)
    }

    /// Marks keys to watch for the next transaction on this connection (WATCH).
    ///
    /// Complexity: O(1) per key.
    ///
    /// - Parameter keys: the keys whose change aborts the next transaction.
    /// - Throws: ``RedisError`` when the connection fails.
    public nonisolated func watch(_ keys: any RedisArgument...) async throws {
        try await send(RedisCommand("WATCH", arguments: keys))
    }

    /// Forgets every watched key of this connection (UNWATCH).
    ///
    /// - Throws: ``RedisError`` when the connection fails.
    public nonisolated func unwatch() async throws {
        try await send(RedisCommand("UNWATCH"))
    }
}

extension RESPValue {
    /// The reply as a result: a server error reply becomes a failure.
    var asResult: Result<RESPValue, RedisError> {
        if let error = serverError { .failure(error) } else { .success(self) }
    }
}
