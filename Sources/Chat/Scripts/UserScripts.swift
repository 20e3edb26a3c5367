import Hiredis

/// The Lua scripts that create users and keep their presence.
///
/// `createUser` touches a name key and a user's keys, which have different
/// hash tags: it runs on one server, not across a Redis Cluster.
// TODO(cluster): claim the name and write the user in two slot-local steps,
// with a repair for a claim whose user was never written, to run on a cluster.
enum UserScripts {
    /// Claims the name, writes the user hash and starts the heartbeat key.
    ///
    /// Layout: `KEYS` 1 `username:{N}`, 2 `user:{U}`, 3 `user:{U}:alive`.
    /// `ARGV` 1 user id, 2 name, 3 status, 4 created_at, 5 heartbeat
    /// timeout in ms, 6 avatar (optional).
    static let create = RedisScript(
        """
        if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then
          \(ScriptFailure.nameTaken.lua)
        end

        redis.call('HSET', KEYS[2], 'name', ARGV[2], 'status', ARGV[3], 'created_at', ARGV[4])
        if ARGV[6] then redis.call('HSET', KEYS[2], 'avatar', ARGV[6]) end
        redis.call('SET', KEYS[3], '1', 'PX', ARGV[5])
        return 1
        """)

    /// Stores a status, refreshes or ends the heartbeat, and publishes
    /// PresenceChanged to the presence channel of every room of the user.
    /// Replies with the number of rooms told.
    ///
    /// The event names the room, so the script builds one per room: it gets
    /// the JSON before and after the room id, and the channel name before
    /// and after it, from ``ChatEvent`` and ``ChatKeys``.
    ///
    /// Layout: `KEYS` 1 `user:{U}`, 2 `user:{U}:rooms`, 3 `user:{U}:alive`.
    /// `ARGV` 1 status, 2 heartbeat timeout in ms or `0` to end it, 3 and 4
    /// the event JSON around the room id, 5 and 6 the channel around it.
    static let setStatus = RedisScript(
        """
        if redis.call('EXISTS', KEYS[1]) == 0 then \(ScriptFailure.userNotFound.lua) end

        redis.call('HSET', KEYS[1], 'status', ARGV[1])
        if ARGV[2] == '0' then
          redis.call('DEL', KEYS[3])
        else
          redis.call('SET', KEYS[3], '1', 'PX', ARGV[2])
        end

        local rooms = redis.call('SMEMBERS', KEYS[2])
        for _, room in ipairs(rooms) do
          local event = ARGV[3] .. cjson.encode(room) .. ARGV[4]
          redis.call('PUBLISH', ARGV[5] .. room .. ARGV[6], event)
        end
        return #rooms
        """)

    /// Refreshes a user's heartbeat key.
    ///
    /// Layout: `KEYS` 1 `user:{U}`, 2 `user:{U}:alive`. `ARGV` 1 timeout in ms.
    static let heartbeat = RedisScript(
        """
        if redis.call('EXISTS', KEYS[1]) == 0 then \(ScriptFailure.userNotFound.lua) end

        redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
        return 1
        """)
}
