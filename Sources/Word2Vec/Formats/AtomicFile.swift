#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that it appears complete or not at all: bytes go to a temporary file beside the
/// destination, which is renamed over it only by `commit()`. A writer dropped without `commit()`
/// removes its temporary file, so a failed run never leaves partial output, and SIGINT, SIGTERM and
/// SIGHUP remove it too once `TemporaryFiles.installSignalHandlers()` has run.
///
/// - A symbolic link is followed: the temporary file is made beside the link's final target and
///   renamed onto it, so the link survives and keeps pointing at the new contents.
/// - A destination that exists and is not a regular file (a device such as `/dev/null` or
///   `/dev/full`, a FIFO, a socket) is written in place: renaming over it would replace the device
///   node or the pipe. Writing there cannot be atomic; write errors (ENOSPC) are still reported.
/// - The path `-` is standard output, written in place (a failure there cannot take back what was
///   already written; up to 256 KiB are held until `commit()`).
/// - Creating a writer only checks that the destination can be written; the temporary file is
///   created when the first bytes are flushed, so an interrupted computation before that leaves
///   nothing behind. Temporary files are named `.NAME.tmp-PID-RANDOM`; see `TemporaryFiles`.
///
/// Any number of writers may replace the same path one after the other (a checkpoint rewritten
/// during a run): each has its own temporary name, and each rename is atomic.
package final class AtomicFile {
    /// The destination as given, for messages.
    package let path: String
    /// The destination with symbolic links resolved: the file that is replaced or written.
    private let target: String
    private let writesInPlace: Bool
    /// Permission bits of the file being replaced, kept on the new one; `nil` for a new file, which
    /// gets 0644 less the umask.
    private let mode: mode_t?
    private var temporaryPath: String?
    private var registration: Int?
    private var descriptor: Int32 = -1
    private var committed = false
    private var buffer: [UInt8] = []
    private static let flushThreshold = 256 << 10
    /// The path that names standard output, as in most Unix tools.
    static let standardOutput = "-"

    /// Checks now that `path` can be written, so that an unwritable destination fails before any long
    /// work; creates nothing.
    /// - Throws: `Word2VecError.unwritableFile` with the system's reason.
    package init(path: String) throws {
        self.path = path
        if path == Self.standardOutput {
            // Standard output is a stream: written in place, as a device is.
            target = path
            writesInPlace = true
            mode = nil
            buffer.reserveCapacity(Self.flushThreshold + 4096)
            return
        }
        target = Self.resolvingLinks(path)
        var info = stat()
        if stat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw Word2VecError.unwritableFile(path, reason: "is a directory")
            case S_IFREG:
                writesInPlace = false
                mode = info.st_mode & 0o777
                // Replacing by rename would succeed even on a read-only file; refuse as `cp` would.
                if access(target, W_OK) != 0 {
                    throw Word2VecError.unwritableFile(path, reason: System.errorMessage)
                }
            default:
                writesInPlace = true
                mode = nil
                if access(target, W_OK) != 0 {
                    throw Word2VecError.unwritableFile(path, reason: System.errorMessage)
                }
            }
        } else if errno == ENOENT {
            writesInPlace = false
            mode = nil
        } else {
            throw Word2VecError.unwritableFile(path, reason: System.errorMessage)
        }
        if !writesInPlace {
            let directory = Self.directory(of: target)
            if access(directory.isEmpty ? "." : directory, W_OK | X_OK) != 0 {
                throw Word2VecError.unwritableFile(path, reason: System.errorMessage)
            }
        }
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !committed, let temporaryPath {
            unlink(temporaryPath)
        }
        TemporaryFiles.unregister(registration)
    }

    package func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    package func write(_ string: String) throws {
        var string = string
        try string.withUTF8 { try write($0) }
    }

    /// Appends raw bytes of `count` floats in the machine's byte order.
    package func write(floats: UnsafePointer<Float>, count: Int) throws {
        try write(UnsafeRawBufferPointer(start: floats, count: count * MemoryLayout<Float>.size))
    }

    /// Lets callers append formatted text directly into the buffer without intermediate strings.
    func withBuffer(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    private func failure(_ code: Int32 = errno) -> Word2VecError {
        .unwritableFile(path, reason: System.errorMessage(code))
    }

    /// Opens the temporary file (or the destination itself when it is written in place).
    private func openDestination() throws {
        if target == Self.standardOutput {
            descriptor = dup(STDOUT_FILENO)
            guard descriptor >= 0 else { throw failure() }
            return
        }
        if writesInPlace {
            descriptor = System.open(target, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure() }
            return
        }
        let slash = target.lastIndex(of: "/")
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        let temporary = Self.directory(of: target) + "." + name
            + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // Registered before it exists, so that no signal can fall between creating and registering.
        registration = TemporaryFiles.register(temporary)
        temporaryPath = temporary
        descriptor = System.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ?? 0o644)
        guard descriptor >= 0 else {
            let code = errno
            temporaryPath = nil
            TemporaryFiles.unregister(registration)
            registration = nil
            throw failure(code)
        }
        if let mode { _ = fchmod(descriptor, mode) }
    }

    private func flush() throws {
        precondition(!committed, "AtomicFile written after commit()")
        if descriptor < 0 { try openDestination() }
        try buffer.withUnsafeBytes { bytes in
            guard System.writeAll(descriptor, bytes) else { throw failure() }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the file into place. Call once.
    package func commit() throws {
        try flush()
        let fd = descriptor
        descriptor = -1
        if !writesInPlace {
            // Without this, a full disk or a crash right after the rename can leave an empty or
            // partial file where the old one was (delayed allocation reports ENOSPC only here).
            if fsync(fd) != 0 && errno != EINVAL {
                let code = errno
                close(fd)
                throw failure(code)
            }
        }
        if close(fd) != 0 { throw failure() }
        if let temporaryPath {
            if rename(temporaryPath, target) != 0 { throw failure() }
        }
        committed = true
    }

    /// The directory part of `path` with its trailing slash, or "" for a bare name.
    private static func directory(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
    }

    /// `path` with symbolic links followed to the final target, which need not exist yet. A loop of
    /// links is left unresolved; using it then fails with the system's ELOOP message.
    private static func resolvingLinks(_ path: String) -> String {
        var current = path
        var link = [CChar](repeating: 0, count: 4096)
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            let length = readlink(current, &link, link.count)
            guard length > 0 && length < link.count else { return current }
            let destination = String(decoding: link[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/") ? destination : directory(of: current) + destination
        }
        return current
    }
}
