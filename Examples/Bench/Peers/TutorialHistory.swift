import Chat
import Foundation
import Hiredis

/// The tutorial's way of reading a room's latest messages, the peer of
/// `ChatService.latestMessages(in:limit:)`: LRANGE for the ids, then one
/// HGETALL per message, each awaited before the next is sent. A page of N
/// messages costs N + 1 round trips where the service needs one.
///
/// It runs on our own client (plain `send`), so the comparison is between
/// the two ways of reading and not between clients. Like the service, it
/// turns each hash into a `Message` and returns the page oldest first.
struct TutorialHistory: Sendable {
    /// The connection the reads go through.
    var connection: RedisConnection

    /// RFC 3339 with fractional seconds, as the service writes timestamps.
    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The newest `limit` messages of the room, oldest first.
    ///
    /// - Throws: ``BenchError`` for a hash that is not a message, or what
    ///   the client throws.
    func latestMessages(in roomID: String, limit: Int) async throws -> [Message] {
        let listed = try await connection.send(
            "LRANGE", ChatKeys.roomMessages(roomID), 0, limit - 1)
        let ids = try listed.decode(as: [String].self)

        // The list is newest first.
        var messages: [Message] = []
        messages.reserveCapacity(ids.count)
        for id in ids.reversed() {
            let key = ChatKeys.message(id, inRoom: roomID)
            let fields = try await connection.send("HGETALL", key).decode(as: [String: String].self)
            guard let userID = fields["user_id"], let content = fields["content"],
                let timestamp = try? fields["timestamp"].map(Self.timestampStyle.parse)
            else {
                throw BenchError("\(key) is not a message hash: \(fields).")
            }
            messages.append(
                Message(
                    id: id, roomID: fields["room_id"] ?? roomID, userID: userID,
                    content: content, timestamp: timestamp, seq: fields["seq"].flatMap { Int($0) }))
        }
        return messages
    }
}
