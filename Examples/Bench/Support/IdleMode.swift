import Foundation

/// How idle CPUs behave while a set of figures is taken.
///
/// On these VMs an idle CPU halts at once, so every wakeup of a thread on
/// another CPU costs tens of microseconds and latency-bound figures drop
/// several times. Holding `/dev/cpu_dma_latency` open with the value 0 asks
/// the kernel to keep idle CPUs polling instead; closing it restores the
/// default. Every figure is labelled with the mode it ran in, and its peer
/// always ran in the same mode.
enum IdleMode: String, CaseIterable, Codable {
    /// The kernel's default idle states.
    case standard = "default"
    /// `/dev/cpu_dma_latency` held open at 0 by this process.
    case lowLatency = "low-latency"

    private static let device = "/dev/cpu_dma_latency"
    /// The value the kernel reports when nobody asks for lower latency.
    private static let unconstrained: Int32 = 2_000_000_000

    /// Enters the mode; the returned hold keeps it until it is released.
    ///
    /// - Throws: ``BenchError`` when the low-latency mode cannot be
    ///   entered (the device needs root).
    func enter() throws -> IdleModeHold {
        switch self {
        case .standard:
            return IdleModeHold(descriptor: nil)
        case .lowLatency:
            let descriptor = open(Self.device, O_RDWR)
            guard descriptor >= 0 else {
                throw BenchError(
                    "Cannot open \(Self.device) (\(String(cString: strerror(errno))));"
                        + " the low-latency idle mode needs root. Run with --idle default.")
            }
            var zero: Int32 = 0
            guard write(descriptor, &zero, 4) == 4 else {
                close(descriptor)
                throw BenchError("Cannot write 0 to \(Self.device).")
            }
            return IdleModeHold(descriptor: descriptor)
        }
    }

    /// What the kernel enforces right now, in words: this catches a default
    /// run that is in fact low-latency because another process holds the
    /// device open.
    static func effectiveSetting() -> String {
        let descriptor = open(device, O_RDONLY)
        guard descriptor >= 0 else { return "unknown (\(device) is not readable)" }
        defer { close(descriptor) }
        var value: Int32 = 0
        guard read(descriptor, &value, 4) == 4 else { return "unknown" }
        return value == unconstrained ? "no limit" : "\(value) µs"
    }
}

/// Keeps a low-latency idle mode in force until ``release()``.
final class IdleModeHold {
    private var descriptor: Int32?

    init(descriptor: Int32?) {
        self.descriptor = descriptor
    }

    /// Gives the idle mode back to the kernel's default.
    func release() {
        if let descriptor { close(descriptor) }
        descriptor = nil
    }

    deinit { release() }
}
