extension Vocabulary {
    /// Writes `word count` lines, most frequent first (the original tool's `-save-vocab` format),
    /// atomically.
    public func write(to path: String) throws {
        let file = try AtomicFile(path: path)
        for (word, count) in zip(words, counts) {
            try file.write("\(word) \(count)\n")
        }
        try file.commit()
    }

    /// Reads a `-save-vocab` file: one `word count` pair per line. The original tool's sentence marker
    /// `</s>` is skipped, blank lines are ignored, and `minCount` and `maxSize` apply as for a counted
    /// corpus.
    ///
    /// - Throws: `Word2VecError.malformedFile` naming the first bad line (not two fields, a count that
    ///   is not a non-negative integer, a repeated word); `.unreadableFile`.
    public static func read(from path: String, minCount: Int = 1, maxSize: Int? = nil) throws -> Vocabulary {
        let data = try ReadableFile.contents(path)
        var entries: [(word: String, count: Int)] = []
        var seen = Set<String>()
        var lineNumber = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
            if fields.isEmpty { continue }
            guard fields.count == 2 else {
                throw Word2VecError.malformedFile(path, line: lineNumber, "expected 'word count', found \(fields.count) fields")
            }
            let word = String(decoding: fields[0], as: UTF8.self)
            guard let count = Int(String(decoding: fields[1], as: UTF8.self)), count >= 0 else {
                throw Word2VecError.malformedFile(
                    path, line: lineNumber, "count '\(String(decoding: fields[1], as: UTF8.self))' is not a non-negative integer")
            }
            if word == "</s>" { continue }
            guard seen.insert(word).inserted else {
                throw Word2VecError.malformedFile(path, line: lineNumber, "word '\(word)' appears twice")
            }
            entries.append((word, count))
        }
        return Vocabulary(entries: entries, minCount: minCount, maxSize: maxSize)
    }
}
