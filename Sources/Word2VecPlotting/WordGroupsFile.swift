import Word2Vec

/// Words assigned to named groups, for colouring a plot.
public struct WordGroups: Sendable, Equatable {
    /// The words, in the order of the file, each once.
    public var words: [String]
    /// `groups[i]` is the group of `words[i]`.
    public var groups: [String]

    public init(words: [String], groups: [String]) {
        precondition(words.count == groups.count, "one group per word")
        self.words = words
        self.groups = groups
    }

    /// The distinct group names, in order of first appearance.
    public var names: [String] {
        var seen = Set<String>()
        return groups.filter { seen.insert($0).inserted }
    }

    /// The group of `word` (compared by UTF-8 bytes, as vector files compare words), or `nil`.
    /// O(total length of the words).
    public func group(of word: String) -> String? {
        words.firstIndex { $0.utf8.elementsEqual(word.utf8) }.map { groups[$0] }
    }
}

/// Reader of `word group` files: which words to plot and how to colour them.
public enum WordGroupsFile {
    /// Reads `path` (`-` for standard input).
    ///
    /// File format:
    /// - One `word group` pair a line: the word is the line's first field (up to a space or tab),
    ///   the group is the rest of the line with surrounding spaces and tabs removed, so a group name
    ///   may contain spaces (`paris capital city`).
    /// - Lines end in LF or CRLF; the last line end is optional; a UTF-8 byte order mark at the start
    ///   is ignored; lines holding only spaces and tabs are skipped.
    /// - The file must be valid UTF-8 without ASCII control bytes other than tab.
    /// - A word listed again with the same group is ignored; with another group it is an error.
    ///
    /// An empty file gives no words; the caller decides whether that is an error.
    /// Time and memory O(file size).
    /// - Throws: `Word2VecError.unreadableFile`; `.malformedFile` naming the line for invalid UTF-8,
    ///   a control byte, a word without a group, or a word given two groups.
    public static func read(path: String) throws -> WordGroups {
        try ReadableFile.withBytes(of: path) { try parse($0, path: path) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws -> WordGroups {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        var words: [String] = []
        var groups: [String] = []
        // Keyed by bytes: String equality would merge canonically equivalent spellings, which vector
        // files keep apart.
        var lineOf: [[UInt8]: (line: Int, index: Int)] = [:]
        try TextLines.forEach(in: bytes) { lineNumber, line in
            func fail(_ problem: String) -> Word2VecError { .malformedFile(path, line: lineNumber, problem) }
            for byte in line where (byte < 0x20 && byte != tab) || byte == 0x7F {
                let digits = Array("0123456789ABCDEF")
                throw fail("holds the control byte \\x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])")
            }
            guard UTF8Validation.isValid(line) else { throw fail("is not valid UTF-8") }
            var i = 0
            while i < line.count && (line[i] == space || line[i] == tab) { i += 1 }
            if i == line.count { return }
            let wordStart = i
            while i < line.count && line[i] != space && line[i] != tab { i += 1 }
            let word = String(decoding: UnsafeBufferPointer(rebasing: line[wordStart..<i]), as: UTF8.self)
            var last = line.count
            while last > i && (line[last - 1] == space || line[last - 1] == tab) { last -= 1 }
            while i < last && (line[i] == space || line[i] == tab) { i += 1 }
            guard i < last else { throw fail("\(WordSpelling.quoted(word)) has no group ('word group' expected)") }
            let group = String(decoding: UnsafeBufferPointer(rebasing: line[i..<last]), as: UTF8.self)
            if let earlier = lineOf[Array(word.utf8)] {
                if groups[earlier.index] == group { return }
                throw fail("\(WordSpelling.quoted(word)) is in group \(WordSpelling.quoted(groups[earlier.index])) on line \(earlier.line)")
            }
            lineOf[Array(word.utf8)] = (lineNumber, words.count)
            words.append(word)
            groups.append(group)
        }
        return WordGroups(words: words, groups: groups)
    }
}
