/// Who is in which room, who writes to whom and who listens: drawn once,
/// before anything runs.
struct SoakPlan: Sendable {
    static let userCount = 20
    static let roomCount = 5
    static let subscribersPerRoom = 3
    /// The users whose direct messages a stream of their own records.
    static let listeningUsers = [0, 5, 10, 15]
    /// The room subscriber whose connection CLIENT KILL cuts: room 0's first.
    static let victimClientName = "chat-soak-victim"

    /// Per user, the rooms they joined (indices); one to three each.
    let memberships: [[Int]]
    /// Per user, whom they send direct messages to (indices); symmetric.
    let contacts: [[Int]]

    /// Every pair of users that talks directly, each pair once, lower index first.
    var conversations: [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        for (user, others) in contacts.enumerated() {
            for other in others where user < other { pairs.append((user, other)) }
        }
        return pairs
    }

    /// A random plan in which every room has at least four members.
    static func random() -> SoakPlan {
        var memberships: [[Int]] = []
        for user in 0..<userCount {
            // Spread users over the rooms first, then add up to two more at random.
            var rooms: Set = [user % roomCount]
            let wanted = Int.random(in: 1...3)
            while rooms.count < wanted { rooms.insert(Int.random(in: 0..<roomCount)) }
            memberships.append(rooms.sorted())
        }

        // A ring with chords: each user talks with four others.
        var contacts = Array(repeating: Set<Int>(), count: userCount)
        for user in 0..<userCount {
            for step in [1, 7] {
                let other = (user + step) % userCount
                contacts[user].insert(other)
                contacts[other].insert(user)
            }
        }
        return SoakPlan(memberships: memberships, contacts: contacts.map { $0.sorted() })
    }

    /// A user's short name, such as `u07`.
    static func name(ofUser index: Int) -> String {
        index < 10 ? "u0\(index)" : "u\(index)"
    }
}
