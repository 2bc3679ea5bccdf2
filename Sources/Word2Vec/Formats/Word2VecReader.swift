#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Embeddings {
    /// The largest dimension a vector file may declare. No published model comes near it; the bound
    /// keeps every size computed from a header (bytes per vector, matrix size, query buffers) far
    /// from overflow whatever the header says.
    public static let maximumDimension = 1 << 24

    /// Reads word vectors from a file written by the original C tool, gensim, fastText (`.vec`) or
    /// GloVe, or by `Embeddings.write`.
    ///
    /// With `format: nil` (the default) the layout is detected: a model file (`Model.save`) or a
    /// fastText binary model (`.bin`, `Model(fastTextModelAt:)`) by its magic number, whose word
    /// vectors (with subwords: composed, and answering unknown words) are then read; else a first line of two integers is the
    /// header, a first line with a word and three or more numbers means a file without header
    /// (`.headerless`), and otherwise the header is malformed. After a
    /// header, the file is text if the rest of the first entry's line is made of number characters,
    /// else binary. Line ends may be CRLF and lines may end in spaces.
    ///
    /// Words must follow the rule of `Embeddings.write`: not empty, no space and no ASCII control
    /// byte. Values must be finite as 32-bit floats (`nan`, `inf` and `1e39` are rejected). Words
    /// that are not valid UTF-8 (the C tool cuts long words at a byte limit, possibly inside a
    /// character) have the bad bytes replaced by U+FFFD. If that makes a word equal to an earlier
    /// one, the later vector is dropped, as gensim keeps the first of repeated words; so the result
    /// can hold fewer vectors than the header announces. Two entries with the same bytes are an
    /// error. Words are compared as bytes, never as canonically equivalent Unicode.
    ///
    /// Memory is bounded by the file: the header's count and dimension are checked against the
    /// bytes that follow it before anything is allocated.
    ///
    /// - Parameters:
    ///   - limit: read only the first `limit` vectors (the most frequent ones in files sorted by
    ///     frequency, as all these tools write them). The rest of the file is not looked at.
    /// - Returns: the vectors in file order.
    /// - Throws: `Word2VecError.malformedFile` (text: naming the line) or `.malformedData` (binary:
    ///   naming the byte offset) for a bad header, a dimension above `maximumDimension`, a wrong
    ///   number of values, a value that is not a finite number, a
    ///   word that breaks the rule above, a truncated file, data after the announced count, or a word
    ///   that appears twice; `.unreadableFile`; `.invalidConfiguration` for a negative `limit`.
    /// - Complexity: O(size of the part of the file read); the file is memory-mapped, not copied.
    public static func load(path: String, format: VectorFileFormat? = nil, limit: Int? = nil) throws -> Embeddings {
        if let limit, limit < 0 { throw Word2VecError.invalidConfiguration(setting: "Embeddings.load(limit:)", problem: "must not be negative") }
        if format == nil, ModelFile.hasMagic(path) { return try Model(contentsOf: path, for: .vectors).embeddings(limit: limit) }
        if format == nil, FastTextFile.hasMagic(path) {
            return try Model(fastTextModelAt: path, for: .vectors).embeddings(limit: limit)
        }
        return try ReadableFile.withBytes(of: path) { bytes in
            if path == "-", bytes.starts(with: ModelFile.magic) {
                throw Word2VecError.unreadableFile(path, reason: "a model file is memory-mapped: give its path, not standard input")
            }
            var reader = Word2VecReader(path: path, bytes: bytes.baseAddress!, count: bytes.count, limit: limit ?? Int.max)
            return try reader.read(format: format)
        }
    }
}

/// The parser behind `Embeddings.load`: a cursor over the mapped bytes of one file.
struct Word2VecReader {
    let path: String
    let bytes: UnsafePointer<UInt8>
    let count: Int
    let limit: Int

    /// The kept words, in row order.
    private var words: [String] = []
    /// Where each kept word was read: its line (text) or byte offset (binary), for error messages.
    private var positions: [Int] = []
    /// The kept words' bytes after U+FFFD repair; ids are rows.
    private var table = ByteStringTable()
    /// The original bytes of the kept words that needed repair, to tell a repeated entry (an error)
    /// from two words that only became equal through repair (the later one is dropped).
    private var repairedOriginals = ByteStringTable(minimumCapacity: 0)
    private var repairedRows = Set<Int>()
    /// Entries read from the file, kept or dropped.
    private var entries = 0

    init(path: String, bytes: UnsafePointer<UInt8>, count: Int, limit: Int) {
        self.path = path
        self.bytes = bytes
        self.count = count
        self.limit = limit
    }

    // MARK: Layout detection

