import Chat

/// The checks of a soak, made once the faults are over and the streams
/// caught up, against the history stored in Redis.
///
/// Sends are matched to history by content, which is unique per send:
///
/// - a confirmed send is stored exactly once, with the id and seq it returned;
/// - a send whose outcome is unknown is stored at most once;
/// - a send that failed otherwise (it never ran) is not stored at all;
/// - nothing is stored that no send produced, and each conversation's seqs
///   run from 1 without a hole (the history cap is far above the run's
///   size, so nothing is trimmed).
///
/// Each stream must have received every stored message of its
/// conversations after the seq it started from, once each, in seq order,
/// and nothing that history does not hold.
struct SoakVerdict {
    var confirmed = 0
    var confirmedMissing = 0
    var misplaced = 0
    var storedTwice = 0
    var unknownStored = 0
    var unknownAbsent = 0
    var failed = 0
    var phantoms = 0
    var pending = 0
    var unaccounted = 0
    var historyHoles = 0
    var stored = 0

    var delivered = 0
    var deliveriesMissing = 0
    var deliveredTwice = 0
    var outOfOrder = 0
    var strangers = 0
    var failedStreams: [String] = []

    /// The first few findings of each kind, to say where to look.
    private(set) var findings: [String] = []
    private var findingsPerKind: [String: Int] = [:]

    /// Messages missing from history or from a stream.
    var lost: Int { confirmedMissing + deliveriesMissing }
    /// Messages stored or delivered more than once.
    var duplicated: Int { storedTwice + deliveredTwice }

    var passed: Bool {
        lost == 0 && duplicated == 0 && misplaced == 0 && phantoms == 0 && pending == 0
            && unaccounted == 0 && historyHoles == 0 && outOfOrder == 0 && strangers == 0
            && failedStreams.isEmpty
    }

    /// - Parameters:
    ///   - sends: every send of the run.
    ///   - history: every stored message, per conversation, in seq order.
    ///   - latest: each conversation's last seq, as `room:{R}:seq` holds it.
    ///   - streams: the recorders, done listening.
    init(
        sends: [SendRecord], history: [String: [Message]], latest: [String: Int],
        streams: [StreamRecorder]
    ) {
        checkHistory(history, latest: latest)
        checkSends(sends, against: history)
        for stream in streams { checkDeliveries(of: stream, against: history) }
    }

    private mutating func note(_ kind: String, _ finding: @autoclosure () -> String) {
        let count = findingsPerKind[kind, default: 0]
        findingsPerKind[kind] = count + 1
        if count < 5 { findings.append("\(kind): \(finding())") }
    }

    private mutating func checkHistory(_ history: [String: [Message]], latest: [String: Int]) {
        for (conversation, messages) in history {
            stored += messages.count
            let seqs = Set(messages.compactMap(\.seq))
            let last = latest[conversation, default: 0]
            let holes = last - seqs.filter { $0 >= 1 && $0 <= last }.count
            if holes > 0 {
                historyHoles += holes
                note("hole", "\(conversation) lacks \(holes) of seqs 1...\(last)")
            }
        }
    }

    private mutating func checkSends(_ sends: [SendRecord], against history: [String: [Message]]) {
        var byContent: [String: [Message]] = [:]
        for messages in history.values {
            for message in messages { byContent[message.content, default: []].append(message) }
        }

        var sent = Set<String>()
        for send in sends {
            sent.insert(send.content)
            let copies = byContent[send.content] ?? []
            if copies.count > 1 {
                storedTwice += copies.count - 1
                note("stored twice", "'\(send.content)' at seqs \(copies.compactMap(\.seq))")
            }
            switch send.outcome {
            case .pending:
                pending += 1
                note("unsettled", "'\(send.content)' never got an answer")
            case .confirmed(let message):
                confirmed += 1
                if copies.isEmpty {
                    confirmedMissing += 1
                    note("lost", "'\(send.content)', confirmed at seq \(message.seq ?? 0)")
                } else if !copies.contains(where: {
                    $0.id == message.id && $0.seq == message.seq
                        && $0.roomID == send.conversationID
                }) {
                    misplaced += 1
                    note("misplaced", "'\(send.content)' is not stored as it was confirmed")
                }
            case .unknown:
                if copies.isEmpty { unknownAbsent += 1 } else { unknownStored += 1 }
            case .failed(let reason):
                failed += 1
                if !copies.isEmpty {
                    phantoms += 1
                    note("phantom", "'\(send.content)' failed (\(reason)) but is stored")
                }
            }
        }
        for (content, copies) in byContent where !sent.contains(content) {
            unaccounted += copies.count
            note("unaccounted", "'\(content)' is stored but was never sent")
        }
    }

    private mutating func checkDeliveries(
        of stream: StreamRecorder, against history: [String: [Message]]
    ) {
        if let failure = stream.failure {
            failedStreams.append("\(stream.name): \(failure)")
        }
        let received = stream.received
        for (conversation, messages) in received where stream.baselines[conversation] == nil {
            delivered += messages.count
            strangers += messages.count
            note("stranger", "\(stream.name) got \(messages.count) of \(conversation)")
        }

        for (conversation, baseline) in stream.baselines {
            let stored = history[conversation] ?? []
            var storedBySeq: [Int: Message] = [:]
            for message in stored { if let seq = message.seq { storedBySeq[seq] = message } }

            var seen = Set<Int>()
            var highest = baseline
            for message in received[conversation] ?? [] {
                delivered += 1
                guard let seq = message.seq, let original = storedBySeq[seq],
                    original.id == message.id, original.content == message.content,
                    original.userID == message.userID
                else {
                    strangers += 1
                    note("stranger", "\(stream.name) got '\(message.content)', not as stored")
                    continue
                }
                guard seen.insert(seq).inserted else {
                    deliveredTwice += 1
                    note("delivered twice", "\(stream.name): \(conversation) seq \(seq)")
                    continue
                }
                if seq <= highest {
                    outOfOrder += 1
                    note("out of order", "\(stream.name): seq \(seq) after \(highest)")
                }
                highest = max(highest, seq)
            }

            let missing = stored.compactMap(\.seq).filter { $0 > baseline && !seen.contains($0) }
            if !missing.isEmpty {
                deliveriesMissing += missing.count
                note(
                    "not delivered",
                    "\(stream.name) lacks \(missing.count) of \(conversation), "
                        + "seqs \(missing.prefix(8))\(missing.count > 8 ? "..." : "")")
            }
        }
    }
}
