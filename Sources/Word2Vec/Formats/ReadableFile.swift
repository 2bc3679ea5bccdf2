import Synchronization
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
package enum ReadableFile {
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

    /// The whole file, memory-mapped; `-` is standard input, read to its end once and kept, so that
    /// a second reader of `-` gets the same bytes rather than nothing.
    package static func contents(_ path: String) throws -> Data {
        if path == "-" { return try standardInput() }
        close(try open(path))
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw Word2VecError.unreadableFile(path, reason: "\(error)")
        }
    }

    private static let standardInputCopy = Mutex<Data?>(nil)

    private static func standardInput() throws -> Data {
        try standardInputCopy.withLock { copy in
            if let copy { return copy }
            var bytes: [UInt8] = []
            let chunk = 1 << 16
            var buffer = [UInt8](repeating: 0, count: chunk)
            while true {
                let got = buffer.withUnsafeMutableBytes { System.read(STDIN_FILENO, $0.baseAddress!, chunk) }
                if got == 0 { break }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw Word2VecError.unreadableFile("-", reason: "standard input: \(System.errorMessage)")
                }
                bytes += buffer[..<got]
            }
            let data = Data(bytes)
            copy = data
            return data
        }
    }
}
