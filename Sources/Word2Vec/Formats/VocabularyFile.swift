extension Vocabulary {
    /// The largest sum of counts `Vocabulary.read` accepts: 2^62. Sums of counts (the total, Huffman
    /// node weights, merged counts) then cannot overflow, and no corpus comes near it.
    public static let maximumTotalCount = 1 << 62

    /// Writes `word<TAB>count` lines, most frequent first, atomically. The original tool's
    /// `-save-vocab` separates by a space; its reader, gensim's and `read(from:)` take either.
    ///
    /// - Throws: `Word2VecError.unwritableFile`, also when a word cannot be read back: empty, or
    ///   holding a space or an ASCII control byte (see `Embeddings.write`). Nothing is written then.
    public func write(to path: String) throws {
        for (index, word) in words.enumerated() {
            if let problem = WordSpelling.problem(word) {
                throw Word2VecError.unwritableFile(
                    path, reason: "word \(index + 1) \(WordSpelling.quoted(word)) \(problem), which a vocabulary file cannot hold")
            }
        }
        let file = try AtomicFile(path: path)
        for (word, count) in zip(words, counts) {
            try file.write("\(word)\t\(count)\n")
        }
        try file.commit()
    }

    /// Reads a `-save-vocab` file: one `word count` pair per line. The original tool's sentence marker
    /// `</s>` is skipped, blank lines are ignored, and `minCount` and `maxSize` apply as for a counted
    /// corpus.
    ///
    /// Words are compared as bytes (never as canonically equivalent Unicode, so NFC and NFD spellings
    /// are two words, as they are when a corpus is counted). Invalid UTF-8 in a word is replaced by
    /// U+FFFD, as when a corpus is counted; words that become equal that way are one word whose count
    /// is the sum of theirs, which is what counting the corpus would have given.
    ///
    /// - Throws: `Word2VecError.malformedFile` naming the first bad line: not two fields, a count that
    ///   is not a non-negative integer, counts whose sum exceeds `maximumTotalCount`, a word with an
    ///   ASCII control byte, a word whose bytes repeat an earlier line's; `.unreadableFile`.
    public static func read(from path: String, minCount: Int = 1, maxSize: Int? = nil) throws -> Vocabulary {
        try ReadableFile.withBytes(of: path) { try read($0, path: path, minCount: minCount, maxSize: maxSize) }
    }

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>, path: String, minCount: Int, maxSize: Int?) throws -> Vocabulary {
        var entries: [(word: String, count: Int)] = []
        // Keys: the words' bytes as in the file, to find repeated lines; ids index `originalLines`.
        var originals = ByteStringTable()
        var originalLines: [Int] = []
        // Keys: the repaired words; ids index `entries`.
        var repaired = ByteStringTable()
        var total = 0
        var lineNumber = 0
        var start = 0
        func isSeparator(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            defer { start = end + 1 }
            var fields: [UnsafeBufferPointer<UInt8>] = []
            var i = start
            while i < end, fields.count < 3 {
                while i < end, isSeparator(bytes[i]) { i += 1 }
                let fieldStart = i
                while i < end, !isSeparator(bytes[i]) { i += 1 }
                if i > fieldStart { fields.append(UnsafeBufferPointer(rebasing: bytes[fieldStart..<i])) }
            }
            if fields.isEmpty { continue }
            guard fields.count == 2 else {
                throw Word2VecError.malformedFile(
                    path, line: lineNumber, "expected 'word count', found \(fields.count == 3 ? "more than 2" : "1") fields")
            }
            let countText = String(decoding: fields[1].prefix(40), as: UTF8.self)
            guard fields[1].count <= 40, let count = Int(countText), count >= 0 else {
                throw Word2VecError.malformedFile(
                    path, line: lineNumber,
                    "count \(WordSpelling.quoted(String(decoding: fields[1], as: UTF8.self))) is not a non-negative integer")
            }
            var word = String(decoding: fields[0], as: UTF8.self)
            if let problem = WordSpelling.problem(fields[0]) {
                throw Word2VecError.malformedFile(path, line: lineNumber, "the word \(WordSpelling.quoted(word)) \(problem)")
            }
            if fields[0].elementsEqual("</s>".utf8) { continue }
            let (original, new) = originals.insert(fields[0])
            guard new else {
                throw Word2VecError.malformedFile(
                    path, line: lineNumber,
                    "word \(WordSpelling.quoted(word)) appears twice (first on line \(originalLines[original]))")
            }
            originalLines.append(lineNumber)
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow, sum <= maximumTotalCount else {
                throw Word2VecError.malformedFile(
                    path, line: lineNumber, "the counts up to this line add up to more than 2^62 (\(maximumTotalCount))")
            }
            total = sum
            let (id, inserted) = word.withUTF8 { repaired.insert($0) }
            if inserted {
                entries.append((word, count))
            } else {
                entries[id].count += count
            }
        }
        return Vocabulary(entries: entries, minCount: minCount, maxSize: maxSize)
    }
}
