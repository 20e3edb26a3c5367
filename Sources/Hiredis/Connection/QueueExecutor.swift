import CHiredis
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A task executor that runs jobs on one serial Dispatch queue; the actor
/// that owns the queue runs on a ``QueueSerialExecutor`` over it.
///
/// Each connection and each subscriber owns one. Actor isolation to its
/// owner and "running on its queue" are the same thing, so Dispatch sources
/// on the queue can touch the hiredis context, and a task that prefers this
/// executor (`withTaskExecutorPreference`) resumes from a reply without a
/// thread hop.
///
/// Two executors over one queue, rather than one that is both: a job of a
/// task that only prefers the queue runs as nonisolated code, so that when
/// it calls the owner's nonisolated methods and they submit in place, the
/// runtime sees nothing to switch and the task goes on in the same job. Had
/// the job run isolated to the owner, each return to nonisolated code would
/// cost one more job on the queue.
///
/// The executor knows whether work waits behind the job that runs now, and
/// can let that job block its thread until a socket is readable: any work
/// queued through it ends such a wait at once (see
/// ``park(untilReadable:)``). It can also run a handler once the queue has
/// nothing left to do (see ``requestIdleCallback()``).
public final class QueueExecutor: TaskExecutor {
    /// The queue every job runs on. Work for it goes through ``async(_:)``,
    /// so that a parked thread learns of it.
    let queue: DispatchQueue

    /// Jobs and ``async(_:)`` work handed to the queue and not started yet.
    private let waiting = Atomic<Int>(0)
    /// Whether the queue's thread is blocked in ``park(untilReadable:)``.
    private let parked = Atomic<Bool>(false)
    /// Ends a park early; nil for an executor that never parks.
    private let waker: Waker?
    /// Whether ``idleHandler`` should run once no work waits. Touched only
    /// on the queue; atomic only because the class is shared.
    private let idleRequested = Atomic<Bool>(false)
    private let idleHandler = Locked<IdleHandler?>(nil)

    /// The idle handler, in a struct so that the lock stores it as it is.
    ///
    /// Stored bare in the generic `Locked`, a closure comes back wrapped in a
    /// pair of reabstraction thunks at each read, and each call runs through
    /// all the thunks that earlier reads added: the connection would get
    /// slower with every idle moment, for as long as it lives.
    private struct IdleHandler {
        let run: @Sendable () -> Void
    }

    /// An executor on a new serial queue with the given label.
    ///
    /// - Parameters:
    ///   - label: the queue's label.
    ///   - parks: whether jobs may block the thread in
    ///     ``park(untilReadable:)``, which takes a descriptor for the waker.
    init(label: String, parks: Bool) {
        self.queue = DispatchQueue(label: label)
        self.waker = parks ? Waker() : nil
        queue.setSpecific(key: Self.ownerKey, value: ObjectIdentifier(self))
    }

