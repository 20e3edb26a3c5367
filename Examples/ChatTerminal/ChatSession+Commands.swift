import Chat

extension ChatSession {
    /// Runs one typed line. A refusal (a name or text the service does not
    /// take, an unknown user) is printed as one line on standard error, and
    /// the session goes on.
    func handle(_ line: String) async -> Outcome {
        do throws(ChatError) {
            switch Command(line: line) {
            case .say(let text):
                guard let room = currentRoom else { throw Self.noRoom }
                let message = try await service.send(text, to: room.id, from: me.id)
                echoes.expect(message.id)
            case .directMessage(let name, let text):
                try await sendDirectMessage(text, toUserNamed: name)
            case .join(let name):
                try await join(roomNamed: name)
            case .leave:
                try await leaveCurrentRoom()
            case .who:
                try await listMembers()
            case .history(let count):
                guard let room = currentRoom else { throw Self.noRoom }
                let messages = try await service.latestMessages(in: room.id, limit: count)
                await printer.showHistory(messages, of: room)
            case .typing:
                guard let room = currentRoom else { throw Self.noRoom }
                try await service.startTyping(userID: me.id, roomID: room.id)
                console.notice("#\(room.name) shows that you are typing.")
            case .status(let status):
                // Each followed room shows the PresenceChanged that this sends.
                try await service.setStatus(status, forUser: me.id)
            case .help:
                console.notice(TerminalOptions.help)
            case .quit:
                return .quit
            case .nothing:
                break
            case .mistake(let text):
                console.error(text)
            }
        } catch {
            console.error(error.message)
        }
        return .goOn
    }

    private func sendDirectMessage(_ text: String, toUserNamed name: String)
        async throws(ChatError)
    {
        // user(named:) validates the name first, so it is safe to print after.
        guard let user = try await service.user(named: name) else {
            throw ChatError(
                .userNotFound, "No user is named \(name); /who lists the members of this room.",
                field: "name")
        }
        await names.remember(user)
        let message = try await service.sendDirectMessage(text, from: me.id, to: user.id)
        echoes.expect(message.id)
    }

    private func listMembers() async throws(ChatError) {
        guard let room = currentRoom else { throw Self.noRoom }
        let members = try await service.members(roomID: room.id)

        let width = members.map(\.name.count).max() ?? 0
        var lines = ["#\(room.name) has \(members.count) member\(members.count == 1 ? "" : "s"):"]
        for member in members {
            let name = member.name.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(name)  \(member.status.rawValue)")
        }
        console.notice(lines.joined(separator: "\n"))
    }
}
