/// A double-ended queue over an array, with the first and last element
/// open to change in place.
///
/// The subscriber needs both ends: its buffers drop their oldest element
/// and merge gap markers into their newest one, and it updates the command
/// at the head of its queue confirmation by confirmation. Popping moves a
/// head index and releases the element at once (a buffered payload may be
/// large); the spent front is cut off once it is the larger part.
struct Deque<Element> {
    private var storage: [Element?] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }
    var count: Int { storage.count - head }

    mutating func append(_ element: Element) {
        storage.append(element)
    }

    /// The oldest element; setting it replaces that element.
    var first: Element? {
        get { isEmpty ? nil : storage[head] }
        set {
            guard let newValue, !isEmpty else { return }
            storage[head] = newValue
        }
    }

    /// The newest element; setting it replaces that element.
    var last: Element? {
        get { isEmpty ? nil : storage[storage.count - 1] }
        set {
            guard let newValue, !isEmpty else { return }
            storage[storage.count - 1] = newValue
        }
    }

    mutating func popFirst() -> Element? {
        guard !isEmpty else { return nil }
        let element = storage[head]
        storage[head] = nil
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Takes every element out, oldest first.
    mutating func removeAll() -> [Element] {
        let elements = storage[head...].map { $0! }
        storage.removeAll()
        head = 0
        return elements
    }
}

extension Deque: Sendable where Element: Sendable {}