    /// Runs a job of a task that prefers this executor, as nonisolated code.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        willQueue()
        queue.async {
            self.waiting.subtract(1, ordering: .relaxed)
            job.runSynchronously(on: self.asUnownedTaskExecutor())
            self.workDidEnd()
        }
    }

    /// Runs a job isolated to the actor whose executor is `serialExecutor`.
    fileprivate func enqueue(_ job: UnownedJob, isolatedTo serialExecutor: UnownedSerialExecutor) {
        willQueue()
        queue.async {
            self.waiting.subtract(1, ordering: .relaxed)
            job.runSynchronously(
                isolatedTo: serialExecutor, taskExecutor: self.asUnownedTaskExecutor())
            self.workDidEnd()
        }
    }

    /// This executor, as the runtime holds a task executor.
    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    // MARK: For the owner

    private static let ownerKey = DispatchSpecificKey<ObjectIdentifier>()

    /// Whether the calling code runs on this executor's queue.
    var isCurrent: Bool { DispatchQueue.getSpecific(key: Self.ownerKey) == ObjectIdentifier(self) }

    /// Runs `work` on the queue; it counts as waiting work until it starts.
    func async(_ work: @escaping @Sendable () -> Void) {
        willQueue()
        queue.async {
            self.waiting.subtract(1, ordering: .relaxed)
            work()
            self.workDidEnd()
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

    /// Sets what runs when an idle callback was asked for and the queue has
    /// no more work; set it once, before the executor runs anything.
    func setIdleHandler(_ handler: @escaping @Sendable () -> Void) {
        idleHandler.withLock { $0 = IdleHandler(run: handler) }
    }

    /// Asks for the idle handler to run once, as soon as a piece of work
    /// ends with nothing waiting behind it. Call it on the queue.
    ///
    /// Cheaper than queueing the check with ``async(_:)``: in a busy queue
    /// the request stands until the queue drains, and costs nothing meanwhile.
    func requestIdleCallback() {
        idleRequested.store(true, ordering: .relaxed)
    }

    /// Runs the idle handler if it was asked for and no work waits. Jobs and
    /// ``async(_:)`` work call it when they end; the owner's Dispatch source
    /// handlers, which the executor does not see, call it themselves.
    func workDidEnd() {
        guard idleRequested.load(ordering: .relaxed), !hasWaitingWork else { return }
        idleRequested.store(false, ordering: .relaxed)
        idleHandler.withLock { $0 }?.run()
    }

    // MARK: Parking

    /// How a ``park(untilReadable:)`` ended.
    enum ParkOutcome {
        /// The descriptor has bytes to read.
        case readable
        /// The descriptor may have bytes, and the peer closed its side or
        /// the socket failed: read until the end to find out which.
        case closing
        /// Work was queued, a stale signal was consumed, or a signal interrupted
        /// the wait: look for waiting work, then park again if there is none.
        case woken
        /// No park now: this executor does not park, its waker could not be
        /// opened, ``parkedThreadLimit`` threads are parked already, or
        /// `poll` failed. Wait for the descriptor some other way.
        case unavailable
    }

    /// At most this many threads of the process are parked at once.
    ///
    /// A parked thread is one of Dispatch's, which has a fixed ceiling of
    /// threads; connections that wait on a stalled server must not take
    /// them all. Past the limit, connections wait through their read source,
    /// which costs a few microseconds a reply and no thread.
    static let parkedThreadLimit = max(4, 2 * Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    private static let parkedThreads = Atomic<Int>(0)

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
        guard let waker, waker.waitDescriptor >= 0 else { return .unavailable }
        guard Self.parkedThreads.add(1, ordering: .relaxed).newValue <= Self.parkedThreadLimit
        else {
            Self.parkedThreads.subtract(1, ordering: .relaxed)
            return .unavailable
        }
        defer { Self.parkedThreads.subtract(1, ordering: .relaxed) }

        // Dekker's handshake with willQueue(): this thread marks itself
        // parked and then looks for work; a producer counts its work and then
        // looks for a parked thread. Sequentially consistent, so at least one
        // side sees the other: no work is left behind a sleeping thread.
        parked.store(true, ordering: .sequentiallyConsistent)
        defer { parked.store(false, ordering: .sequentiallyConsistent) }
        if hasWaitingWork { return .woken }
        switch chiredis_await_readable(fd, waker.waitDescriptor) {
        case 1: return .readable
        case 2: return .closing
        case 0: return .woken
        default: return .unavailable
        }
    }

    private func willQueue() {
        waiting.add(1, ordering: .sequentiallyConsistent)
        if let waker, parked.load(ordering: .sequentiallyConsistent) {
            waker.signal()
        }
    }
}

/// The serial executor of the actor that owns a ``QueueExecutor``'s queue:
/// the same queue and the same bookkeeping, with jobs run isolated to the
/// actor. The actor holds it, and it holds the queue executor.
final class QueueSerialExecutor: SerialExecutor {
    let taskExecutor: QueueExecutor

    init(over taskExecutor: QueueExecutor) {
        self.taskExecutor = taskExecutor
    }

    func enqueue(_ job: consuming ExecutorJob) {
        taskExecutor.enqueue(UnownedJob(job), isolatedTo: asUnownedSerialExecutor())
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets `assumeIsolated` succeed from Dispatch callbacks on the queue,
    /// and from nonisolated code that runs there.
    func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(taskExecutor.queue))
    }
}

/// The descriptors that end a park: the parked thread polls one, and a
/// producer writes to the other (the same eventfd on Linux, a pipe elsewhere).
private final class Waker: Sendable {
    /// -1 when the descriptors could not be opened; nothing parks then.
    let waitDescriptor: Int32
    private let signalDescriptor: Int32

    init() {
        var wait: Int32 = -1
        var signal: Int32 = -1
        if chiredis_waker_open(&wait, &signal) != 0 {
            wait = -1
            signal = -1
        }
        waitDescriptor = wait
        signalDescriptor = signal
    }

    deinit {
        if waitDescriptor >= 0 { _ = close(waitDescriptor) }
        if signalDescriptor >= 0, signalDescriptor != waitDescriptor {
            _ = close(signalDescriptor)
        }
    }

    func signal() {
        if signalDescriptor >= 0 { chiredis_waker_signal(signalDescriptor) }
    }
}
