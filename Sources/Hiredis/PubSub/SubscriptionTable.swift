/// The channels (or the patterns) a subscriber wants, which of its
/// subscriptions hold each, and what the server has confirmed.
///
/// A name is *wanted* while at least one subscription holds it. The
/// subscriber sends SUBSCRIBE when a name becomes wanted and UNSUBSCRIBE when
/// it stops being wanted, in that order on one socket, so once the server has
/// worked through what was sent its set equals the wanted set. A name is
/// *confirmed* once the server acknowledged the latest SUBSCRIBE sent for it
/// on the current socket: a name subscribed, left and subscribed again back
/// to back counts two SUBSCRIBEs in flight and is confirmed only by the
/// second acknowledgement.
///
/// Pure bookkeeping, no I/O: the subscriber owns one table for channels and
/// one for patterns, on its queue.
struct SubscriptionTable {
    private struct Entry {
        var holders: Set<UInt64> = []
        /// SUBSCRIBE commands for this name written on the current socket and
        /// not yet acknowledged.
        var subscribesInFlight = 0
        var confirmed = false
    }

    private var entries: [String: Entry] = [:]

    /// The names that at least one subscription holds.
    var wanted: [String] {
        entries.compactMap { $0.value.holders.isEmpty ? nil : $0.key }
    }

    /// Whether a subscription holds `name`.
    func isWanted(_ name: String) -> Bool {
        entries[name].map { !$0.holders.isEmpty } ?? false
    }

    /// Whether the server acknowledged the latest SUBSCRIBE for a wanted `name`.
    func isConfirmed(_ name: String) -> Bool {
        entries[name]?.confirmed ?? false
    }

    /// The subscriptions that hold `name`.
    func holders(of name: String) -> Set<UInt64> {
        entries[name]?.holders ?? []
    }

    /// Lets `holder` hold `names`.
    ///
    /// - Returns: the names that were not wanted before, which need a SUBSCRIBE.
    mutating func add(_ holder: UInt64, to names: some Sequence<String>) -> [String] {
        var newlyWanted: [String] = []
        for name in names {
            var entry = entries[name, default: Entry()]
            if entry.holders.isEmpty { newlyWanted.append(name) }
            entry.holders.insert(holder)
            entries[name] = entry
        }
        return newlyWanted
    }

    /// Lets `holder` go of `names`.
    ///
    /// - Returns: the names nobody wants any more, which need an UNSUBSCRIBE.
    mutating func remove(_ holder: UInt64, from names: some Sequence<String>) -> [String] {
        var unwanted: [String] = []
        for name in names {
            guard var entry = entries[name], entry.holders.remove(holder) != nil else { continue }
            if entry.holders.isEmpty {
                unwanted.append(name)
                entry.confirmed = false
            }
            store(entry, for: name)
        }
        return unwanted
    }

    /// Makes every holder let go of `name`, as an explicit UNSUBSCRIBE does.
    ///
    /// - Returns: the subscriptions that held it.
    mutating func removeHolders(of name: String) -> Set<UInt64> {
        guard var entry = entries[name] else { return [] }
        let holders = entry.holders
        entry.holders.removeAll()
        entry.confirmed = false
        store(entry, for: name)
        return holders
    }

    /// Records that a SUBSCRIBE for `names` was written to the socket.
    mutating func subscribeSent(for names: some Sequence<String>) {
        for name in names {
            entries[name, default: Entry()].subscribesInFlight += 1
        }
    }

    /// Records the server's acknowledgement of one SUBSCRIBE for `name`.
    ///
    /// - Returns: whether `name` is wanted and now confirmed.
    mutating func subscribeAcknowledged(for name: String) -> Bool {
        guard var entry = entries[name] else { return false }
        entry.subscribesInFlight = max(0, entry.subscribesInFlight - 1)
        if entry.subscribesInFlight == 0 && !entry.holders.isEmpty {
            entry.confirmed = true
        }
        store(entry, for: name)
        return entry.confirmed
    }

    /// Records that the server refused a SUBSCRIBE for `name` with an error.
    mutating func subscribeRefused(for name: String) {
        guard var entry = entries[name] else { return }
        entry.subscribesInFlight = max(0, entry.subscribesInFlight - 1)
        store(entry, for: name)
    }

    /// Forgets what the server knew: after a drop, a new socket starts with
    /// no subscription at all.
    mutating func connectionLost() {
        entries = entries.filter { !$0.value.holders.isEmpty }
        for name in entries.keys {
            entries[name]!.subscribesInFlight = 0
            entries[name]!.confirmed = false
        }
    }

    /// Drops every name and holder.
    mutating func removeAll() {
        entries.removeAll()
    }

    /// Keeps an entry while someone holds it or a SUBSCRIBE for it is in
    /// flight, whose acknowledgement must still be counted.
    private mutating func store(_ entry: Entry, for name: String) {
        if entry.holders.isEmpty && entry.subscribesInFlight == 0 {
            entries[name] = nil
        } else {
            entries[name] = entry
        }
    }
}
