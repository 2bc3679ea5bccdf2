import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A text input opened for reading at any offset, by any number of threads at once (`pread`).
///
/// Corpora are read several times (counting, then each epoch) and split into byte ranges read in
/// parallel, which needs a regular file. A regular file of plain text is read in place. Everything
/// else (standard input as `-`, pipes, FIFOs, `/dev/stdin`, and gzip-compressed files, recognised by
/// their magic bytes rather than their name) is first copied, decompressed, into an anonymous
/// temporary file in `$TMPDIR` (default `/tmp`). That file has no name from the moment it exists
/// (`O_TMPFILE`; elsewhere it is unlinked right after creation), so nothing is left behind even if
/// the process is killed; its space, as much as the decompressed text, is freed when the process
/// ends or the input is released.
///
/// The first 64 KiB of the text are checked: NUL bytes or a large share of invalid UTF-8 mean binary
/// data (an archive, a model file, another compression format), which is refused rather than
/// trained on as words.
///
/// `@unchecked Sendable`: every property is a constant, and all reads go through `pread` at explicit
/// offsets, which shares no file position between threads; the compiler cannot see that of a file
/// descriptor.
package final class InputFile: @unchecked Sendable {
    /// The path as given, for messages.
    package let name: String
    package let descriptor: Int32
    package let size: Int

    private init(name: String, descriptor: Int32, size: Int) {
        self.name = name
        self.descriptor = descriptor
        self.size = size
    }

    deinit { close(descriptor) }

    static let sampleSize = 64 << 10
    private static let chunkSize = 256 << 10

    /// Inputs that can be read only once (standard input, pipes): their copies, kept for the life
    /// of the process so that later passes (phrase learning, a second corpus over `-`) read the same
    /// text again.
    private static let oneShotCopies = Mutex<[String: InputFile]>([:])

    /// Opens `path` (`-` for standard input) for reading.
    /// - Throws: `Word2VecError.unreadableFile` naming `path`: the system's reason, corrupt or truncated
    ///   gzip data, binary content, or no room for the temporary copy.
    package static func open(_ path: String) throws -> InputFile {
        if let copy = oneShotCopies.withLock({ $0[path] }) { return copy }
        let descriptor = try openDescriptor(path)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = System.errorMessage
            close(descriptor)
            throw Word2VecError.unreadableFile(path, reason: reason)
        }
        if info.st_mode & S_IFMT == S_IFREG {
            defer { close(descriptor) }
            // A duplicate keeps a redirected standard input usable by offset whatever its position.
            let own = dup(descriptor)
            guard own >= 0 else { throw Word2VecError.unreadableFile(path, reason: System.errorMessage) }
            var sample = [UInt8](repeating: 0, count: sampleSize)
            let got = sample.withUnsafeMutableBytes { pread(own, $0.baseAddress, $0.count, 0) }
            guard got >= 0 else {
                let reason = System.errorMessage
                close(own)
                throw Word2VecError.unreadableFile(path, reason: reason)
            }
            sample.removeLast(sampleSize - got)
            if !isGzip(sample) {
                if let problem = TextSample.problem(sample, complete: got == Int(info.st_size)) {
                    close(own)
                    throw Word2VecError.unreadableFile(path, reason: problem)
                }
                return InputFile(name: path, descriptor: own, size: Int(info.st_size))
            }
            defer { close(own) }
            return try copy(path: path, from: own)
        }
        defer { close(descriptor) }
        let copy = try copy(path: path, from: descriptor)
        oneShotCopies.withLock { $0[path] = copy }
        return copy
    }

    /// An anonymous temporary file holding the text `fill` hands to its argument: an intermediate
    /// copy of `path`'s text that this process reads more than once.
    package static func temporary(
        named path: String, fill: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws -> InputFile {
        let spool = try Spool(for: path)
        try fill { try spool.append($0) }
        return try spool.finish { InputFile(name: path, descriptor: $0, size: $1) }
    }

    /// Fails now if `path` cannot be opened, is a directory, or (for a regular file of plain text)
    /// starts with binary data. Consumes nothing from standard input or a pipe.
    static func check(_ path: String) throws {
        if path == "-" || oneShotCopies.withLock({ $0[path] }) != nil { return }
        let descriptor = try openDescriptor(path)
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
        var sample = [UInt8](repeating: 0, count: sampleSize)
        let got = sample.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard got >= 0 else { throw Word2VecError.unreadableFile(path, reason: System.errorMessage) }
        sample.removeLast(sampleSize - got)
        if !isGzip(sample), let problem = TextSample.problem(sample, complete: got == Int(info.st_size)) {
            throw Word2VecError.unreadableFile(path, reason: problem)
        }
    }

    private static func openDescriptor(_ path: String) throws -> Int32 {
        if path == "-" {
            let descriptor = dup(STDIN_FILENO)
            guard descriptor >= 0 else {
                throw Word2VecError.unreadableFile("-", reason: "standard input: \(System.errorMessage)")
            }
            return descriptor
        }
        return try ReadableFile.open(path)
    }

    private static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Copies what `source` yields from its current position, decompressed if it is gzip, into an
    /// anonymous temporary file.
    private static func copy(path: String, from source: Int32) throws -> InputFile {
        let spool = try Spool(for: path)
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { input.deallocate() }
        func next() throws -> Int {
            while true {
                let got = System.read(source, input, chunkSize)
                if got >= 0 { return got }
                if errno != EINTR { throw Word2VecError.unreadableFile(path, reason: System.errorMessage) }
            }
        }
        // Enough bytes to recognise gzip; a pipe may deliver fewer per read.
        var first = try next()
        while first > 0 && first < 2 {
            let more = System.read(source, input + first, chunkSize - first)
            if more <= 0 { break }
            first += more
        }
        if first >= 2 && input[0] == 0x1F && input[1] == 0x8B {
            try inflate(path: path, initial: first, buffer: input, read: next, into: spool)
        } else {
            var got = first
            while got > 0 {
                try spool.append(UnsafeRawBufferPointer(start: input, count: got))
                got = try next()
            }
        }
        return try spool.finish { InputFile(name: path, descriptor: $0, size: $1) }
    }

    /// Decompresses gzip data (any number of concatenated members, as `gzip -d` accepts) into `spool`.
    private static func inflate(
        path: String, initial: Int, buffer input: UnsafeMutablePointer<UInt8>, read: () throws -> Int,
        into spool: Spool
    ) throws {
        var stream = z_stream()
        // 15 + 16: the largest window, gzip wrapper only.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Word2VecError.unreadableFile(path, reason: "cannot start gzip decompression (out of memory)")
        }
        defer { inflateEnd(&stream) }
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { output.deallocate() }
        func corrupt(_ status: Int32) -> Word2VecError {
            let detail = stream.msg.map { String(cString: $0) } ?? "error \(status)"
            return .unreadableFile(path, reason: "corrupt gzip data (\(detail))")
        }
        var available = initial
        var endOfMember = false
        while available > 0 {
            stream.next_in = input
            stream.avail_in = uInt(available)
            while stream.avail_in > 0 {
                if endOfMember {
                    // Another member follows the one that ended.
                    guard inflateReset(&stream) == Z_OK else { throw corrupt(Z_STREAM_ERROR) }
                    endOfMember = false
                }
                stream.next_out = output
                stream.avail_out = uInt(chunkSize)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                switch status {
                case Z_OK, Z_BUF_ERROR: break
                case Z_STREAM_END: endOfMember = true
                case Z_MEM_ERROR: throw Word2VecError.unreadableFile(path, reason: "out of memory decompressing gzip data")
                default: throw corrupt(status)
                }
                let produced = chunkSize - Int(stream.avail_out)
                if produced > 0 { try spool.append(UnsafeRawBufferPointer(start: output, count: produced)) }
                if status == Z_BUF_ERROR && produced == 0 && stream.avail_in > 0 { throw corrupt(status) }
            }
            available = try read()
        }
        // Output held back by zlib at the end of the input.
        while !endOfMember {
            stream.next_out = output
            stream.avail_out = uInt(chunkSize)
            let status = CZlib.inflate(&stream, Z_FINISH)
            let produced = chunkSize - Int(stream.avail_out)
            if produced > 0 { try spool.append(UnsafeRawBufferPointer(start: output, count: produced)) }
            if status == Z_STREAM_END { break }
            if status != Z_OK && status != Z_BUF_ERROR { throw corrupt(status) }
            if produced == 0 {
                throw Word2VecError.unreadableFile(path, reason: "truncated gzip data (unexpected end of file)")
            }
        }
    }
}

