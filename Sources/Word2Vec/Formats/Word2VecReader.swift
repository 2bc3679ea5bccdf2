#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The layouts `Embeddings.load` reads.
///
/// - `text`: a header line `count dimension`, then per line a word and its values, separated by
///   spaces or tabs (the C tool's `-binary 0`, gensim's `binary=False`, fastText's `.vec`).
/// - `binary`: the same header, then per entry the word, one space and `dimension` little-endian
///   32-bit floats, optionally followed by a newline (the C tool writes one, gensim does not).
/// - `headerless`: text lines without the header line (GloVe's layout).
/// - `auto`: decided from the start of the file; see `Embeddings.load(path:format:limit:)`.
public enum VectorFileFormat: String, Sendable, CaseIterable {
    case auto
    case text
    case binary
    case headerless
}

extension Embeddings {
    /// Reads word vectors from a file written by the original C tool, gensim, fastText (`.vec`) or
    /// GloVe, or by `Embeddings.write`.
    ///
    /// With `format: .auto` a first line of two integers is the header; a first line with a word and
    /// three or more numbers means a file without header; otherwise the header is malformed. After a
    /// header, the file is text if the rest of the first entry's line is made of number characters,
    /// else binary. Line ends may be CRLF and lines may end in spaces. Words that are not valid UTF-8
    /// (the C tool cuts long words at a byte limit) have the bad bytes replaced by U+FFFD.
    ///
    /// - Parameters:
    ///   - limit: read only the first `limit` vectors (the most frequent ones in files sorted by
    ///     frequency, as all these tools write them). The rest of the file is not looked at.
    /// - Returns: the vectors in file order.
    /// - Throws: `Word2VecError.malformedFile` (text: naming the line) or `.malformedData` (binary:
    ///   naming the byte offset) for a bad header, a wrong number of values, a value that is not a
    ///   number, a truncated file, data after the announced count, or a word that appears twice;
    ///   `.unreadableFile`; `.invalidOption` for a negative `limit`.
    /// - Complexity: O(size of the part of the file read); the file is memory-mapped, not copied.
    public static func load(path: String, format: VectorFileFormat = .auto, limit: Int? = nil) throws -> Embeddings {
        if let limit, limit < 0 { throw Word2VecError.invalidOption("--limit", "must not be negative") }
        let data = try ReadableFile.contents(path)
        return try data.withUnsafeBytes { raw in
            // A zero-length mapping has no base address; parse it as an empty buffer instead.
            var empty: UInt8 = 0
            let base = raw.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) }
            return try withUnsafePointer(to: &empty) { fallback in
                var reader = Word2VecReader(
                    path: path, bytes: base ?? fallback, count: raw.count, limit: limit ?? Int.max)
                return try reader.read(format: format)
            }
        }
    }
}

/// The parser behind `Embeddings.load`: a cursor over the mapped bytes of one file.
struct Word2VecReader {
    let path: String
    let bytes: UnsafePointer<UInt8>
    let count: Int
    let limit: Int

    private var words: [String] = []
    private var table = ByteStringTable()

    init(path: String, bytes: UnsafePointer<UInt8>, count: Int, limit: Int) {
        self.path = path
        self.bytes = bytes
        self.count = count
        self.limit = limit
    }

    // MARK: Layout detection

    mutating func read(format: VectorFileFormat) throws -> Embeddings {
        guard count > 0 else { throw Word2VecError.malformedFile(path, line: 1, "empty file; expected a header 'count dimension'") }
        let headerEnd = lineEnd(from: 0)
        let headerFields = fields(from: 0, to: trimmedEnd(0, headerEnd))
        if format == .headerless || (format == .auto && headerFields.count > 3 && looksLikeValues(headerFields.dropFirst())) {
            return try readHeaderless()
        }
        guard headerFields.count == 2,
              let announced = Int(text(headerFields[0])), let dimension = Int(text(headerFields[1])),
              announced >= 0, dimension >= 1
        else {
            throw Word2VecError.malformedFile(
                path, line: 1,
                "expected a header 'count dimension' (a count >= 0 and a dimension >= 1), found '\(preview(0, headerEnd))'")
        }
        let bodyStart = min(headerEnd + 1, count)
        let binary: Bool
        switch format {
        case .binary: binary = true
        case .text: binary = false
        default: binary = announced > 0 && !firstEntryIsText(from: bodyStart, dimension: dimension)
        }
        let rows = min(announced, limit)
        return binary
            ? try readBinary(from: bodyStart, announced: announced, rows: rows, dimension: dimension)
            : try readText(from: bodyStart, firstLine: 2, announced: announced, rows: rows, dimension: dimension)
    }

