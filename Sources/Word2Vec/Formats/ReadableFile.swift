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

/// Reading a file a user names: the one way the library and its tools open one, so that every
/// reader fails with the same one-line error naming the file (`Word2VecError.unreadableFile`: the
/// system's reason, or "is a directory") and treats `-` as standard input the same way.
///
/// - `withBytes(of:_:)`: the whole file at once, memory-mapped, for the readers that parse a file
///   in one go (vector files, vocabulary files, evaluation sets, item logs and histories, word
///   groups, connector words).
/// - `forEachLine(of:_:)`: line by line as the text arrives, in memory bounded by the longest line,
///   for text of any size or typed at a terminal (`sentence-vector`).
/// - `open(_:)`: a descriptor, for the readers that map a file themselves (model files) or read at
///   offsets from several threads (`InputFile`, which corpora read through).
/// - `starts(_:with:)`: whether a file begins with given bytes (a format's magic number).
///
/// Standard input can be read only once, so `withBytes` keeps what it read for the life of the
/// process: a second reader of `-` gets the same bytes rather than nothing.
package enum ReadableFile {
    /// A read-only descriptor for `path`, which the caller closes.
    /// - Throws: `Word2VecError.unreadableFile` with the system's reason, or "is a directory".
    package static func open(_ path: String) throws -> Int32 {
        let descriptor = System.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Word2VecError.unreadableFile(path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else {
            close(descriptor)
            throw Word2VecError.unreadableFile(path, reason: "is a directory")
        }
        return descriptor
    }

    /// Calls `body` with the whole file's bytes, memory-mapped; `-` is standard input, read to its
    /// end once and kept. The buffer's base address is never `nil`, even for an empty file, and the
    /// bytes are valid only during `body`.
    /// - Throws: `Word2VecError.unreadableFile` naming `path`; whatever `body` throws.
    /// - Complexity: O(1) to map a file; O(size) to read standard input the first time.
    package static func withBytes<Result>(
        of path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        let data = try contents(path)
        return try data.withUnsafeBytes { raw in
            if raw.count > 0, let base = raw.baseAddress {
                return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: raw.count))
            }
            // A zero-length mapping has no base address; parsers index from one all the same.
            var none: UInt8 = 0
            return try withUnsafePointer(to: &none) { try body(UnsafeBufferPointer(start: $0, count: 0)) }
        }
    }

    /// Calls `body` with each line's number (from 1) and bytes, by the rules of `TextLines` (no LF,
    /// no CR before it, a leading byte-order mark skipped), reading `path` (`-`: standard input) a
    /// chunk at a time: memory stays bounded by the longest line, and a line typed at a terminal is
    /// handed over as soon as it is complete. The bytes are valid only during `body`.
    /// - Throws: `Word2VecError.unreadableFile` naming `path`; whatever `body` throws.
    package static func forEachLine(
        of path: String, _ body: (_ number: Int, _ line: UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        if path == "-", let copy = standardInputCopy.withLock({ $0 }) {
            // `withBytes` consumed standard input already; read its copy.
            try copy.withUnsafeBytes { try TextLines.forEach(in: $0.bindMemory(to: UInt8.self), body) }
            return
        }
        let descriptor: Int32
        if path == "-" {
            descriptor = dup(STDIN_FILENO)
            guard descriptor >= 0 else {
                throw Word2VecError.unreadableFile("-", reason: "standard input: \(System.errorMessage)")
            }
        } else {
            descriptor = try open(path)
        }
        defer { close(descriptor) }
        var number = 0
        func emit(_ line: ArraySlice<UInt8>) throws {
            var line = line
            if number == 0, line.starts(with: TextLines.byteOrderMark) { line = line.dropFirst(3) }
            if line.last == 0x0D { line = line.dropLast() }
            number += 1
            try line.withUnsafeBufferPointer { try body(number, $0) }
        }
        let chunkSize = 1 << 16
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        // The bytes after the last LF read so far: the start of the next line.
        var pending: [UInt8] = []
        while true {
            let got = chunk.withUnsafeMutableBytes { System.read(descriptor, $0.baseAddress!, chunkSize) }
            if got < 0 {
                if errno == EINTR { continue }
                throw Word2VecError.unreadableFile(path, reason: path == "-" ? "standard input: \(System.errorMessage)" : System.errorMessage)
            }
            if got == 0 { break }
            var start = 0
            while let end = chunk[start..<got].firstIndex(of: 0x0A) {
                if pending.isEmpty {
                    try emit(chunk[start..<end])
                } else {
                    pending += chunk[start..<end]
                    try emit(pending[...])
                    pending.removeAll(keepingCapacity: true)
                }
                start = end + 1
            }
            pending += chunk[start..<got]
        }
        // Text after the last LF is a line, as in `TextLines`; a lone byte-order mark is not.
        if !pending.isEmpty && !(number == 0 && pending == TextLines.byteOrderMark) { try emit(pending[...]) }
    }

    /// Whether the file at `path` starts with `prefix`; `false` for a file that cannot be read.
    /// Reads `prefix.count` bytes at most, never standard input.
    package static func starts(_ path: String, with prefix: [UInt8]) -> Bool {
        guard path != "-", let descriptor = try? open(path) else { return false }
        defer { close(descriptor) }
        var head = [UInt8](repeating: 0, count: prefix.count)
        let got = head.withUnsafeMutableBytes { System.read(descriptor, $0.baseAddress!, $0.count) }
        return got == prefix.count && head == prefix
    }

    /// The whole file, memory-mapped; standard input's kept copy for `-`.
    private static func contents(_ path: String) throws -> Data {
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
