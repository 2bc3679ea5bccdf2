#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that it appears complete or not at all: bytes go to a temporary file beside the
/// destination, which is renamed over it only by `commit()`. A writer dropped without `commit()`
/// removes its temporary file, so a failed run never leaves partial output.
final class AtomicFile {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let flushThreshold = 256 << 10

    /// Creates the temporary file now, so an unwritable destination fails before any long work.
    init(path: String) throws {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw Word2VecError.unwritableFile(path, reason: "is a directory")
        }
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = directory + "." + name + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw Word2VecError.unwritableFile(path, reason: String(cString: strerror(errno)))
        }
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    func write(_ string: String) throws {
        var string = string
        try string.withUTF8 { try write($0) }
    }

    /// Appends raw bytes of `count` floats in the machine's byte order.
    func write(floats: UnsafePointer<Float>, count: Int) throws {
        try write(UnsafeRawBufferPointer(start: floats, count: count * MemoryLayout<Float>.size))
    }

    /// Lets callers append formatted text directly into the buffer without intermediate strings.
    func withBuffer(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    private func flush() throws {
        var written = 0
        try buffer.withUnsafeBytes { bytes in
            while written < bytes.count {
                let n = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Word2VecError.unwritableFile(path, reason: String(cString: strerror(errno)))
                }
                written += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the file into place.
    func commit() throws {
        try flush()
        let fd = descriptor
        descriptor = -1
        if close(fd) != 0 {
            unlink(temporaryPath)
            throw Word2VecError.unwritableFile(path, reason: String(cString: strerror(errno)))
        }
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw Word2VecError.unwritableFile(path, reason: reason)
        }
    }
}
