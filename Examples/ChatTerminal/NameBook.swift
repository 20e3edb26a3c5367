import Chat

/// The names of users and rooms by id, read from the service the first
/// time an event needs them and kept: names never change.
actor NameBook {
    private let service: ChatService
    private var users: [String: String] = [:]
    private var rooms: [String: String] = [:]

    init(service: ChatService) {
        self.service = service
    }

    /// Keeps a user's name.
    func remember(_ user: User) {
        users[user.id] = user.name
    }

    /// Keeps a room's name.
    func remember(_ room: Room) {
        rooms[room.id] = room.name
    }

    /// The user's name; the start of the id when the user cannot be read.
    func userName(_ id: String) async -> String {
        if let name = users[id] { return name }
        guard let user = try? await service.user(id: id) else { return "user \(id.prefix(8))" }
        users[id] = user.name
        return user.name
    }

    /// The room's name; the start of the id when the room cannot be read.
    func roomName(_ id: String) async -> String {
        if let name = rooms[id] { return name }
        guard let room = try? await service.room(id: id) else { return "room \(id.prefix(8))" }
        rooms[id] = room.name
        return room.name
    }
}
