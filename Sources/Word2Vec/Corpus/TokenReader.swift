#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One item of a tokenised text stream.
enum Token {
    /// A word's UTF-8 bytes, valid until the reader's next call.
    case word(UnsafeBufferPointer<UInt8>)
    /// A newline: the end of a sentence.
    case endOfLine
    case endOfInput

    var isEndOfLine: Bool {
        if case .endOfLine = self { return true }
        return false
    }
}

/// Streams whitespace-separated words from a byte range of an input, in constant memory.
///
/// Words are maximal runs of bytes other than space and ASCII control bytes (`isWhitespace`); a
/// newline additionally ends a sentence.
/// Words longer than `maximumWordBytes` are cut to that length (the rest of the run is skipped), and
/// invalid UTF-8 inside a word is replaced by U+FFFD. The reader works on raw bytes in 256 KiB chunks and
/// allocates only for words that need repair.
///
/// A range must start at 0 or just after a whitespace byte, and end at the file's end or just after a
/// whitespace byte (see `FileSlices`), so that no word straddles two ranges.
package final class TokenReader {
    static let chunkSize = 256 << 10
    static let maximumWordBytes = 1024

    private let input: InputFile
    private var filePosition: Int
    private let end: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private var head = 0
    private var tail = 0
    private var skippingRestOfWord = false
    /// TAB bytes met between words since the last `leadingField` call, which document readers make
    /// at every line start (document files give a TAB a meaning: it ends the tags).
    private(set) var tabsOnLine = 0
    /// Room for a repaired word: each invalid byte becomes at most the 3 bytes of U+FFFD.
    private let repairedWord: UnsafeMutablePointer<UInt8>

    /// The file offset of the next unread byte.
    var offset: Int { filePosition - (tail - head) }
    /// The file offset of the first word read that was not valid UTF-8 (and was repaired).
    private(set) var firstInvalidWordOffset: Int?
    /// Whether the word at file offset 0 starts with a UTF-8 byte order mark (EF BB BF), which
    /// would otherwise silently become part of the first word.
    private(set) var startsWithByteOrderMark = false

    /// Reads `range` of `input` (byte offsets; `nil` = all of it).
    init(input: InputFile, range: Range<Int>? = nil) {
        self.input = input
        filePosition = range?.lowerBound ?? 0
        end = range?.upperBound ?? Int.max
        buffer = .allocate(capacity: Self.chunkSize)
        repairedWord = .allocate(capacity: 3 * Self.maximumWordBytes)
    }

    deinit {
        buffer.deallocate()
        repairedWord.deallocate()
    }

    /// Word separators: space and every ASCII control byte. Tabs, newlines and carriage returns are
    /// the usual ones; the others (ESC of terminal colour codes, NUL, DEL) cannot be part of a word
    /// in any vector or vocabulary file (`WordSpelling`), so they split words here rather than make
    /// a run fail when its vectors are written.
    @inline(__always)
    package static func isWhitespace(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == 0x7F
    }

    /// Reads more bytes after `tail`, moving unread bytes to the front first. Returns false at the end.
    private func refill() throws -> Bool {
        if head > 0 {
            let unread = tail - head
            if unread > 0 { buffer.update(from: buffer + head, count: unread) }
            head = 0
            tail = unread
        }
        let wanted = min(Self.chunkSize - tail, end - filePosition)
        guard wanted > 0 else { return false }
        let got = pread(input.descriptor, buffer + tail, wanted, off_t(filePosition))
        if got < 0 { throw Word2VecError.unreadableFile(input.name, reason: System.errorMessage) }
        if got == 0 { return false }
        tail += got
        filePosition += got
        return true
    }

    /// The next token of the range.
    func next() throws -> Token {
        while true {
            if skippingRestOfWord {
                while head < tail && !Self.isWhitespace(buffer[head]) { head += 1 }
                if head == tail {
                    if try refill() { continue }
                    return .endOfInput
                }
                skippingRestOfWord = false
            }
            while head < tail {
                let byte = buffer[head]
                if byte == 0x0A { head += 1; return .endOfLine }
                if !Self.isWhitespace(byte) { break }
                if byte == 0x09 { tabsOnLine &+= 1 }
                head += 1
            }
            if head == tail {
                if try refill() { continue }
                return .endOfInput
            }
            var i = head
            while i < tail && !Self.isWhitespace(buffer[i]) { i += 1 }
            if i - head > Self.maximumWordBytes {
                let start = head
                head += Self.maximumWordBytes
                skippingRestOfWord = true
                return word(start, Self.maximumWordBytes)
            }
            if i < tail {
                let start = head
                head = i
                return word(start, i - start)
            }
            // The word may continue in the next chunk.
            let before = tail - head
            if try refill(), tail - head > before { continue }
            let start = head
            head = tail
            return word(start, tail - start)
        }
    }

    /// Called at the start of a line: if a TAB comes within the line's first `limit + 1` bytes, the
    /// bytes before it (consumed, with the TAB); otherwise `nil`, consuming nothing.
    /// `limit` must be well below `chunkSize`.
    func leadingField(limit: Int) throws -> UnsafeBufferPointer<UInt8>? {
        tabsOnLine = 0
        while tail - head <= limit, try refill() {}
        var i = head
        let stop = min(tail, head + limit + 1)
        while i < stop {
            let byte = buffer[i]
            if byte == 0x0A { return nil }
            if byte == 0x09 {
                let field = UnsafeBufferPointer(start: buffer + head, count: i - head)
                head = i + 1
                return field
            }
            i += 1
        }
        return nil
    }

    @inline(__always)
    private func word(_ start: Int, _ length: Int) -> Token {
        let bytes = UnsafeBufferPointer(start: buffer + start, count: length)
        let fileOffset = filePosition - (tail - start)
        if fileOffset == 0, length >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            startsWithByteOrderMark = true
        }
        if UTF8Validation.isValid(bytes) { return .word(bytes) }
        if firstInvalidWordOffset == nil { firstInvalidWordOffset = fileOffset }
        let repaired = UTF8Validation.repaired(bytes)
        repairedWord.update(from: repaired, count: repaired.count)
        return .word(UnsafeBufferPointer(start: repairedWord, count: repaired.count))
    }
}

/// Splits a file into byte ranges for parallel reading, each starting and ending on a word boundary,
/// so that every word of the file lies in exactly one range.
enum FileSlices {
    /// `parts` consecutive ranges covering the whole input; some may be empty for tiny inputs.
    static func ranges(input: InputFile, parts: Int) throws -> [Range<Int>] {
        let size = input.size
        let fd = input.descriptor
        var bounds = [0]
        for k in 1..<max(parts, 1) {
            bounds.append(max(bounds.last!, try boundary(near: size * k / parts, fd: fd, size: size)))
        }
        bounds.append(size)
        return (0..<max(parts, 1)).map { bounds[$0]..<bounds[$0 + 1] }
    }

    /// The first offset at or after `offset` that directly follows a whitespace byte (or the file end).
    private static func boundary(near offset: Int, fd: Int32, size: Int) throws -> Int {
        guard offset > 0 else { return 0 }
        var position = offset - 1
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while position < size {
            let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(position)) }
            if got <= 0 { return size }
            for i in 0..<got where TokenReader.isWhitespace(chunk[i]) {
                return position + i + 1
            }
            position += got
        }
        return size
    }
}
