/// A bounded set of connections to one server, leased one task at a time.
///
/// One ``RedisConnection`` already pipelines any number of concurrent
/// callers, so most services need a pool only for commands that hold a
/// connection: blocking pops (BLPOP), WATCH/MULTI/EXEC, or a long SCAN.
///
/// - Leases are served in FIFO order.
/// - When every connection is leased, a new lease waits up to
///   `leaseTimeout`, then fails with ``RedisError/Code-swift.struct/poolExhausted``.
/// - A connection that has closed for good is dropped on return and a new
///   one is made when needed; one that is reconnecting stays in the pool.
///
/// ```swift
/// let pool = RedisConnectionPool(configuration: configuration, maximumConnections: 4)
/// let job = try await pool.withConnection { connection in
///     try await connection.send("BLPOP", "jobs", 5)
/// }
/// await pool.close()
/// ```
public actor RedisConnectionPool {
    /// How connections are made.
    public nonisolated let configuration: RedisConfiguration
    /// The most connections open at once.
    public nonisolated let maximumConnections: Int
    /// How long a lease may wait for a free connection.
    public nonisolated let leaseTimeout: Duration

    private struct Waiter {
        var ticket: UInt64
        var continuation: CheckedContinuation<RedisConnection, any Error>
    }

    private var idle: [RedisConnection] = []
    /// Connections leased, idle or being made.
    private var open = 0
    private var waiters: [Waiter] = []
    private var nextTicket: UInt64 = 0
    private var closed = false

    /// A pool that opens connections on demand, up to `maximumConnections`.
    public init(
        configuration: RedisConfiguration,
        maximumConnections: Int = 8,
        leaseTimeout: Duration = .seconds(5)
    ) {
        precondition(maximumConnections > 0, "a pool needs room for at least one connection")
        self.configuration = configuration
        self.maximumConnections = maximumConnections
        self.leaseTimeout = leaseTimeout
    }

    /// Leases a connection for the duration of `body`, then returns it.
    ///
    /// - Parameter body: the work to do with the connection. It must not
    ///   keep the connection after it returns.
    /// - Returns: what `body` returns.
    /// - Throws: ``RedisError/Code-swift.struct/poolExhausted`` when no
    ///   connection became free in time, a connect error, or what `body` throws.
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (RedisConnection) async throws -> sending Result
    ) async throws -> sending Result {
        let connection = try await lease()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Sends one command on a leased connection.
    @discardableResult
    public func send(_ command: RedisCommand) async throws -> RESPValue {
        try await withConnection { try await $0.send(command) }
    }

    /// Takes a connection out of the pool; give it back with ``release(_:)``.
    public func lease() async throws -> RedisConnection {
        guard !closed else { throw RedisError.closed }
        while let connection = idle.popLast() {
            if !connection.isClosed { return connection }
            open -= 1
        }
        if open < maximumConnections {
            return try await makeConnection()
        }
        return try await waitForConnection()
    }

    /// Returns a leased connection to the pool.
    public func release(_ connection: RedisConnection) async {
        let broken = connection.isClosed
        if closed || broken {
            open -= 1
            await connection.close()
            if !closed, !waiters.isEmpty {
                let waiter = waiters.removeFirst()
                do {
                    waiter.continuation.resume(returning: try await makeConnection())
                } catch {
                    waiter.continuation.resume(throwing: error)
                }
            }
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// Closes every idle connection, and each leased one as it returns;
    /// waiting leases fail with ``RedisError/Code-swift.struct/connectionClosed``.
    public func close() async {
        closed = true
        let waiting = waiters
        waiters.removeAll()
        for waiter in waiting { waiter.continuation.resume(throwing: RedisError.closed) }
        let connections = idle
        idle.removeAll()
        open -= connections.count
        for connection in connections { await connection.close() }
    }

    private func makeConnection() async throws -> RedisConnection {
        open += 1
        do {
            return try await RedisConnection.connect(configuration)
        } catch {
            open -= 1
            throw error
        }
    }

    private func waitForConnection() async throws -> RedisConnection {
        let ticket = nextTicket
        nextTicket += 1
        let timeout = leaseTimeout
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            await self?.expire(ticket)
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append(Waiter(ticket: ticket, continuation: continuation))
            }
        } onCancel: {
            Task { await self.expire(ticket, cancelled: true) }
        }
    }

    private func expire(_ ticket: UInt64, cancelled: Bool = false) {
        guard let index = waiters.firstIndex(where: { $0.ticket == ticket }) else { return }
        let waiter = waiters.remove(at: index)
        if cancelled {
            waiter.continuation.resume(throwing: RedisError.cancelled)
            return
        }
        waiter.continuation.resume(
            throwing: RedisError(
                .poolExhausted,
                "All \(maximumConnections) pooled connections stayed busy for \(leaseTimeout); "
                    + "raise maximumConnections or leaseTimeout, or return leases sooner."
            ))
    }
}
