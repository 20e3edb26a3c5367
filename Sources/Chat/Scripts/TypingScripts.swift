import Hiredis

/// The Lua scripts behind typing indicators.
///
/// `room:{R}:typing` scores each user by when their indicator expires, in
/// milliseconds of the server's clock (`TIME`), so every indicator expires
/// on its own and clients with skewed clocks agree. An entry counts while
/// its score is after now; the set itself expires with its latest entry.
enum TypingScripts {
    private static let now = """
        local function now_ms()
          local time = redis.call('TIME')
          return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        end
        """

    /// Starts or refreshes a member's indicator; publishes TypingStarted
    /// only when the member was not typing already, so refreshes stay quiet.
    /// Replies 1 when it published.
    ///
    /// Layout: `KEYS` 1 `room:{R}`, 2 `room:{R}:members`, 3 `room:{R}:typing`.
    /// `ARGV` 1 user id, 2 time to live in ms, 3 channel, 4 event.
    static let start = RedisScript(
        """
        \(now)

        if redis.call('EXISTS', KEYS[1]) == 0 then \(ScriptFailure.roomNotFound.lua) end
        if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
          \(ScriptFailure.notAMember.lua)
        end

        local now = now_ms()
        local previous = redis.call('ZSCORE', KEYS[3], ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', string.format('%d', now))
        redis.call('ZADD', KEYS[3], string.format('%d', now + tonumber(ARGV[2])), ARGV[1])

        -- The set lasts as long as its latest indicator, so an abandoned one goes away.
        local latest = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
        redis.call('PEXPIREAT', KEYS[3], string.format('%d', tonumber(latest[2])))

        if previous and tonumber(previous) > now then return 0 end
        redis.call('PUBLISH', ARGV[3], ARGV[4])
        return 1
        """)

    /// Ends a user's indicator; publishes TypingStopped only when it was
    /// still showing. Replies 1 when it published.
    ///
    /// Layout: `KEYS` 1 `room:{R}`, 2 `room:{R}:typing`. `ARGV` 1 user id,
    /// 2 channel, 3 event.
    static let stop = RedisScript(
        """
        \(now)

        if redis.call('EXISTS', KEYS[1]) == 0 then \(ScriptFailure.roomNotFound.lua) end

        local previous = redis.call('ZSCORE', KEYS[2], ARGV[1])
        if not previous then return 0 end
        redis.call('ZREM', KEYS[2], ARGV[1])
        if tonumber(previous) <= now_ms() then return 0 end
        redis.call('PUBLISH', ARGV[2], ARGV[3])
        return 1
        """)

    /// Lists the users whose indicator has not expired, read-only.
    ///
    /// Layout: `KEYS` 1 `room:{R}`, 2 `room:{R}:typing`.
    static let list = RedisScript(
        """
        \(now)

        if redis.call('EXISTS', KEYS[1]) == 0 then \(ScriptFailure.roomNotFound.lua) end

        return redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. string.format('%d', now_ms()), '+inf')
        """)
}
