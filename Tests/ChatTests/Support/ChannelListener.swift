import Foundation
import Synchronization

/// A bare pub/sub subscriber for tests: a blocking unix socket read on its
/// own thread, with just enough RESP to take messages apart.
///
/// The library's subscriber is built elsewhere; the tests need to see what
/// the service publishes without waiting for it, and without a mock.
final class ChannelListener: Sendable {
    /// One published message.
    struct Delivery: Sendable, Hashable {
        var channel: String
        var payload: [UInt8]
    }

    private let descriptor: Int32
    private let deliveries = Mutex<[Delivery]>([])
    private let stopped = Atomic<Bool>(false)

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Connects, subscribes, and returns once the server confirmed every
    /// channel, so that nothing published afterwards is missed.
    static func subscribe(to channels: [String], socketPath: String) throws -> ChannelListener {
        let descriptor = try connect(to: socketPath)
        let listener = ChannelListener(descriptor: descriptor)

        var command = Array("*\(channels.count + 1)\r\n$9\r\nSUBSCRIBE\r\n".utf8)
        for channel in channels {
            command += Array("$\(channel.utf8.count)\r\n\(channel)\r\n".utf8)
        }
        try listener.write(command)

        var parser = FrameParser()
        var confirmed = 0
        while confirmed < channels.count {
            guard let frame = try parser.next(orReadFrom: descriptor) else { continue }
            if case .array(let parts) = frame, parts.first == .bytes(Array("subscribe".utf8)) {
                confirmed += 1
            }
        }

        let buffered = parser
        let thread = Thread { listener.readLoop(parser: buffered) }
        thread.start()
        return listener
    }

    /// Everything received so far.
    var received: [Delivery] { deliveries.withLock { $0 } }

    /// Waits until `count` messages arrived or `timeout` passed, and returns
    /// what arrived.
    func waitForDeliveries(count: Int, timeout: Duration = .seconds(5)) async -> [Delivery] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let current = received
            if current.count >= count { return current }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return received
    }

    /// Stops reading; the reading thread closes the socket.
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func readLoop(parser: FrameParser) {
        var parser = parser
        defer { close(descriptor) }
        while !stopped.load(ordering: .relaxed) {
            do {
                while let frame = try parser.next(orReadFrom: descriptor) {
                    guard case .array(let parts) = frame, parts.count == 3,
                        parts[0] == .bytes(Array("message".utf8)),
                        case .bytes(let channel) = parts[1], case .bytes(let payload) = parts[2]
                    else { continue }
                    let delivery = Delivery(
                        channel: String(decoding: channel, as: UTF8.self), payload: payload)
                    deliveries.withLock { $0.append(delivery) }
                }
            } catch {
                return
            }
        }
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress, $0.count)
            }
            guard written > 0 else { throw ListenerError("write failed: errno \(errno)") }
            offset += written
        }
    }

    private static func connect(to path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ListenerError("socket failed: errno \(errno)") }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw ListenerError("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw ListenerError("connect to \(path) failed: errno \(errno)")
        }

        // Reads wake up every 100 ms, so the loop notices stop().
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(
            descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }
}

struct ListenerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A RESP2 reply, as much as a subscriber sees.
enum Frame: Equatable {
    case text(String)
    case error(String)
    case integer(Int)
    case bytes([UInt8])
    case null
    case array([Frame])
}

/// Splits a byte stream into RESP2 frames.
struct FrameParser {
    private var buffer: [UInt8] = []

    /// The next complete frame: from what is buffered, or else after one
    /// read from `descriptor`; nil when the read timed out first.
    mutating func next(orReadFrom descriptor: Int32) throws -> Frame? {
        if let (frame, end) = parse(at: 0) {
            buffer.removeFirst(end)
            return frame
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { throw ListenerError("the server closed the connection") }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
            throw ListenerError("read failed: errno \(errno)")
        }
        buffer += chunk[..<count]
        return nil
    }

    private func line(at start: Int) -> (String, Int)? {
        var index = start
        while index + 1 < buffer.count {
            if buffer[index] == 13, buffer[index + 1] == 10 {
                return (String(decoding: buffer[start..<index], as: UTF8.self), index + 2)
            }
            index += 1
        }
        return nil
    }

    private func parse(at start: Int) -> (Frame, Int)? {
        guard start < buffer.count, let (header, afterHeader) = line(at: start + 1) else {
            return nil
        }
        switch buffer[start] {
        case UInt8(ascii: "+"): return (.text(header), afterHeader)
        case UInt8(ascii: "-"): return (.error(header), afterHeader)
        case UInt8(ascii: ":"): return (.integer(Int(header) ?? 0), afterHeader)
        case UInt8(ascii: "$"):
            guard let length = Int(header) else { return nil }
            if length < 0 { return (.null, afterHeader) }
            let end = afterHeader + length
            guard end + 2 <= buffer.count else { return nil }
            return (.bytes(Array(buffer[afterHeader..<end])), end + 2)
        case UInt8(ascii: "*"):
            guard let count = Int(header) else { return nil }
            if count < 0 { return (.null, afterHeader) }
            var elements: [Frame] = []
            var index = afterHeader
            for _ in 0..<count {
                guard let (element, next) = parse(at: index) else { return nil }
                elements.append(element)
                index = next
            }
            return (.array(elements), index)
        default:
            return nil
        }
    }
}
