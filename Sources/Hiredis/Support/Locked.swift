import Foundation

/// A value guarded by a lock, for the little state that the package shares
/// between a Dispatch queue and the tasks of its callers.
///
/// This stands in for `Synchronization.Mutex`. On Linux, `Mutex` locks
/// inside the standard library, which is not built for ThreadSanitizer, so
/// TSan sees none of its ordering and reports every access it guards as a
/// race, which would drown real ones in `make test-tsan`. `NSLock` is a
/// pthread mutex, which TSan intercepts. Go back to `Mutex` once TSan
/// understands it on Linux.
///
/// For a lock that guards no value, use `NSLock` itself: TSan reports
/// `Locked(())` as racing with itself, its zero-sized value sharing an
/// address with the object's header, which is read without the lock.
package final class Locked<Value: Sendable>: @unchecked Sendable {
    // Sendable because `value` is read and written only inside `withLock`.
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value, holding the lock.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
