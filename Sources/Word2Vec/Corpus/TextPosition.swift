#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Positions in a text input, for messages that name a line.
public enum TextPosition {
    /// The 1-based line of `path` (as the corpus readers see it: `-` and gzip inputs included) that
    /// holds byte `offset`. Reads the text up to `offset` once.
    /// - Throws: `Word2VecError.unreadableFile` naming `path`.
    public static func line(ofByte offset: Int, inFileAt path: String) throws -> Int {
        try line(ofByte: offset, in: .file(path))
    }

    /// The 1-based line of `source`'s text (rewritten, if it is) that holds byte `offset`.
    public static func line(ofByte offset: Int, in source: TextSource) throws -> Int {
        let path = source.path
        let input = try source.open()
        let end = min(offset, input.size)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var position = 0
        var line = 1
        while position < end {
            let got = chunk.withUnsafeMutableBytes {
                pread(input.descriptor, $0.baseAddress, min($0.count, end - position), off_t(position))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw Word2VecError.unreadableFile(path, reason: System.errorMessage)
            }
            if got == 0 { break }
            for i in 0..<got where chunk[i] == 0x0A { line += 1 }
            position += got
        }
        return line
    }
}