    /// What the file is, and how to get vectors out of it, when it is another tool's model rather
    /// than a vector file: its bytes would otherwise be quoted as a malformed header.
    func foreignModel() -> String? {
        let shown = path == "-" ? "MODEL" : path
        // Python's pickle protocols 2 to 5 open with PROTO (0x80) and the protocol number; gensim's
        // save() pickles with protocol 2 or later.
        if count >= 2, bytes[0] == 0x80, (2...5).contains(bytes[1]) {
            return "a Python pickle (gensim's model.save()), not a vector file; convert it in Python: "
                + "gensim.models.Word2Vec.load('\(shown)').wv.save_word2vec_format('vectors.bin', binary=True) "
                + "(KeyedVectors.load for saved KeyedVectors)"
        }
        // fastText's .bin starts with its magic number 793712314 as a little-endian int32. Without
        // `format` a named file was opened as a fastText model already; this is `--format` or stdin.
        if count >= 4, bytes[0] == 0xBA, bytes[1] == 0x16, bytes[2] == 0x4F, bytes[3] == 0x2F {
            return "a fastText model (.bin), not a vector file: give its path without a format (fastText models are read from a file, "
                + "not standard input), or use the .vec file fastText wrote next to it"
        }
        return nil
    }

    /// - Parameter format: the layout, or `nil` to detect it (see `Embeddings.load`).
    mutating func read(format: VectorFileFormat?) throws -> Embeddings {
        guard count > 0 else { throw Word2VecError.malformedFile(path, line: 1, "empty file; expected a header 'count dimension'") }
        if let other = foreignModel() { throw Word2VecError.malformedData(path, offset: 0, other) }
        let headerEnd = lineEnd(from: 0)
        let header = scanHeader(to: trimmedEnd(0, headerEnd))
        if format == .headerless || (format == nil && header.fields > 3 && header.restAreValues) {
            return try readHeaderless()
        }
        guard header.fields == 2, let first = header.first, let second = header.second,
              let announced = Int(text(first)), let dimension = Int(text(second)),
              announced >= 0, dimension >= 1
        else {
            throw Word2VecError.malformedFile(
                path, line: 1,
                "expected a header 'count dimension' (a count >= 0 and a dimension >= 1), found '\(preview(0, headerEnd))'")
        }
        guard dimension <= Embeddings.maximumDimension else {
            throw Word2VecError.malformedFile(
                path, line: 1, "the header's dimension \(dimension) is above the supported maximum of \(Embeddings.maximumDimension)")
        }
        let bodyStart = min(headerEnd + 1, count)
        let binary: Bool
        switch format {
        case .binary: binary = true
        case .text: binary = false
        case .headerless: preconditionFailure("read above")
        case nil: binary = announced > 0 && !firstEntryIsText(from: bodyStart, dimension: dimension)
        }
        let rows = min(announced, limit)
        // No more rows than the file can hold, whatever the header announces, so that a short file
        // cannot make us allocate gigabytes. The smallest entry is a one-byte word, then per value a
        // separator and one digit (text), or a space and the floats (binary); this cannot overflow
        // as dimension <= 2^24. A header whose dimension is too large for the file gets no row at all
        // and fails on its first entry, with the message that names what is missing.
        let smallestEntry = binary ? 2 + 4 * dimension : 1 + 2 * dimension
        let capacity = min(rows, (count - bodyStart) / smallestEntry)
        return binary
            ? try readBinary(from: bodyStart, announced: announced, rows: rows, capacity: capacity, dimension: dimension)
            : try readText(
                from: bodyStart, firstLine: 2, announced: announced, rows: rows, capacity: capacity, dimension: dimension)
    }

    /// The first line's field count, its first two fields, and whether all fields after the first are
    /// numbers, without materialising the fields (a one-line file of a gigabyte must not cost more).
    private func scanHeader(to end: Int) -> (fields: Int, first: Range<Int>?, second: Range<Int>?, restAreValues: Bool) {
        var fields = 0
        var first: Range<Int>?
        var second: Range<Int>?
        var restAreValues = true
        var i = 0
        while let field = nextField(from: &i, to: end) {
            fields += 1
            if fields == 1 { first = field }
            if fields == 2 { second = field }
            if fields > 1, restAreValues, DecimalParser.parse(bytes, from: field.lowerBound, to: field.upperBound) == nil {
                restAreValues = false
            }
        }
        return (fields, first, second, restAreValues)
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
        return values.count == dimension && values.allSatisfy {
            DecimalParser.parse(bytes, from: $0.lowerBound, to: $0.upperBound) != nil
        }
    }

    // MARK: Text

