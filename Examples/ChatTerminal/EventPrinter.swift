import Chat
import Foundation

/// Prints events and history: as wire JSON with `--json`, else as
/// ``HumanFormat`` lines with names in place of ids.
struct EventPrinter: Sendable {
    let console: Console
    let names: NameBook
    /// This client's user, whose typing is not shown to them.
    let userID: String
    let echoes: EchoTracker

    /// Prints a live event.
    func show(_ event: ChatEvent) async {
        if console.isJSON {
            console.output(event.jsonBytes)
        } else if let line = await humanLine(for: event) {
            console.output(line)
        }
        if case .message(let message) = event, message.userID == userID {
            echoes.printed(message.id)
        }
    }

    /// Prints stored messages of a room, oldest first, as Message events
    /// with `--json`, else under a line that says what they are.
    func showHistory(_ messages: [Message], of room: Room) async {
        if !console.isJSON {
            let count = messages.count
            console.notice(
                count == 0
                    ? "#\(room.name) has no messages yet."
                    : "#\(room.name), the last \(count) message\(count == 1 ? "" : "s"):")
        }
        for message in messages {
            if console.isJSON {
                console.output(ChatEvent.message(message).jsonBytes)
            } else {
                let sender = await names.userName(message.userID)
                console.output(HumanFormat.message(message, place: "#\(room.name)", sender: sender))
            }
        }
    }

    private func humanLine(for event: ChatEvent) async -> String? {
        let place = await self.place(of: event.roomID)
        let user = await names.userName(event.userID)
        switch event {
        case .message(let message):
            return HumanFormat.message(message, place: place, sender: user)
        case .typingStarted, .typingStopped:
            // The others' indicators; this user knows when they type.
            guard event.userID != userID else { return nil }
            return HumanFormat.notice(event, place: place, user: user, at: Date())
        default:
            return HumanFormat.notice(event, place: place, user: user, at: Date())
        }
    }

    /// `#room`, or `@name` of the other participant of a direct conversation.
    private func place(of roomID: String?) async -> String {
        guard let roomID else { return "#?" }
        guard roomID.hasPrefix("dm:") else { return "#" + (await names.roomName(roomID)) }
        let participants = roomID.split(separator: ":").dropFirst().map(String.init)
        let other = participants.first { $0 != userID } ?? userID
        return "@" + (await names.userName(other))
    }
}
