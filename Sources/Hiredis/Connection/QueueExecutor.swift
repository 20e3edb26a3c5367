import Dispatch

/// A serial executor, usable as a task executor too, that runs jobs on one
/// Dispatch queue.
///
/// Each connection owns one. Actor isolation to the connection and "running
/// on its queue" are the same thing, so Dispatch sources on the queue can
/// touch the hiredis context, and a task that prefers this executor
/// (`withTaskExecutorPreference`) resumes from a reply without a thread hop.
public final class QueueExecutor: SerialExecutor, TaskExecutor {
    /// The queue every job runs on.
    public let queue: DispatchQueue

    /// An executor on a new serial queue with the given label.
    public init(label: String) {
        self.queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async {
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
}
