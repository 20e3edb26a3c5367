import Hiredis

extension ChatService {
    /// Sends a message to a room.
    ///
    /// One script does all of it or none of it: it checks that the room
    /// exists and the sender is a member, takes the next seq (INCR), stores
    /// `message:{R}:M`, pushes its id on `room:{R}:messages`, trims the list
    /// to ``ChatConfiguration/historyLimit`` and deletes the trimmed
    /// messages, clears the sender's typing indicator, and publishes
    /// ``ChatEvent/message(_:)`` (with its seq) on `chat:room:{R}`.
    ///
    /// Subscribers can take the Message event as the sender's typing
    /// indicator ending; no TypingStopped is published for it.
    ///
    /// - Parameters:
    ///   - content: the text: 1 byte up to
    ///     ``ChatConfiguration/maximumContentBytes`` of UTF-8.
    ///   - roomID: the room.
    ///   - userID: the sender, a member of the room.
    /// - Returns: the stored message, seq included.
    /// - Throws: ``ChatError`` with ``ChatError/Code-swift.struct/roomNotFound``,
    ///   ``ChatError/Code-swift.struct/notAMember``,
    ///   ``ChatError/Code-swift.struct/invalidArgument`` (empty content, a
    ///   malformed id), ``ChatError/Code-swift.struct/tooLarge`` (content), or
    ///   ``ChatError/Code-swift.struct/redis``.
    @discardableResult
    public func send(_ content: String, to roomID: String, from userID: String)
        async throws(ChatError) -> Message
    {
        try Validation.id(roomID, field: "roomID")
        try Validation.id(userID, field: "userID")
        try Validation.content(content, limit: configuration.maximumContentBytes)

        var message = Message(
            id: newID(), roomID: roomID, userID: userID, content: content, timestamp: now())
        var keys = storeKeys(for: message)
        keys += [ChatKeys.room(roomID), ChatKeys.roomMembers(roomID), ChatKeys.roomTyping(roomID)]
        var arguments = storeArguments(for: message)
        arguments.append(ChatKeys.roomChannel(roomID))

        let reply = try await run(
            MessageScripts.sendToRoom, keys: keys, arguments: arguments,
            about: Subject(userID: userID, roomID: roomID))
        message.seq = try Self.seq(from: reply)
        return message
    }

    // MARK: History

    /// The newest messages of a room or direct conversation, oldest first.
    ///
    /// One round trip: a read-only script reads the ids and the messages.
    ///
    /// - Parameters:
    ///   - roomID: a room id, or a conversation id (`dm:A:B`).
    ///   - limit: how many messages at most, 1 to ``maximumPageSize``.
    /// - Returns: up to `limit` messages in seq order; empty when there are none.
    /// - Throws: ``ChatError/Code-swift.struct/roomNotFound`` for an unknown
    ///   room, ``ChatError/Code-swift.struct/invalidArgument``, or
    ///   ``ChatError/Code-swift.struct/redis``.
    public func latestMessages(in roomID: String, limit: Int = 50) async throws(ChatError)
        -> [Message]
    {
        try await page(of: roomID, .latest, cursor: 0, limit: limit)
    }

    /// An older page: the newest messages with a seq below `seq`, oldest first.
    ///
    /// To page back, pass the seq of the oldest message you have; an empty
    /// result means there is nothing older (or it was trimmed).
    ///
    /// - Parameters:
    ///   - roomID: a room id, or a conversation id (`dm:A:B`).
    ///   - seq: the cursor; messages with this seq or newer are left out.
    ///   - limit: how many messages at most, 1 to ``maximumPageSize``.
    /// - Returns: up to `limit` messages in seq order.
    /// - Throws: as ``latestMessages(in:limit:)``.
    public func messages(in roomID: String, before seq: Int, limit: Int = 50)
        async throws(ChatError) -> [Message]
    {
        try Validation.seq(seq, field: "before")
        return try await page(of: roomID, .before, cursor: seq, limit: limit)
    }

    /// A newer page, for catching up: the oldest messages with a seq above
    /// `seq`, oldest first.
    ///
    /// A subscriber that last saw seq S backfills with `after: S`, then with
    /// the newest seq of each page, until a page comes back empty. When the
    /// first message's seq is above S + 1, the ones between were trimmed
    /// from history; the page starts at the oldest message kept.
    ///
    /// - Parameters:
    ///   - roomID: a room id, or a conversation id (`dm:A:B`).
    ///   - seq: the cursor; messages with this seq or older are left out.
    ///   - limit: how many messages at most, 1 to ``maximumPageSize``.
    /// - Returns: up to `limit` messages in seq order.
    /// - Throws: as ``latestMessages(in:limit:)``.
    public func messages(in roomID: String, after seq: Int, limit: Int = 50)
        async throws(ChatError) -> [Message]
    {
        try Validation.seq(seq, field: "after")
        return try await page(of: roomID, .after, cursor: seq, limit: limit)
    }

