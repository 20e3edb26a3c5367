import Chat
import Foundation

/// Prints chat events one per line, readable at a glance: when, where, who, what.
struct EventPrinter: Sendable {
    let names: [String: String]
    let rooms: [String: String]

    init(names: [String: String], rooms: [Room]) {
        self.names = names
        self.rooms = Dictionary(uniqueKeysWithValues: rooms.map { ($0.id, $0.name) })
    }

    private func name(_ userID: String) -> String { names[userID] ?? String(userID.prefix(8)) }

    private func place(_ roomID: String?) -> String {
        guard let roomID else { return "" }
        if roomID.hasPrefix("dm:") { return "DM" }
        return "#" + (rooms[roomID] ?? String(roomID.prefix(8)))
    }

    private static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss.SSS"
        return formatter.string(from: date)
    }

    /// One message as a history line.
    func line(for message: Message) -> String {
        let seq = message.seq.map { "[\($0)] " } ?? ""
        return "\(seq)\(Self.clock(message.timestamp))  \(name(message.userID)): \(message.content)"
    }

    /// One live event as a line.
    func line(for event: ChatEvent, receivedAt date: Date = Date()) -> String {
        let what: String
        var when = date
        switch event {
        case .message(let message):
            when = message.timestamp
            if message.roomID.hasPrefix("dm:") {
                let participants = message.roomID.split(separator: ":").dropFirst()
                let other = participants.first { $0 != message.userID }.map(String.init) ?? ""
                what = "\(name(message.userID)) → \(name(other)): \(message.content)"
            } else {
                what = "\(name(message.userID)): \(message.content)"
            }
        case .userJoined(let userID, _): what = "\(name(userID)) joined"
        case .userLeft(let userID, _): what = "\(name(userID)) left"
        case .typingStarted(let userID, _): what = "\(name(userID)) is typing…"
        case .typingStopped(let userID, _): what = "\(name(userID)) stopped typing"
        case .presenceChanged(let userID, _, let status): what = "\(name(userID)) is now \(status)"
        }
        let location = place(event.roomID).padding(toLength: 10, withPad: " ", startingAt: 0)
        return "  \(Self.clock(when))  \(location) \(what)"
    }

    /// Reads several streams into one, to print them in the order they arrive.
    func merge(_ streams: ChatEventStream...) -> LiveEvents {
        let inbox = EventInbox()
        let readers = streams.map { stream in
            Task {
                do {
                    for try await event in stream { await inbox.put(event) }
                } catch {
                    FileHandle.standardError.write(Data("event stream ended: \(error)\n".utf8))
                }
            }
        }
        return LiveEvents(inbox: inbox, readers: readers, printer: self)
    }
}

/// Events from the subscriber, printed as the demo waits for them.
final class LiveEvents: Sendable {
    private let inbox: EventInbox
    private let readers: [Task<Void, Never>]
    private let printer: EventPrinter

    init(inbox: EventInbox, readers: [Task<Void, Never>], printer: EventPrinter) {
        self.inbox = inbox
        self.readers = readers
        self.printer = printer
    }

    deinit {
        for reader in readers { reader.cancel() }
    }

    /// Prints the next `count` events as they arrive; gives up after a few
    /// seconds, saying so, rather than hang the demo.
    func show(_ count: Int) async {
        for _ in 0..<count {
            guard let event = await inbox.take(within: .seconds(5)) else {
                FileHandle.standardError.write(Data("  (an expected event did not arrive)\n".utf8))
                return
            }
            print(printer.line(for: event))
        }
    }
}

/// Events that arrived and are not printed yet, and the one waiter for them.
actor EventInbox {
    private var events: [ChatEvent] = []
    private var waiter: CheckedContinuation<ChatEvent?, Never>?

    func put(_ event: ChatEvent) {
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: event)
        } else {
            events.append(event)
        }
    }

    /// The oldest waiting event, or the next to arrive; nil after `timeout`.
    func take(within timeout: Duration) async -> ChatEvent? {
        if !events.isEmpty { return events.removeFirst() }
        let alarm = Task {
            try await Task.sleep(for: timeout)
            self.giveUp()
        }
        defer { alarm.cancel() }
        return await withCheckedContinuation { waiter = $0 }
    }

    private func giveUp() {
        waiter?.resume(returning: nil)
        waiter = nil
    }
}
