#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening user files for reading, with the one-line errors every reader of the library reports.
enum ReadableFile {
    /// A read-only descriptor for `path`, which the caller closes.
    /// - Throws: `Word2VecError.unreadableFile` with the system's reason, or "is a directory".
    static func open(_ path: String) throws -> Int32 {
        let descriptor = System.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Word2VecError.unreadableFile(path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else {
            close(descriptor)
            throw Word2VecError.unreadableFile(path, reason: "is a directory")
        }
        return descriptor
    }

    /// The whole file, memory-mapped.
    static func contents(_ path: String) throws -> Data {
        close(try open(path))
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw Word2VecError.unreadableFile(path, reason: "\(error)")
        }
    }
}