    /// The seq of the newest message of a room or conversation; 0 before
    /// the first, and for a room that does not exist (GET `room:{R}:seq`).
    ///
    /// - Throws: ``ChatError/Code-swift.struct/invalidArgument`` or
    ///   ``ChatError/Code-swift.struct/redis``.
    public func latestSeq(in roomID: String) async throws(ChatError) -> Int {
        try Validation.roomOrConversationID(roomID, field: "roomID")

        let reply = try await request(RedisCommand("GET", ChatKeys.roomSeq(roomID)))
        guard let text = try Self.text(reply, key: ChatKeys.roomSeq(roomID)) else { return 0 }
        guard let seq = Int(text) else {
            throw ChatError.corrupt(ChatKeys.roomSeq(roomID), "is not a number")
        }
        return seq
    }

    /// Which messages a history page holds, as the page script names it.
    private enum PageMode: String {
        /// The newest `limit`.
        case latest
        /// The newest `limit` with a seq below the cursor.
        case before
        /// The oldest `limit` with a seq above the cursor.
        case after
    }

    private func page(of roomID: String, _ mode: PageMode, cursor: Int, limit: Int)
        async throws(ChatError) -> [Message]
    {
        try Validation.roomOrConversationID(roomID, field: "roomID")
        try Validation.pageSize(limit, maximum: Self.maximumPageSize)

        let isRoom = !roomID.hasPrefix("dm:")
        let reply = try await run(
            MessageScripts.readPage,
            keys: [ChatKeys.room(roomID), ChatKeys.roomSeq(roomID), ChatKeys.roomMessages(roomID)],
            arguments: [
                mode.rawValue, cursor, limit, ChatKeys.messagePrefix(roomID), isRoom ? "1" : "0",
            ],
            about: Subject(roomID: roomID))

        let stride = 1 + MessageScripts.pageFields.count
        guard let values = reply.array, !values.isEmpty, (values.count - 1) % stride == 0 else {
            throw ChatError.corrupt(ChatKeys.roomMessages(roomID), "gave a page of a wrong shape")
        }
        var messages: [Message] = []
        messages.reserveCapacity((values.count - 1) / stride)
        var start = 1
        while start < values.count {
            let entry = values[start..<(start + stride)]
            messages.append(try StoredValues.message(paged: entry, roomID: roomID))
            start += stride
        }

        // The script finds pages by list position; keeping only what the
        // seqs say belongs holds the promise even if the list was edited by hand.
        switch mode {
        case .before: messages.removeAll { ($0.seq ?? 0) >= cursor }
        case .after: messages.removeAll { ($0.seq ?? 0) <= cursor }
        case .latest: break
        }
        // Pages come in seq order unless the list was edited by hand.
        let inOrder = zip(messages, messages.dropFirst()).allSatisfy {
            ($0.seq ?? 0) <= ($1.seq ?? 0)
        }
        return inOrder ? messages : messages.sorted { ($0.seq ?? 0) < ($1.seq ?? 0) }
    }

    // MARK: Storing

    /// `KEYS` 1 to 3 of both send scripts.
    func storeKeys(for message: Message) -> [String] {
        [
            ChatKeys.roomSeq(message.roomID), ChatKeys.roomMessages(message.roomID),
            ChatKeys.message(message.id, inRoom: message.roomID),
        ]
    }

    /// `ARGV` 1 to 8 of both send scripts; the event goes without its seq,
    /// which the script adds.
    func storeArguments(for message: Message) -> [any RedisArgument] {
        [
            message.id, message.roomID, message.userID, message.content,
            ChatTimestamp.format(message.timestamp), configuration.historyLimit,
            ChatEvent.message(message).jsonBytes, ChatKeys.messagePrefix(message.roomID),
        ]
    }

    /// The seq a send script replied with.
    static func seq(from reply: RESPValue) throws(ChatError) -> Int {
        guard let seq = reply.integer else {
            throw ChatError.corrupt("the send script's reply", "is not a seq")
        }
        return Int(seq)
    }
}
