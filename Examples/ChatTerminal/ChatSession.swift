import Chat
import Hiredis

/// One person's chat, from connecting to signing off.
///
/// The session follows every room it joined: each has a task relaying the
/// room's live events to the printer, and one more relays the user's
/// direct messages. Lines go to the current room, the one joined last.
/// Commands run one at a time (the command loop awaits each), while the
/// relay tasks print concurrently; they share nothing but the ``Console``
/// and the ``NameBook``.
actor ChatSession {
    /// Whether the command loop goes on after a line.
    enum Outcome {
        case goOn
        case quit
    }

    /// A room whose events are shown, and the task that shows them.
    private struct FollowedRoom {
        let room: Room
        let relay: Task<Void, Never>
    }

    /// The user this client chats as.
    let me: User
    let service: ChatService
    let live: ChatSubscriber
    let console: Console
    let names: NameBook
    let printer: EventPrinter
    let echoes: EchoTracker
    /// Where a relay that stops for good reports it.
    let inputs: AsyncStream<SessionInput>.Continuation

    /// The followed rooms in the order they were joined; the last is current.
    private var rooms: [FollowedRoom] = []
    /// The heartbeat and the direct messages' relay.
    private var background: [Task<Void, Never>] = []

    /// Where typed lines go, if anywhere.
    var currentRoom: Room? { rooms.last?.room }

    private init(
        me: User, service: ChatService, live: ChatSubscriber, console: Console,
        inputs: AsyncStream<SessionInput>.Continuation
    ) {
        self.me = me
        self.service = service
        self.live = live
        self.console = console
        self.names = NameBook(service: service)
        self.echoes = EchoTracker()
        self.printer = EventPrinter(console: console, names: names, userID: me.id, echoes: echoes)
        self.inputs = inputs
    }

    /// Connects, finds the user by name or creates them, marks them online,
    /// and starts the heartbeat and the direct messages.
    ///
    /// - Throws: the `RedisError` of a connection that failed, or the
    ///   ``ChatError`` of a user name the service refuses.
    static func open(
        _ redis: RedisConfiguration, userName: String, console: Console,
        inputs: AsyncStream<SessionInput>.Continuation
    ) async throws -> ChatSession {
        let connection = try await RedisConnection.connect(redis)
        let service = ChatService(connection: connection)
        let live: ChatSubscriber
        do {
            live = try await ChatSubscriber.connect(redis, service: service)
        } catch {
            await connection.close()
            throw error
        }

        do {
            let (user, created) = try await findOrCreate(
                find: { () async throws(ChatError) in try await service.user(named: userName) },
                create: { () async throws(ChatError) in
                    try await service.createUser(named: userName)
                })
            // A new user starts online; one coming back tells their rooms.
            if !created { try await service.setStatus(.online, forUser: user.id) }

            let session = ChatSession(
                me: user, service: service, live: live, console: console, inputs: inputs)
            try await session.start(announcing: created)
            return session
        } catch {
            await live.close()
            await connection.close()
            throw error
        }
    }

    private func start(announcing created: Bool) async throws(ChatError) {
        await names.remember(me)
        if created { console.notice("Created the user \(me.name).") }

        let directMessages = try await live.directMessages(forUser: me.id)
        background.append(
            Task { [printer, inputs] in
                await Self.relay(
                    directMessages, named: "direct messages", after: 0, printer: printer,
                    inputs: inputs)
            })
        background.append(
            Task { [service, me, console] in
                await Self.beat(service, userID: me.id, console: console)
            })
    }

    // MARK: Rooms

    /// Joins the room with the name, creating it if it is new, shows its
    /// latest messages, and makes it the current room. A room already
    /// followed just becomes current again.
    ///
    /// - Throws: ``ChatError``: the name's validation error, or a failure
    ///   to reach Redis.
    func join(roomNamed name: String) async throws(ChatError) {
        let (room, created) = try await Self.findOrCreate(
            find: { [service] () async throws(ChatError) in try await service.room(named: name) },
            create: { [service] () async throws(ChatError) in
                try await service.createRoom(named: name)
            })
        if let index = rooms.firstIndex(where: { $0.room.id == room.id }) {
            rooms.append(rooms.remove(at: index))
            console.notice("Talking in #\(room.name) again.")
            return
        }
        await names.remember(room)
        if created { console.notice("Created the room #\(room.name).") }

        // Join first, so that this user's own UserJoined is not shown;
        // subscribe before reading history, so nothing falls in between.
        try await service.join(userID: me.id, roomID: room.id)
        let stream = try await live.events(inRoom: room.id)
        let history = try await service.latestMessages(
            in: room.id, limit: Command.defaultHistoryCount)
        await printer.showHistory(history, of: room)

        // The stream starts from the newest seq when it subscribed; the
        // history read after it may already hold some of what it brings.
        let shown = history.compactMap(\.seq).max() ?? 0
        let relay = Task { [printer, inputs] in
            await Self.relay(
                stream, named: "#\(room.name)", after: shown, printer: printer, inputs: inputs)
        }
        rooms.append(FollowedRoom(room: room, relay: relay))
        console.notice("Talking in #\(room.name) as \(me.name).")
    }

    /// Leaves the current room and stops showing its events.
    func leaveCurrentRoom() async throws(ChatError) {
        guard let followed = rooms.popLast() else { throw Self.noRoom }
        followed.relay.cancel()
        await followed.relay.value

        try await service.leave(userID: me.id, roomID: followed.room.id)
        if let room = currentRoom {
            console.notice("Left #\(followed.room.name); talking in #\(room.name).")
        } else {
            console.notice("Left #\(followed.room.name); /join a room to talk again.")
        }
    }

    // MARK: Ending

    /// Waits, at the end of input, until the messages this client sent
    /// were printed (up to 3 seconds), then a moment more for whatever else
    /// is on its way.
    func settle() async {
        await echoes.waitForAll(upTo: .seconds(3))
        try? await Task.sleep(for: .milliseconds(300))
    }

    /// Stops every task, sets the user offline and closes both connections.
    func close() async {
        let tasks = background + rooms.map(\.relay)
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        background.removeAll()
        rooms.removeAll()

        do {
            try await service.setStatus(.offline, forUser: me.id)
        } catch {
            console.error("could not set \(me.name) offline: \(error)")
        }
        await live.close()
        await service.connection.close()
    }

    // MARK: Helpers

    static let noRoom = ChatError(
        .invalidArgument, "You are in no room; /join one first.", field: "room")

    /// Finds a user or room by name, or creates it. When another client
    /// creates the same name between the two steps, the create fails with
    /// `nameTaken` and the lookup runs again to take theirs.
    static func findOrCreate<Value: Sendable>(
        find: () async throws(ChatError) -> Value?,
        create: () async throws(ChatError) -> Value
    ) async throws(ChatError) -> (value: Value, created: Bool) {
        if let found = try await find() { return (found, false) }
        do throws(ChatError) {
            return (try await create(), true)
        } catch {
            guard error.code == .nameTaken, let found = try await find() else { throw error }
            return (found, false)
        }
    }

    /// Prints a stream's events until the task is cancelled; a stream that
    /// ends or fails otherwise ends the session through `inputs`.
    ///
    /// - Parameter shown: the newest seq already printed from history;
    ///   messages up to it are skipped.
    private static func relay(
        _ stream: ChatEventStream, named name: String, after shown: Int,
        printer: EventPrinter, inputs: AsyncStream<SessionInput>.Continuation
    ) async {
        do {
            for try await event in stream {
                if case .message(let message) = event, let seq = message.seq, seq <= shown {
                    continue
                }
                await printer.show(event)
            }
        } catch {
            guard !Task.isCancelled else { return }
            inputs.yield(.failed("the live events of \(name) stopped: \(error)"))
            return
        }
        if !Task.isCancelled { inputs.yield(.failed("the live events of \(name) ended")) }
    }

    /// Refreshes the user's presence every third of the presence timeout.
    private static func beat(_ service: ChatService, userID: String, console: Console) async {
        let interval = service.configuration.presenceTimeout / 3
        while true {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                try await service.heartbeat(userID: userID)
            } catch {
                if Task.isCancelled { return }
                console.error("the presence heartbeat failed: \(error)")
            }
        }
    }
}
