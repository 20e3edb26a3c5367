import Chat
import Foundation
import Hiredis
import RedisTestSupport
import Testing

/// A chat service on a new connection to the suite's server.
func makeService(_ configuration: ChatConfiguration = ChatConfiguration()) async throws
    -> ChatService
{
    ChatService(connection: try await RedisServerTrait.connect(), configuration: configuration)
}

/// A name no other test uses, since the tests of a suite share a server.
func uniqueName(_ base: String) -> String {
    "\(base) \(UInt32.random(in: 0...UInt32.max))"
}

/// Subscribes a test listener on the suite's server.
func listen(to channels: String...) async throws -> ChannelListener {
    try await ChannelListener.subscribe(to: channels)
}

/// A user, a room, and the user as its member.
func makeMemberInRoom(_ chat: ChatService) async throws -> (User, Room) {
    let user = try await chat.createUser(named: uniqueName("member"))
    let room = try await chat.createRoom(named: uniqueName("room"))
    try await chat.join(userID: user.id, roomID: room.id)
    return (user, room)
}

/// Every key on the server (SCAN).
func allKeys(_ connection: RedisConnection, matching pattern: String = "*") async throws
    -> [String]
{
    var keys: [String] = []
    var cursor = "0"
    repeat {
        let reply = try await connection.send("SCAN", cursor, "MATCH", pattern, "COUNT", 1000)
        let parts = try #require(reply.array)
        cursor = try parts[0].decode(as: String.self)
        keys += try parts[1].decode(as: [String].self)
    } while cursor != "0"
    return keys.sorted()
}

/// Every key with its serialized value (SCAN, then DUMP in one pipeline),
/// to show that a refused call changed nothing.
func keyDump(_ connection: RedisConnection) async throws -> [String: RESPValue] {
    let keys = try await allKeys(connection)
    var pipeline = RedisPipeline()
    for key in keys { pipeline.append("DUMP", key) }
    let values = try await connection.execute(pipeline).map { try $0.get() }
    return Dictionary(uniqueKeysWithValues: zip(keys, values))
}

/// Runs `body`, which must fail with `code` (and name `field`, when given).
@discardableResult
func expectFailure<Result>(
    _ code: ChatError.Code, field: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws(ChatError) -> Result
) async -> ChatError? {
    do {
        _ = try await body()
        Issue.record(
            "expected a \(code) error, but the call succeeded", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let field { #expect(error.field == field, "\(error)", sourceLocation: sourceLocation) }
        return error
    }
}

/// Decodes what a listener received.
func events(_ deliveries: [ChannelListener.Delivery]) throws -> [ChatEvent] {
    try deliveries.map { try ChatEvent(json: Data($0.payload)) }
}