    /// Whether the first entry after the header is a text line. In the binary layout the four bytes
    /// after the word's separator are the first float, whose last byte holds the exponent: `?`, `>`,
    /// `=`, `<` or a byte >= 0x80 for any magnitude a word vector has, never a number character. So
    /// four or more number characters and blanks there can only be text; a shorter rest of the line is
    /// text if it holds exactly `dimension` numbers.
    private func firstEntryIsText(from start: Int, dimension: Int) -> Bool {
        var i = start
        while i < count, !isBlank(bytes[i]) { i += 1 }  // the word
        guard i < count else { return true }
        let end = lineEnd(from: i)
        for j in i..<end where !(isBlank(bytes[j]) || bytes[j] == 0x0D || isNumberCharacter(bytes[j])) {
            return false
        }
        if end - (i + 1) >= 4 { return true }
        let values = fields(from: i, to: trimmedEnd(i, end))
        return values.count == dimension && looksLikeValues(values[...])
    }

    private func looksLikeValues(_ values: ArraySlice<Range<Int>>) -> Bool {
        values.allSatisfy { DecimalParser.parse(bytes, from: $0.lowerBound, to: $0.upperBound) != nil }
    }

    // MARK: Text

    private mutating func readText(
        from start: Int, firstLine: Int, announced: Int, rows: Int, dimension: Int, checkEnd: Bool = true
    ) throws -> Embeddings {
        // Every entry takes at least a one-byte word and a separator and digit per value, so a header
        // announcing more cannot be satisfied; allocating for it would only exhaust memory.
        let capacity = min(rows, (count - start) / (2 * dimension + 1) + 1)
        let matrix = Matrix(rows: capacity, columns: dimension)
        words.reserveCapacity(capacity)
        var position = start
        var line = firstLine
        while words.count < rows {
            guard position < count else {
                throw Word2VecError.malformedFile(
                    path, line: line, "file ends after \(words.count) of the \(announced) vectors announced in the header")
            }
            let end = lineEnd(from: position)
            try parseTextLine(from: position, to: end, line: line, dimension: dimension, into: matrix)
            position = end + 1
            line += 1
        }
        if checkEnd && rows == announced { try expectNothingMore(from: position, line: line, announced: announced) }
        return try finish(matrix: matrix)
    }

    private mutating func readHeaderless() throws -> Embeddings {
        // Count the lines with content first, so that the matrix is allocated once. Blank lines are
        // not counted; one between two entries is reported by `readText`, trailing ones are ignored.
        var lines = 0
        var position = 0
        var dimension = 0
        while position < count, lines < limit {
            let end = lineEnd(from: position)
            let contentEnd = trimmedEnd(position, end)
            let lineFields = fields(from: position, to: contentEnd)
            if !lineFields.isEmpty {
                if lines == 0 { dimension = lineFields.count - 1 }
                lines += 1
            }
            position = end + 1
        }
        guard dimension >= 1 else {
            throw Word2VecError.malformedFile(path, line: 1, "expected a word followed by its values")
        }
        // All lines up to `limit` were counted, so there is nothing after them to check.
        return try readText(from: 0, firstLine: 1, announced: lines, rows: lines, dimension: dimension, checkEnd: false)
    }

    private mutating func parseTextLine(from start: Int, to lineEnd: Int, line: Int, dimension: Int, into matrix: Matrix) throws {
        let end = trimmedEnd(start, lineEnd)
        var i = start
        while i < end, isBlank(bytes[i]) { i += 1 }
        guard i < end else {
            throw Word2VecError.malformedFile(path, line: line, "empty line; expected a word and \(dimension) values")
        }
        let wordStart = i
        while i < end, !isBlank(bytes[i]) { i += 1 }
        let wordEnd = i
        let row = matrix.pointer(row: words.count)
        var values = 0
        while i < end {
            while i < end, isBlank(bytes[i]) { i += 1 }
            let valueStart = i
            while i < end, !isBlank(bytes[i]) { i += 1 }
            if values < dimension {
                guard let value = DecimalParser.parse(bytes, from: valueStart, to: i) else {
                    throw Word2VecError.malformedFile(
                        path, line: line, "value \(values + 1) '\(preview(valueStart, i))' is not a number")
                }
                row[values] = Float(value)
            }
            values += 1
        }
        guard values == dimension else {
            throw Word2VecError.malformedFile(
                path, line: line,
                "expected \(dimension) values after the word '\(preview(wordStart, wordEnd))', found \(values)")
        }
        let firstLine = line - words.count
        let path = path
        try addWord(from: wordStart, to: wordEnd) { word, first in
            Word2VecError.malformedFile(path, line: line, "word '\(word)' appears twice (first on line \(firstLine + first))")
        }
    }

    // MARK: Binary

