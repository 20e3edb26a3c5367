extension ChatService {
    /// The Redis ACL rule that gives the service's user what it needs and
    /// nothing more: its keys, its channels and the commands it sends.
    ///
    /// Give the chat service a user of its own rather than the default user:
    ///
    /// ```
    /// ACL SETUSER chat on ><password> <ChatService.aclRule>
    /// ```
    ///
    /// or, in `redis.conf` or an ACL file, `user chat on ><password> <rule>`,
    /// and connect with ``RedisConfiguration/username`` and
    /// ``RedisConfiguration/password`` set. The rule, with `U` standing for
    /// `????????-????-????-????-????????????` (the shape of an id, 36
    /// characters with dashes in their places):
    ///
    /// ```
    /// resetkeys resetchannels -@all
    /// +evalsha +eval +script|load
    /// +get +exists +hgetall +hmget +smembers +set +hset +sadd +srem +sismember
    /// +del +incr +lpush +llen +lrange +ltrim +zadd +zrem +zscore +zrange +zrangebyscore
    /// +zremrangebyscore +pexpireat +time +publish
    /// ~rooms ~username:{*} ~roomname:{*} ~user:{U} ~user:{U}:rooms
    /// ~user:{U}:alive ~room:{U} ~room:{U}:members ~room:{U}:typing
    /// ~room:{U}:messages ~room:{U}:seq ~message:{U}:U ~room:{dm:U:U}
    /// ~room:{dm:U:U}:messages ~room:{dm:U:U}:seq ~message:{dm:U:U}:U
    /// &chat:room:{U} &typing:{U} &presence:{U} &dm:{U}
    /// ```
    ///
    /// What it allows, and why:
    ///
    /// - Commands: the ones the service sends (GET, EXISTS, HGETALL,
    ///   SMEMBERS, and EVALSHA with EVAL as its fallback after a restart or
    ///   SCRIPT FLUSH), SCRIPT LOAD for loading the scripts ahead of time, and
    ///   the ones its Lua scripts call, which Redis checks against the same
    ///   rule. No FLUSHALL, CONFIG, KEYS, SCAN, ACL, SUBSCRIBE, nor any command
    ///   that can reach keys by pattern.
    /// - Keys: exactly the layout of ``ChatKeys``, with ids pinned to their
    ///   shape, so another application's keys on the same server stay out of
    ///   reach. The keys of direct conversations have their own patterns;
    ///   `room:{dm:A:B}` is there because the history script names it (it
    ///   reads it only for rooms).
    /// - Channels: the four event channels, publish only.
    ///
    /// Add `+select` when ``RedisConfiguration/database`` is not 0, and
    /// `+client|setname` when ``RedisConfiguration/clientName`` is set: the
    /// handshake sends them. A connection that subscribes to the chat
    /// channels under this user also needs `+subscribe +unsubscribe`, and
    /// `+ping` if its client pings while subscribed.
    /// EVAL and SCRIPT LOAD run any Lua the user sends, but every command
    /// inside is held to the rule, so they widen no access; they can cost
    /// server time, as any script can.
    public static let aclRule: String = {
        // Glob patterns built by ChatKeys itself, so the rule follows the layout.
        let id = "????????-????-????-????-????????????"
        let conversation = ChatKeys.conversationID(id, id)
        let commands = [
            "evalsha", "eval", "script|load",
            "get", "exists", "hgetall", "hmget", "smembers", "set", "hset", "sadd", "srem",
            "sismember", "del", "incr", "lpush", "llen", "lrange", "ltrim", "zadd", "zrem",
            "zscore", "zrange", "zrangebyscore", "zremrangebyscore", "pexpireat", "time",
            "publish",
        ]
        let keys = [
            ChatKeys.rooms, ChatKeys.userName("*"), ChatKeys.roomName("*"),
            ChatKeys.user(id), ChatKeys.userRooms(id), ChatKeys.userAlive(id),
            ChatKeys.room(id), ChatKeys.roomMembers(id), ChatKeys.roomTyping(id),
            ChatKeys.roomMessages(id), ChatKeys.roomSeq(id), ChatKeys.message(id, inRoom: id),
            ChatKeys.room(conversation), ChatKeys.roomMessages(conversation),
            ChatKeys.roomSeq(conversation), ChatKeys.message(id, inRoom: conversation),
        ]
        let channels = [
            ChatKeys.roomChannel(id), ChatKeys.typingChannel(id), ChatKeys.presenceChannel(id),
            ChatKeys.directChannel(id),
        ]

        let parts =
            ["resetkeys", "resetchannels", "-@all"]
            + commands.map { "+" + $0 } + keys.map { "~" + $0 } + channels.map { "&" + $0 }
        return parts.joined(separator: " ")
    }()
}
