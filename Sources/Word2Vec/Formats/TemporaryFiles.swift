#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The temporary files of unfinished outputs, removed when the process is stopped by a signal.
///
/// `AtomicFile` registers each temporary file while it exists. A signal handler may call only
/// async-signal-safe functions: no allocation, no locks, no Swift runtime calls that might take one.
/// So the registry is a fixed table of preallocated C strings, each guarded by an atomic state, and
/// the handler does nothing but `unlink` the live ones, `write` a newline (which ends a progress line
/// left open on a terminal) and `_exit(128 + signal)`, the status shells give signal deaths.
///
/// A run killed by SIGKILL or a power cut still leaves its temporary file behind. Such files are
/// hidden (`.NAME.tmp-PID-RANDOM` beside the output), never read, and never reused (names are
/// created with `O_EXCL`), so they are harmless and safe to delete.
package enum TemporaryFiles {
    static let capacity = 64
    static let pathCapacity = 4096

    /// Slot states: free, being filled or emptied by the owner, or holding a path the handler removes.
    private static let free = 0, busy = 1, live = 2

    // Allocated once and never freed, so the handler never sees memory the Swift runtime manages.
    nonisolated(unsafe) private static let paths: UnsafeMutablePointer<CChar> = {
        let paths = UnsafeMutablePointer<CChar>.allocate(capacity: capacity * pathCapacity)
        paths.initialize(repeating: 0, count: capacity * pathCapacity)
        return paths
    }()
    nonisolated(unsafe) private static let states: UnsafeMutablePointer<Atomic<Int>> = {
        let states = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: capacity)
        for i in 0..<capacity { (states + i).initialize(to: Atomic(free)) }
        return states
    }()

    /// Remembers `path` for removal on a signal. Returns the slot to pass to `unregister`, or `nil`
    /// when the path is too long or all slots are taken (the file is then not removed on a signal).
    static func register(_ path: String) -> Int? {
        let bytes = Array(path.utf8)
        guard bytes.count < pathCapacity, !bytes.contains(0) else { return nil }
        for slot in 0..<capacity
        where states[slot].compareExchange(expected: free, desired: busy, ordering: .acquiring).exchanged {
            let destination = paths + slot * pathCapacity
            bytes.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { destination.update(from: $0.baseAddress!, count: $0.count) }
            }
            destination[bytes.count] = 0
            states[slot].store(live, ordering: .releasing)
            return slot
        }
        return nil
    }

    /// Forgets a path registered before: it was renamed into place or removed.
    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        states[slot].store(free, ordering: .releasing)
    }

    /// Removes every registered temporary file. Async-signal-safe.
    static func removeAll() {
        for slot in 0..<capacity where states[slot].load(ordering: .acquiring) == live {
            unlink(paths + slot * pathCapacity)
        }
    }

    /// Makes SIGINT, SIGTERM and SIGHUP remove the registered temporary files, end the current line
    /// on standard error and exit with status 128 + the signal's number (130 for SIGINT, 143 for
    /// SIGTERM). For command-line tools; call once, early.
    package static func installSignalHandlers() {
        // Touch the lazily initialised tables now: their first use must not happen in the handler.
        _ = paths
        _ = states
        // A process can start with these signals blocked (Foundation's `Process` blocks nearly all
        // in its children), which would leave the handler uncalled and the run unstoppable. Threads
        // started later inherit this thread's mask.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            sigaddset(&unblocked, signal)
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = handleSignal
            #else
            action.__sigaction_u.__sa_handler = handleSignal
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
    }
}

private func handleSignal(_ signal: Int32) {
    TemporaryFiles.removeAll()
    var newline: UInt8 = 0x0A
    _ = write(STDERR_FILENO, &newline, 1)
    _exit(128 + signal)
}
