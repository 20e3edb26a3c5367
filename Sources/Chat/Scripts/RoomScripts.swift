import Hiredis

/// The Lua scripts that create rooms and change their membership.
///
/// These touch keys of more than one hash tag (a name key and the room, or
/// a user and a room), so they run on one server, not across a Redis
/// Cluster. A script rather than MULTI/EXEC, because each must check that
/// the user and the room exist before it writes, and MULTI cannot branch.
// TODO(cluster): split membership changes into a room-slot script and a
// user-slot script, the room side authoritative, to run on a cluster.
enum RoomScripts {
    /// Claims the name, writes the room hash and adds the room to `rooms`.
    ///
    /// Layout: `KEYS` 1 `roomname:{N}`, 2 `room:{R}`, 3 `rooms`.
    /// `ARGV` 1 room id, 2 name, 3 created_at, 4 description (optional).
    static let create = RedisScript(
        """
        if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then
          \(ScriptFailure.nameTaken.lua)
        end

        redis.call('HSET', KEYS[2], 'name', ARGV[2], 'created_at', ARGV[3])
        if ARGV[4] then redis.call('HSET', KEYS[2], 'description', ARGV[4]) end
        redis.call('SADD', KEYS[3], ARGV[1])
        return 1
        """)

    /// Adds a user to a room (both sets) and, when the user was not a member
    /// yet, publishes UserJoined. Replies 1 when the user joined, 0 when
    /// they were a member already.
    ///
    /// Layout: `KEYS` 1 `user:{U}`, 2 `user:{U}:rooms`, 3 `room:{R}`,
    /// 4 `room:{R}:members`. `ARGV` 1 user id, 2 room id, 3 channel, 4 event.
    static let join = RedisScript(
        """
        if redis.call('EXISTS', KEYS[1]) == 0 then \(ScriptFailure.userNotFound.lua) end
        if redis.call('EXISTS', KEYS[3]) == 0 then \(ScriptFailure.roomNotFound.lua) end

        local added = redis.call('SADD', KEYS[4], ARGV[1])
        redis.call('SADD', KEYS[2], ARGV[2])
        if added == 1 then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
        return added
        """)

    /// Removes a user from a room (both sets, and the typing set) and, when
    /// the user was a member, publishes UserLeft. Replies 1 when the user
    /// left, 0 when they were not a member.
    ///
    /// Layout: `KEYS` 1 `user:{U}`, 2 `user:{U}:rooms`, 3 `room:{R}`,
    /// 4 `room:{R}:members`, 5 `room:{R}:typing`. `ARGV` as for ``join``.
    static let leave = RedisScript(
        """
        if redis.call('EXISTS', KEYS[1]) == 0 then \(ScriptFailure.userNotFound.lua) end
        if redis.call('EXISTS', KEYS[3]) == 0 then \(ScriptFailure.roomNotFound.lua) end

        local removed = redis.call('SREM', KEYS[4], ARGV[1])
        redis.call('SREM', KEYS[2], ARGV[2])
        redis.call('ZREM', KEYS[5], ARGV[1])
        if removed == 1 then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
        return removed
        """)
}