    private mutating func readBinary(from start: Int, announced: Int, rows: Int, dimension: Int) throws -> Embeddings {
        let vectorBytes = dimension * MemoryLayout<Float>.size
        let capacity = min(rows, (count - start) / (vectorBytes + 2) + 1)
        let matrix = Matrix(rows: capacity, columns: dimension)
        words.reserveCapacity(capacity)
        var offsets: [Int] = []
        offsets.reserveCapacity(capacity)
        var position = start
        while words.count < rows {
            // The C tool ends each entry with a newline, gensim does not; skip it where present.
            while position < count, bytes[position] == 0x0A || bytes[position] == 0x0D { position += 1 }
            let entry = words.count + 1
            guard position < count else {
                throw Word2VecError.malformedData(
                    path, offset: position, "file ends after \(words.count) of the \(announced) vectors announced in the header")
            }
            var wordEnd = position
            while wordEnd < count, bytes[wordEnd] != 0x20 { wordEnd += 1 }
            guard wordEnd < count else {
                throw Word2VecError.malformedData(
                    path, offset: position, "file ends inside the word of vector \(entry) of \(announced)")
            }
            guard wordEnd > position else {
                throw Word2VecError.malformedData(path, offset: position, "vector \(entry) has an empty word")
            }
            let valuesStart = wordEnd + 1
            guard count - valuesStart >= vectorBytes else {
                throw Word2VecError.malformedData(
                    path, offset: valuesStart,
                    "file ends inside the vector of '\(preview(position, wordEnd))' (vector \(entry) of \(announced)): "
                        + "\(count - valuesStart) of \(vectorBytes) bytes present")
            }
            let row = matrix.pointer(row: words.count)
            let raw = UnsafeRawPointer(bytes + valuesStart)
            for d in 0..<dimension {
                let bits = raw.loadUnaligned(fromByteOffset: d * 4, as: UInt32.self)
                row[d] = Float(bitPattern: UInt32(littleEndian: bits))
            }
            let wordStart = position
            let path = path
            try addWord(from: wordStart, to: wordEnd) { [offsets] word, first in
                Word2VecError.malformedData(
                    path, offset: wordStart, "word '\(word)' appears twice (first at byte \(offsets[first]))")
            }
            offsets.append(wordStart)
            position = valuesStart + vectorBytes
        }
        if rows == announced {
            var i = position
            while i < count, isBlank(bytes[i]) || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
            guard i == count else {
                throw Word2VecError.malformedData(
                    path, offset: i, "unexpected data after the \(announced) vectors announced in the header")
            }
        }
        return try finish(matrix: matrix)
    }

    // MARK: Shared

    /// Records the word of the next row, rejecting a repeat with the error built by `duplicate` from
    /// the word and the row of its first occurrence.
    private mutating func addWord(from start: Int, to end: Int, duplicate: (String, Int) -> Word2VecError) throws {
        var word = String(decoding: UnsafeBufferPointer(start: bytes + start, count: end - start), as: UTF8.self)
        // Identity is decided on the repaired bytes, which are what the vocabulary will hold.
        let (id, inserted) = word.withUTF8 { table.insert($0) }
        guard inserted else { throw duplicate(word, id) }
        words.append(word)
    }

    private func expectNothingMore(from start: Int, line: Int, announced: Int) throws {
        var position = start
        var line = line
        while position < count {
            let end = lineEnd(from: position)
            guard trimmedEnd(position, end) == position || fields(from: position, to: trimmedEnd(position, end)).isEmpty else {
                throw Word2VecError.malformedFile(
                    path, line: line, "unexpected data after the \(announced) vectors announced in the header")
            }
            position = end + 1
            line += 1
        }
    }

    private func finish(matrix: Matrix) throws -> Embeddings {
        // `matrix` has exactly `words.count` rows here: fewer rows would have thrown above.
        precondition(matrix.rows == words.count)
        let vocabulary = Vocabulary(entries: words.enumerated().map { (word: $0.element, count: words.count - $0.offset) })
        return Embeddings(words: words, vectors: matrix, vocabulary: vocabulary)
    }

    @inline(__always) private func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private func isNumberCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"): true
        default:
            // The letters of exponents and of `inf`, `infinity` and `nan`, in either case.
            switch byte | 0x20 {
            case UInt8(ascii: "e"), UInt8(ascii: "n"), UInt8(ascii: "a"), UInt8(ascii: "i"), UInt8(ascii: "f"),
                 UInt8(ascii: "t"), UInt8(ascii: "y"): true
            default: false
            }
        }
    }

    /// The index of the newline ending the line that starts at `start`, or `count` for the last line.
    private func lineEnd(from start: Int) -> Int {
        guard start < count else { return count }
        guard let found = memchr(bytes + start, 0x0A, count - start) else { return count }
        return UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - bytes
    }

    /// `end` moved back over a carriage return and trailing spaces and tabs.
    private func trimmedEnd(_ start: Int, _ end: Int) -> Int {
        var end = end
        while end > start, isBlank(bytes[end - 1]) || bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }

    /// The blank-separated fields of `bytes[start..<end]`.
    private func fields(from start: Int, to end: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = start
        while i < end {
            while i < end, isBlank(bytes[i]) { i += 1 }
            let fieldStart = i
            while i < end, !isBlank(bytes[i]) { i += 1 }
            if i > fieldStart { result.append(fieldStart..<i) }
        }
        return result
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count), as: UTF8.self)
    }

    /// Up to 40 bytes for an error message, with control characters shown as `?` so that the message
    /// stays on one line whatever the file holds.
    private func preview(_ start: Int, _ end: Int) -> String {
        let cut = end > start + 40
        let end = trimmedEnd(start, min(end, start + 40))
        let shown = text(start..<end).unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) }
        return String(shown) + (cut ? "..." : "")
    }
}
