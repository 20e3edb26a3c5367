import Chat
import Foundation
import Hiredis
import RedisTestSupport
import Testing

@Suite(.redisServer) struct PresenceTests {
    /// Waits for the quiet user to time out while the other keeps beating
    /// far more often than its timeout, so a loaded machine cannot fail it.
    @Test func aClientThatStopsHeartbeatingReadsAsOfflineAfterTheTimeout() async throws {
        let chat = try await makeService(ChatConfiguration(presenceTimeout: .seconds(10)))
        let chatty = try await chat.createUser(named: uniqueName("chatty"))
        let quiet = try await chat.createUser(named: uniqueName("quiet"))

        #expect(try await chat.user(id: quiet.id)?.status == .online)
        var quietStatus = UserStatus.online
        for _ in 0..<600 where quietStatus != .offline {
            try await Task.sleep(for: .milliseconds(100))
            try await chat.heartbeat(userID: chatty.id)
            quietStatus = try await chat.user(id: quiet.id)?.status ?? .online
        }

        #expect(quietStatus == .offline)
        #expect(try await chat.user(id: chatty.id)?.status == .online)

        try await chat.heartbeat(userID: quiet.id)
        #expect(try await chat.user(id: quiet.id)?.status == .online)
    }

    @Test func settingAStatusTellsEveryRoomOfTheUser() async throws {
        let chat = try await makeService()
        let (user, first) = try await makeMemberInRoom(chat)
        let second = try await chat.createRoom(named: uniqueName("second"))
        try await chat.join(userID: user.id, roomID: second.id)
        let listener = try await listen(
            to: ChatKeys.presenceChannel(first.id), ChatKeys.presenceChannel(second.id))
        defer { listener.stop() }

        let told = try await chat.setStatus(.away, forUser: user.id)
        let deliveries = await listener.waitForDeliveries(count: 2)

        #expect(told == 2)
        #expect(try await chat.user(id: user.id)?.status == .away)
        let expected: Set<ChannelListener.Delivery> = [
            ChannelListener.Delivery(
                channel: ChatKeys.presenceChannel(first.id),
                payload: ChatEvent.presenceChanged(userID: user.id, roomID: first.id, status: .away)
                    .jsonBytes),
            ChannelListener.Delivery(
                channel: ChatKeys.presenceChannel(second.id),
                payload: ChatEvent.presenceChanged(
                    userID: user.id, roomID: second.id, status: .away
                )
                .jsonBytes),
        ]
        #expect(Set(deliveries) == expected)
    }

    @Test func signingOffReadsAsOfflineUntilTheUserComesBack() async throws {
        let chat = try await makeService()
        let user = try await chat.createUser(named: uniqueName("leaver"))

        try await chat.setStatus(.offline, forUser: user.id)
        try await chat.heartbeat(userID: user.id)
        let whileAway = try await chat.user(id: user.id)?.status
        try await chat.setStatus(.online, forUser: user.id)

        #expect(whileAway == .offline)
        #expect(try await chat.user(id: user.id)?.status == .online)
    }

    @Test func heartbeatsAndStatusesOfAnUnknownUserFail() async throws {
        let chat = try await makeService()
        let unknown = "00000000-0000-4000-8000-000000000002"

        await expectFailure(.userNotFound, field: "userID") { () async throws(ChatError) in
            try await chat.heartbeat(userID: unknown)
        }
        await expectFailure(.userNotFound, field: "userID") { () async throws(ChatError) in
            try await chat.setStatus(.away, forUser: unknown)
        }
    }
}
