/// A first-in, first-out queue over an array, for the replies a connection
/// is waiting for. Popping moves a head index; the array is compacted when
/// more than half of it is spent, so both ends cost O(1) on average.
struct FIFO<Element> {
    private var storage: [Element?] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }
    var count: Int { storage.count - head }
    /// The element appended last, nil when the queue is empty.
    var last: Element? { head < storage.count ? storage[storage.count - 1] : nil }

    mutating func append(_ element: Element) {
        storage.append(element)
    }

    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        // Moved out, not copied and then cleared: no retain/release pair.
        let element = storage[head].take()
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Takes every element out, in order.
    mutating func removeAll() -> [Element] {
        let elements = storage[head...].map { $0! }
        storage.removeAll(keepingCapacity: true)
        head = 0
        return elements
    }

    /// Visits each element in order, letting the visitor change it in place.
    mutating func updateEach(_ body: (inout Element) -> Void) {
        for index in head..<storage.count {
            body(&storage[index]!)
        }
    }
}