    private mutating func readText(
        from start: Int, firstLine: Int, announced: Int, rows: Int, capacity: Int, dimension: Int, checkEnd: Bool = true
    ) throws -> Embeddings {
        let matrix = Matrix(rows: capacity, columns: dimension)
        words.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
        var position = start
        var line = firstLine
        while entries < rows {
            guard position < count else {
                throw Word2VecError.malformedFile(
                    path, line: line, "file ends after \(entries) of the \(announced) vectors announced in the header")
            }
            let end = lineEnd(from: position)
            try parseTextLine(from: position, to: end, line: line, dimension: dimension, into: matrix)
            position = end + 1
            line += 1
        }
        if checkEnd && rows == announced { try expectNothingMore(from: position, line: line, announced: announced) }
        return finish(matrix: matrix)
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
            if lines == 0 {
                var i = position
                var fields = 0
                while nextField(from: &i, to: contentEnd) != nil { fields += 1 }
                if fields > 0 {
                    dimension = fields - 1
                    lines = 1
                }
            } else if !isBlankRange(position, contentEnd) {
                lines += 1
            }
            position = end + 1
        }
        guard dimension >= 1 else {
            throw Word2VecError.malformedFile(path, line: 1, "expected a word followed by its values")
        }
        guard dimension <= Embeddings.maximumDimension else {
            throw Word2VecError.malformedFile(
                path, line: 1, "\(dimension) values, above the supported maximum dimension of \(Embeddings.maximumDimension)")
        }
        // Every counted line holds a word and `dimension` values, or reading stops with an error
        // before the matrix row would be overrun; see `parseTextLine`.
        let capacity = min(lines, count / (1 + 2 * dimension))
        // All lines up to `limit` were counted, so there is nothing after them to check.
        return try readText(
            from: 0, firstLine: 1, announced: lines, rows: lines, capacity: capacity, dimension: dimension, checkEnd: false)
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
        if let problem = WordSpelling.problem(UnsafeBufferPointer(start: bytes + wordStart, count: wordEnd - wordStart)) {
            throw Word2VecError.malformedFile(path, line: line, "the word '\(preview(wordStart, wordEnd))' \(problem)")
        }
        // A line that would need a row past the matrix cannot be complete (the matrix has room for
        // every entry the file's size allows), so its values are checked but not stored.
        let row = words.count < matrix.rows ? matrix.pointer(row: words.count) : nil
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
                let float = Float(value)
                guard float.isFinite else {
                    throw Word2VecError.malformedFile(
                        path, line: line,
                        "value \(values + 1) '\(preview(valueStart, i))' of the word '\(preview(wordStart, wordEnd))' "
                            + "is not a finite 32-bit float")
                }
                row?[values] = float
            }
            values += 1
        }
        guard values == dimension else {
            throw Word2VecError.malformedFile(
                path, line: line,
                "expected \(dimension) values after the word '\(preview(wordStart, wordEnd))', found \(values)")
        }
        guard row != nil else {
            throw Word2VecError.malformedFile(path, line: line, "more vectors than a file of this size can hold")
        }
        let path = path
        let word = preview(wordStart, wordEnd)
        try addWord(from: wordStart, to: wordEnd, at: line) { first in
            Word2VecError.malformedFile(path, line: line, "word '\(word)' appears twice (first on line \(first))")
        }
    }

    // MARK: Binary

    private mutating func readBinary(from start: Int, announced: Int, rows: Int, capacity: Int, dimension: Int) throws -> Embeddings {
        let vectorBytes = dimension * MemoryLayout<Float>.size
        let matrix = Matrix(rows: capacity, columns: dimension)
        words.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
        var position = start
        while entries < rows {
            // The C tool ends each entry with a newline, gensim does not; skip it where present.
            while position < count, bytes[position] == 0x0A || bytes[position] == 0x0D { position += 1 }
            let entry = entries + 1
            guard position < count else {
                throw Word2VecError.malformedData(
                    path, offset: position, "file ends after \(entries) of the \(announced) vectors announced in the header")
            }
            let wordStart = position
            guard let space = memchr(bytes + wordStart, 0x20, count - wordStart) else {
                throw Word2VecError.malformedData(
                    path, offset: wordStart, "file ends inside the word of vector \(entry) of \(announced)")
            }
            let wordEnd = UnsafePointer<UInt8>(space.assumingMemoryBound(to: UInt8.self)) - bytes
            if let problem = WordSpelling.problem(UnsafeBufferPointer(start: bytes + wordStart, count: wordEnd - wordStart)) {
                throw Word2VecError.malformedData(
                    path, offset: wordStart, "the word of vector \(entry) '\(preview(wordStart, wordEnd))' \(problem)")
            }
            let valuesStart = wordEnd + 1
            guard count - valuesStart >= vectorBytes else {
                throw Word2VecError.malformedData(
                    path, offset: valuesStart,
                    "file ends inside the vector of '\(preview(wordStart, wordEnd))' (vector \(entry) of \(announced)): "
                        + "\(count - valuesStart) of \(vectorBytes) bytes present")
            }
            // Every entry takes at least `2 + vectorBytes` bytes and the matrix has a row for each that
            // fits in the file, so this holds for any file that got this far; checked all the same.
            guard words.count < matrix.rows else {
                throw Word2VecError.malformedData(path, offset: wordStart, "more vectors than a file of this size can hold")
            }
            let row = matrix.pointer(row: words.count)
            let raw = UnsafeRawPointer(bytes + valuesStart)
            for d in 0..<dimension {
                let bits = raw.loadUnaligned(fromByteOffset: d * 4, as: UInt32.self)
                let value = Float(bitPattern: UInt32(littleEndian: bits))
                guard value.isFinite else {
                    throw Word2VecError.malformedData(
                        path, offset: valuesStart + d * 4,
                        "value \(d + 1) of the word '\(preview(wordStart, wordEnd))' (vector \(entry)) is \(value), not a finite number")
                }
                row[d] = value
            }
            let path = path
            let word = preview(wordStart, wordEnd)
            try addWord(from: wordStart, to: wordEnd, at: wordStart) { first in
                Word2VecError.malformedData(path, offset: wordStart, "word '\(word)' appears twice (first at byte \(first))")
            }
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
        return finish(matrix: matrix)
    }

    // MARK: Shared

    /// Records the word of the entry just read into row `words.count`, found at `position` (line or
    /// byte offset). An entry whose bytes repeat an earlier one's throws the error built by
    /// `duplicate` from the earlier position; one that only equals an earlier word after
    /// U+FFFD repair is dropped (its row is reused by the next entry).
    private mutating func addWord(
        from start: Int, to end: Int, at position: Int, duplicate: (Int) -> Word2VecError
    ) throws {
        entries += 1
        let original = UnsafeBufferPointer(start: bytes + start, count: end - start)
        let valid = UTF8Validation.isValid(original)
        var word = String(decoding: original, as: UTF8.self)
        let (id, inserted) = word.withUTF8 { table.insert($0) }
        if inserted {
            if !valid {
                _ = repairedOriginals.insert(original)
                repairedRows.insert(id)
            }
            words.append(word)
            positions.append(position)
            return
        }
        // Same bytes as before: a valid word equal to an earlier valid word, or the same invalid bytes
        // again. Anything else became equal only through repair.
        let repeated = valid ? !repairedRows.contains(id) : repairedOriginals.id(of: original) != nil
        if repeated { throw duplicate(positions[id]) }
    }

    private func expectNothingMore(from start: Int, line: Int, announced: Int) throws {
        var position = start
        var line = line
        while position < count {
            let end = lineEnd(from: position)
            guard isBlankRange(position, trimmedEnd(position, end)) else {
                throw Word2VecError.malformedFile(
                    path, line: line, "unexpected data after the \(announced) vectors announced in the header")
            }
            position = end + 1
            line += 1
        }
    }

    private func finish(matrix: Matrix) -> Embeddings {
        var matrix = matrix
        if matrix.rows != words.count {
            // Entries were dropped (repaired duplicates) or the capacity bound was loose: keep the
            // rows filled, which are the first `words.count`.
            let kept = Matrix(rows: words.count, columns: matrix.columns)
            if words.count > 0 { kept.storage.update(from: matrix.storage, count: words.count * matrix.columns) }
            matrix = kept
        }
        let vocabulary = Vocabulary(entries: words.enumerated().map { (word: $0.element, count: words.count - $0.offset) })
        return Embeddings(words: words, vectors: matrix, vocabulary: vocabulary)
    }

    @inline(__always) private func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private func isBlankRange(_ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end, isBlank(bytes[i]) { i += 1 }
        return i == end
    }

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

    /// The next blank-separated field of `bytes[i..<end]`, advancing `i` past it.
    private func nextField(from i: inout Int, to end: Int) -> Range<Int>? {
        while i < end, isBlank(bytes[i]) { i += 1 }
        let fieldStart = i
        while i < end, !isBlank(bytes[i]) { i += 1 }
        return i > fieldStart ? fieldStart..<i : nil
    }

    /// The blank-separated fields of `bytes[start..<end]`; only for short ranges.
    private func fields(from start: Int, to end: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = start
        while let field = nextField(from: &i, to: end) { result.append(field) }
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
        let shown = text(start..<end).unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) ? "?" : Character($0)
        }
        return String(shown) + (cut ? "..." : "")
    }
}
