import CHiredis
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A serial executor, usable as a task executor too, that runs jobs on one
/// Dispatch queue.
///
/// Each connection owns one. Actor isolation to the connection and "running
/// on its queue" are the same thing, so Dispatch sources on the queue can
/// touch the hiredis context, and a task that prefers this executor
/// (`withTaskExecutorPreference`) resumes from a reply without a thread hop.
///
/// The executor knows whether work waits behind the job that runs now, and
/// can let that job block its thread until a socket is readable: any work
/// queued through it ends such a wait at once (see
/// ``park(untilReadable:)``).
public final class QueueExecutor: SerialExecutor, TaskExecutor {
    /// The queue every job runs on.
    public let queue: DispatchQueue

    /// Jobs and ``async(_:)`` work handed to the queue and not started yet.
    private let waiting = Atomic<Int>(0)
    /// Whether the queue's thread is blocked in ``park(untilReadable:)``.
    private let parked = Atomic<Bool>(false)
    /// Ends a park early; -1 when it could not be opened (then nothing parks).
    private let wakeFD: Int32
    private let signalFD: Int32

    /// An executor on a new serial queue with the given label.
    public init(label: String) {
        self.queue = DispatchQueue(label: label)
        var wait: Int32 = -1
        var signal: Int32 = -1
        if chiredis_waker_open(&wait, &signal) != 0 {
            wait = -1
            signal = -1
        }
        self.wakeFD = wait
        self.signalFD = signal
    }

    deinit {
        if wakeFD >= 0 { _ = close(wakeFD) }
        if signalFD >= 0, signalFD != wakeFD { _ = close(signalFD) }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        willQueue()
        queue.async {
            self.waiting.subtract(1, ordering: .relaxed)
            job.runSynchronously(
                isolatedTo: self.asUnownedSerialExecutor(),
                taskExecutor: self.asUnownedTaskExecutor()
            )
        }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    /// Lets `assumeIsolated` succeed from Dispatch callbacks on the queue.
    public func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }

    // MARK: For the connection

    /// Runs `work` on the queue; it counts as waiting work until it starts.
    func async(_ work: @escaping @Sendable () -> Void) {
        willQueue()
        queue.async {
            self.waiting.subtract(1, ordering: .relaxed)
            work()
        }
    }

    /// Runs `work` on the queue after `deadline`, ending a park when it is due.
    func asyncAfter(deadline: DispatchTime, _ work: @escaping @Sendable () -> Void) {
        Self.timerQueue.asyncAfter(deadline: deadline) { self.async(work) }
    }

    /// Where the timers of every queue executor fire, to hand their work
    /// over with ``async(_:)``: a timer on the executor's own queue could not
    /// fire while its thread is parked. A serial queue of its own rather
    /// than a global one: Dispatch gives serial queues a thread even when
    /// the global pool is busy, so a deadline is never late for want of one.
    static let timerQueue = DispatchQueue(label: "redis.timers")

    /// Whether jobs, or work handed over with ``async(_:)``, wait behind the
    /// one running now. Dispatch source events are not counted.
    var hasWaitingWork: Bool { waiting.load(ordering: .sequentiallyConsistent) > 0 }

    /// How a ``park(untilReadable:)`` ended.
    enum ParkOutcome {
        /// The descriptor is ready to read (or closed, or failed).
        case readable
        /// Work was queued, a stale signal was consumed, or a signal interrupted
        /// the wait: look for waiting work, then park again if there is none.
        case woken
        /// This executor cannot park: its waker could not be opened, or
        /// `poll` failed.
        case unavailable
    }

    /// Blocks the queue's thread until `fd` is readable, or until work is
    /// queued through this executor; call it only on the queue.
    ///
    /// The thread sleeps in `poll` with no timeout, as a blocking client
    /// would, so the wait costs one wake-up when the bytes come and no
    /// Dispatch event thread is involved. Arming a timeout would cost more
    /// than the wait on a virtual machine, where programming a timer exits
    /// to the hypervisor. Whoever queues work while the thread is parked
    /// signals the waker instead, so actors' jobs, cancellations and
    /// ``asyncAfter(deadline:_:)`` timers never wait for the socket.
    func park(untilReadable fd: Int32) -> ParkOutcome {
        guard wakeFD >= 0 else { return .unavailable }
        // Dekker's handshake with willQueue(): this thread marks itself
        // parked and then looks for work; a producer counts its work and then
        // looks for a parked thread. Sequentially consistent, so at least one
        // side sees the other: no work is left behind a sleeping thread.
        parked.store(true, ordering: .sequentiallyConsistent)
        defer { parked.store(false, ordering: .sequentiallyConsistent) }
        if hasWaitingWork { return .woken }
        switch chiredis_await_readable(fd, wakeFD) {
        case 1: return .readable
        case 0: return .woken
        default: return .unavailable
        }
    }

    private func willQueue() {
        waiting.add(1, ordering: .sequentiallyConsistent)
        if parked.load(ordering: .sequentiallyConsistent) {
            chiredis_waker_signal(signalFD)
        }
    }
}
