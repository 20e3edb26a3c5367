import Hiredis

/// The Lua scripts that store and read messages.
///
/// Every key a script touches is passed in `KEYS`, with one exception:
/// message hashes whose ids the script reads from the room's message list
/// (the ones trimming deletes, the ones a history page returns). Those ids
/// cannot be known before the script runs, so the script derives their keys
/// from the `message:{R}:` prefix it gets in `ARGV`; the prefix carries the
/// room's hash tag, so the derived keys live in the slot of the declared
/// ones and the script stays within one slot.
///
/// The message list and the seq counter move together: each send bumps the
/// seq by one and pushes one id, and trimming drops ids from the oldest end
/// only. So the id at list index `i` has seq `last - i`, which is what lets
/// the history script find a page by seq without a scan.
enum MessageScripts {
    /// Shared by both send scripts: bumps the seq, stores the message, pushes
    /// its id, trims the list and deletes the trimmed messages, and returns
    /// the seq with the event payload that carries it.
    ///
    /// Layout: `KEYS` 1 seq, 2 message list, 3 the new message's hash.
    /// `ARGV` 1 message id, 2 room id, 3 user id, 4 content, 5 timestamp,
    /// 6 history cap, 7 the event JSON without `seq`, 8 the message key prefix.
    private static let storeMessage = """
        local function event_is_well_formed()
          return string.sub(ARGV[7], 1, 1) == '{' and string.sub(ARGV[7], -1) == '}'
        end

        local function store_message()
          local seq = redis.call('INCR', KEYS[1])
          -- Lua turns large numbers into '1e+15' when it makes text of them.
          local seq_text = string.format('%d', seq)
          redis.call('HSET', KEYS[3],
            'room_id', ARGV[2], 'user_id', ARGV[3], 'content', ARGV[4],
            'timestamp', ARGV[5], 'seq', seq_text)

          local length = redis.call('LPUSH', KEYS[2], ARGV[1])
          local cap = tonumber(ARGV[6])
          if length > cap then
            local trimmed = redis.call('LRANGE', KEYS[2], cap, -1)
            for _, id in ipairs(trimmed) do
              redis.call('DEL', ARGV[8] .. id)
            end
            redis.call('LTRIM', KEYS[2], 0, cap - 1)
          end

          -- The seq is known only now, so it goes in here, as the last field.
          local event = string.sub(ARGV[7], 1, -2) .. ',"seq":' .. seq_text .. '}'
          return seq, event
        end
        """

    /// Sends a message to a room: checks that the room exists and the sender
    /// is a member, stores and trims, clears the sender's typing indicator
    /// and publishes the Message event. Replies with the message's seq.
    ///
    /// Layout: as ``storeMessage``, then `KEYS` 4 room hash, 5 members,
    /// 6 typing set; `ARGV` 9 the room's chat channel.
    static let sendToRoom = RedisScript(
        """
        \(storeMessage)

        if redis.call('EXISTS', KEYS[4]) == 0 then \(ScriptFailure.roomNotFound.lua) end
        if redis.call('SISMEMBER', KEYS[5], ARGV[3]) == 0 then
          \(ScriptFailure.notAMember.lua)
        end
        if not event_is_well_formed() then \(ScriptFailure.malformedEvent.lua) end

        local seq, event = store_message()
        redis.call('ZREM', KEYS[6], ARGV[3])
        redis.call('PUBLISH', ARGV[9], event)
        return seq
        """)

    /// Sends a direct message: stores and trims in the conversation, and
    /// publishes the Message event to both participants. Replies with the
    /// message's seq. The client checks that both users exist and that the
    /// sender takes part (users are never deleted, so that check holds).
    ///
    /// Layout: as ``storeMessage``, then `ARGV` 9 and 10 the participants'
    /// direct channels.
    static let sendDirect = RedisScript(
        """
        \(storeMessage)

        if not event_is_well_formed() then \(ScriptFailure.malformedEvent.lua) end

        local seq, event = store_message()
        redis.call('PUBLISH', ARGV[9], event)
        redis.call('PUBLISH', ARGV[10], event)
        return seq
        """)

    /// The fields of a message hash that a history page returns, in order;
    /// a message without the first is skipped.
    static let pageFields = ["user_id", "content", "timestamp", "seq"]

    private static let pageFieldList = pageFields.map { "'\($0)'" }.joined(separator: ", ")

    /// Reads one page of history, read-only. Replies with one flat array:
    /// the room's last seq, then for each message, oldest first, its id and
    /// the values of ``pageFields`` in that order.
    ///
    /// HMGET of the fields, in one flat array, rather than an HGETALL pair
    /// per message: the server converts half the strings and builds no
    /// table per message, and the client reads values by position instead
    /// of building a dictionary per message. The room id is left out, being
    /// the page's own. Inside a script each value costs the server a
    /// conversion to Lua and one back, so each field left out counts.
    ///
    /// Modes: `latest` (the newest `limit`), `before` (the newest `limit`
    /// with seq below the cursor), `after` (the oldest `limit` with seq
    /// above the cursor, for backfill).
    ///
    /// Layout: `KEYS` 1 room hash, 2 seq, 3 message list. `ARGV` 1 mode,
    /// 2 cursor, 3 limit, 4 message key prefix, 5 `1` when the room hash
    /// must exist (rooms) or `0` (direct conversations have none).
    static let readPage = RedisScript(
        """
        if ARGV[5] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then
          \(ScriptFailure.roomNotFound.lua)
        end

        local last = tonumber(redis.call('GET', KEYS[2]) or '0')
        if not last then \(ScriptFailure.seqNotANumber.lua) end
        local cursor = tonumber(ARGV[2])
        local limit = tonumber(ARGV[3])

        -- List index i holds seq last - i.
        local newest, oldest
        if ARGV[1] == 'before' then
          newest = math.max(last - cursor + 1, 0)
          oldest = newest + limit - 1
        elseif ARGV[1] == 'after' then
          -- A cursor below the oldest kept message starts at the oldest kept.
          oldest = math.min(last - cursor - 1, redis.call('LLEN', KEYS[3]) - 1)
          newest = math.max(oldest - limit + 1, 0)
        else
          newest = 0
          oldest = limit - 1
        end

        local page = {last}
        if oldest < newest then return page end
        local ids = redis.call('LRANGE', KEYS[3], newest, oldest)
        local prefix = ARGV[4]
        local count = 1
        for index = #ids, 1, -1 do
          local id = ids[index]
          local values = redis.call('HMGET', prefix .. id, \(pageFieldList))
          -- A message without a user is no message: the list was edited by hand.
          if values[1] then
            page[count + 1] = id
        \(pageFieldCopies)
            count = count + \(1 + pageFields.count)
          end
        end
        return page
        """)

    /// `page[count + 2] = values[1]` and so on, one line per field: the
    /// server runs the page script in about a tenth less time than with a
    /// loop over the fields and a length taken per message.
    private static let pageFieldCopies = pageFields.indices.map { index in
        "    page[count + \(index + 2)] = values[\(index + 1)]"
    }.joined(separator: "\n")
}