/// An anonymous temporary file being filled with a copy of an input.
private final class Spool {
    let path: String
    let directory: String
    var descriptor: Int32
    var size = 0
    /// The first bytes, checked for binary content before the copy goes on.
    var sample: [UInt8] = []
    var checked = false

    init(for path: String) throws {
        self.path = path
        var directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if directory.isEmpty { directory = "/tmp" }
        self.directory = directory
        descriptor = -1
        #if os(Linux)
        // O_TMPFILE is a composite macro that Swift does not import; its value is the same on every
        // Linux architecture, and kernels or file systems without it fail with EISDIR, EOPNOTSUPP
        // or EINVAL, which falls back to mkstemp below.
        descriptor = System.open(directory, 0o20000000 | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o600)
        #endif
        if descriptor < 0 {
            var template = Array((directory + "/.word2vec-input-XXXXXX").utf8CString)
            descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { throw failure() }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    func failure(_ code: Int32 = errno) -> Word2VecError {
        .unreadableFile(path, reason: "cannot copy it to a temporary file in \(directory) (set TMPDIR to change): \(System.errorMessage(code))")
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        if !checked {
            sample.append(contentsOf: bytes.prefix(InputFile.sampleSize - sample.count))
            if sample.count >= InputFile.sampleSize { try check(complete: false) }
        }
        guard System.writeAll(descriptor, bytes) else { throw failure() }
        size += bytes.count
    }

    private func check(complete: Bool) throws {
        checked = true
        if let problem = TextSample.problem(sample, complete: complete) {
            throw Word2VecError.unreadableFile(path, reason: problem)
        }
        sample = []
    }

    /// Hands the finished copy's descriptor over to `make`.
    func finish(_ make: (Int32, Int) -> InputFile) throws -> InputFile {
        if !checked { try check(complete: true) }
        let result = make(descriptor, size)
        descriptor = -1
        return result
    }
}

/// The test that tells text from binary data.
enum TextSample {
    /// Why `sample`, the start of an input, is not text, or `nil` if it looks like text. `complete`
    /// says the sample is the whole input, so a multi-byte character cut at its end is an error.
    ///
    /// Text in a legacy 8-bit encoding (Latin-1) has a few per cent of invalid UTF-8 bytes, binary
    /// data about half, and usually NUL bytes, which no text has.
    static func problem(_ sample: [UInt8], complete: Bool) -> String? {
        if let zero = sample.firstIndex(of: 0) {
            return "not a text file (NUL byte at offset \(zero)); expected UTF-8 text, plain or gzip-compressed"
        }
        let invalid = invalidBytes(sample, complete: complete)
        if invalid >= 64 && invalid * 5 > sample.count {
            return "not UTF-8 text (\(invalid * 100 / sample.count)% of the first \(sample.count) bytes are not UTF-8);"
                + " expected UTF-8 text, plain or gzip-compressed"
        }
        return nil
    }

    /// The number of bytes that are not part of a well-formed UTF-8 sequence.
    static func invalidBytes(_ bytes: [UInt8], complete: Bool) -> Int {
        var invalid = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: invalid += 1; i += 1; continue
            }
            if i + length > n && !complete { break }
            var ok = i + length <= n && bytes[i + 1] >= low && bytes[i + 1] <= high
            if ok {
                for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { ok = false }
            }
            if ok { i += length } else { invalid += 1; i += 1 }
        }
        return invalid
    }
}
