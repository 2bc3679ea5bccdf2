#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library calls whose Swift names are shadowed by methods of the types that use them
/// (`AtomicFile.write`, `ReadableFile.open`), reachable without naming the platform's module, so the
/// same code builds against Glibc and Darwin.
package enum System {
    @inline(__always)
    static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        systemWrite(descriptor, bytes, count)
    }

    @inline(__always)
    static func read(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
        systemRead(descriptor, bytes, count)
    }

    @inline(__always)
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        systemOpen(path, flags, mode)
    }

    /// Writes all of `bytes`, retrying after short writes and interruptions. Returns false with
    /// `errno` set on failure (a full disk, a closed pipe, an I/O error).
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var written = 0
        while written < bytes.count {
            let n = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            written += n
        }
        return true
    }

    /// The system's description of `errno`.
    package static var errorMessage: String { String(cString: strerror(errno)) }

    package static func errorMessage(_ code: Int32) -> String { String(cString: strerror(code)) }
}

// At file scope the unqualified names find the C functions, not `System`'s members.
@inline(__always)
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

@inline(__always)
private func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, bytes, count)
}

@inline(__always)
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}
