import Chat
import Hiredis
import Synchronization

/// One simulated user: sends room messages and direct messages, types and
/// changes status at a modest rate until the deadline, on a connection of
/// its own. An action that fails (the server is down, the connection
/// dropped) is counted, and the user goes on with the next one after a
/// short pause, as a client would.
struct SimulatedUser: Sendable {
    let name: String
    let userID: String
    let roomIDs: [String]
    let contactIDs: [String]
    let chat: ChatService
    let ledger: SendLedger
    let tally: ActionTally

    func run(until deadline: ContinuousClock.Instant) async {
        var number = 0
        while ContinuousClock.now < deadline {
            let succeeded: Bool
            switch Int.random(in: 0..<100) {
            case 0..<45:
                number += 1
                succeeded = await sendToRoom(number)
            case 45..<65 where !contactIDs.isEmpty:
                number += 1
                succeeded = await sendDirect(number)
            case 65..<85:
                succeeded = await type()
            case 85..<95:
                succeeded = await changeStatus()
            default:
                succeeded = await tally.record("heartbeat") { () async throws(ChatError) in
                    try await chat.heartbeat(userID: userID)
                }
            }
            let pause = succeeded ? Int.random(in: 150...450) : Int.random(in: 100...300)
            try? await Task.sleep(for: .milliseconds(pause))
        }
    }

    /// Content no other send uses, so that history can be matched to sends.
    private func content(_ number: Int, _ kind: String) -> String {
        "soak \(name) \(kind) \(number)"
    }

    private func sendToRoom(_ number: Int) async -> Bool {
        guard let roomID = roomIDs.randomElement() else { return true }
        let text = content(number, "room")
        return await ledger.send(text, in: roomID) { () async throws(ChatError) in
            try await chat.send(text, to: roomID, from: userID)
        }
    }

    private func sendDirect(_ number: Int) async -> Bool {
        guard let contactID = contactIDs.randomElement() else { return true }
        let text = content(number, "direct")
        let conversationID: String
        do {
            conversationID = try ChatService.conversationID(between: userID, and: contactID)
        } catch {
            return false
        }
        return await ledger.send(text, in: conversationID) { () async throws(ChatError) in
            try await chat.sendDirectMessage(text, from: userID, to: contactID)
        }
    }

    private func type() async -> Bool {
        guard let roomID = roomIDs.randomElement() else { return true }
        let started = await tally.record("typing") { () async throws(ChatError) in
            try await chat.startTyping(userID: userID, roomID: roomID)
        }
        guard started, Bool.random() else { return started }
        return await tally.record("typing") { () async throws(ChatError) in
            try await chat.stopTyping(userID: userID, roomID: roomID)
        }
    }

    private func changeStatus() async -> Bool {
        let status = [UserStatus.online, .away, .online, .offline].randomElement() ?? .online
        return await tally.record("status") { () async throws(ChatError) in
            try await chat.setStatus(status, forUser: userID)
        }
    }
}

/// Counts the actions besides sends (typing, status, heartbeats), and
/// their failures by the client's error code.
final class ActionTally: Sendable {
    private struct Counts {
        var succeeded: [String: Int] = [:]
        var failed: [String: Int] = [:]
    }

    private let counts = Locked(Counts())

    /// Runs one action and counts how it went.
    ///
    /// - Returns: whether it succeeded.
    func record<Result>(
        _ kind: String, _ body: () async throws(ChatError) -> Result
    ) async -> Bool {
        do {
            _ = try await body()
            counts.withLock { $0.succeeded[kind, default: 0] += 1 }
            return true
        } catch {
            let code = error.underlying.map { "\($0.code)" } ?? "\(error.code)"
            counts.withLock { $0.failed["\(kind) \(code)", default: 0] += 1 }
            return false
        }
    }

    /// One line: each kind of action with its count, then the failures.
    var summary: String {
        counts.withLock { counts in
            let done = counts.succeeded.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            let failed = counts.failed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            return done.joined(separator: ", ")
                + "; failed: " + (failed.isEmpty ? "none" : failed.joined(separator: ", "))
        }
    }
}
