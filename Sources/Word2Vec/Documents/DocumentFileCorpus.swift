import Synchronization

/// A UTF-8 text file of documents, one per line, streamed in constant memory like `TextFileCorpus`
/// (same tokenisation, same inputs: `-`, pipes, gzip).
///
/// A line is `TAGS<TAB>text` or just text:
/// - `TAGS` is one tag or several separated by commas, before the line's first TAB. Each tag is a
///   non-empty string without spaces or control bytes, and the whole field is at most
///   `maximumTagFieldBytes` bytes. A line whose first TAB comes later, or whose tag field breaks
///   these rules, is an error naming the line.
/// - A line without a TAB is tagged with its 0-based line number (`"0"`, `"1"`, ...), as gensim's
///   `TaggedLineDocument` does. A line tagged `7` explicitly and the untagged line 7 share a vector.
/// - A tag seen on several lines is one document vector trained on all of them.
/// - Empty lines are documents too (they keep their line number). A tag whose lines hold no word of
///   the vocabulary is never trained; `Trainer` sets its vector to zero.
///
/// Parts for parallel training are byte ranges starting at line starts recorded while counting,
/// so every document is read by exactly one thread, once per epoch.
public struct DocumentFileCorpus: DocumentCorpus {
    public var path: String { source.path }
    public var name: String { path }
    public var repeatsItsPasses: Bool { true }
    /// The text read: the file, or its rewritten copy (see `TextSource`).
    public let source: TextSource
    /// Counting keeps at most about this many distinct words in memory (see `WordCounts`).
    public let maxDistinctWords: Int
    private let state: State

    /// The longest tag field, in bytes (as long as the longest word `TokenReader` keeps).
    public static let maximumTagFieldBytes = TokenReader.maximumWordBytes
    /// Line starts are recorded about this many bytes apart while counting.
    static let lineIndexSpacing = 64 << 10

    /// What one pass over the file learns.
    struct Scan: Sendable {
        var counts: WordCounts
        var tags: DocumentTags
        var lineCount: Int
        /// Offsets of line starts, increasing, and the 0-based numbers of those lines.
        var lineOffsets: [Int]
        var lineNumbers: [Int]
    }

    private final class State: Sendable {
        let input = Mutex<InputFile?>(nil)
        let scan = Mutex<Scan?>(nil)
    }

    public init(path: String, maxDistinctWords: Int = WordCounts.defaultMaxDistinctWords) {
        self.init(.file(path), maxDistinctWords: maxDistinctWords)
    }

    /// A corpus of `source`'s documents (see `init(path:maxDistinctWords:)`); a rewriting source
    /// must keep each line's tag field.
    public init(_ source: TextSource, maxDistinctWords: Int = WordCounts.defaultMaxDistinctWords) {
        self.source = source
        self.maxDistinctWords = maxDistinctWords
        state = State()
    }

    /// Throws `Word2VecError.unreadableFile` unless the file can be opened and starts with text.
    public func checkReadable() throws { try source.check() }

    private func open() throws -> InputFile {
        try state.input.withLock { input in
            if let input { return input }
            let opened = try source.open()
            input = opened
            return opened
        }
    }

    private func scanned() throws -> Scan {
        if let scan = state.scan.withLock({ $0 }) { return scan }
        let scan = try Self.scan(input: try open(), maxDistinctWords: maxDistinctWords)
        state.scan.withLock { $0 = scan }
        return scan
    }

    public func countWords() throws -> WordCounts { try scanned().counts }

    public func tags() throws -> DocumentTags { try scanned().tags }

    /// The number of lines (documents), after counting.
    public func documentCount() throws -> Int { try scanned().lineCount }

    /// Counts words, collects tags and records line starts, checking every tag field.
    static func scan(input: InputFile, maxDistinctWords: Int) throws -> Scan {
        var counts = WordCounts(maxDistinctWords: maxDistinctWords)
        var tags = DocumentTags()
        var offsets: [Int] = [0]
        var numbers: [Int] = [0]
        var nextIndexed = lineIndexSpacing
        let reader = TokenReader(input: input)
        var line = 0
        var lineWords = 0
        var tagged = false
        try forEachLine(of: reader) { field in
            tagged = field != nil
            if let field {
                try forEachTag(in: field, path: input.name, line: line) { _ = tags.insert(bytes: $0) }
            }
        } word: { bytes in
            counts.add(bytes)
            lineWords += 1
        } end: { exists, isLast in
            if !tagged && reader.tabsOnLine > 0 {
                throw Word2VecError.malformedFile(
                    input.name, line: line + 1,
                    "a TAB after the first \(maximumTagFieldBytes) bytes: tags go before the line's first TAB and take at most \(maximumTagFieldBytes) bytes")
            }
            if lineWords > 0 { counts.endSentence(words: lineWords) }
            lineWords = 0
            guard exists else { return }
            if !tagged { _ = lineNumberTag(line) { tags.insert(bytes: $0) } }
            line += 1
            if !isLast && reader.offset >= nextIndexed {
                offsets.append(reader.offset)
                numbers.append(line)
                nextIndexed = reader.offset + lineIndexSpacing
            }
        }
        return Scan(counts: counts, tags: tags, lineCount: line, lineOffsets: offsets, lineNumbers: numbers)
    }

    /// Reads lines of documents from `reader` to its end: for each line, `start` gets its tag field
    /// (text before a TAB in its first `maximumTagFieldBytes` bytes) or `nil`, `word` each word after
    /// it, and `end` whether the line exists (text after the last newline is a line; nothing after
    /// it is not) and whether the input ends with it. Every reader of document files goes through
    /// here, so that they agree on what a line and its tag field are.
    @inline(__always)
    static func forEachLine(
        of reader: TokenReader,
        start: (_ tagField: UnsafeBufferPointer<UInt8>?) throws -> Void,
        word: (UnsafeBufferPointer<UInt8>) throws -> Void,
        end: (_ exists: Bool, _ isLast: Bool) throws -> Void
    ) throws {
        while true {
            let lineStart = reader.offset
            try start(try reader.leadingField(limit: maximumTagFieldBytes))
            var token = try reader.next()
            while case .word(let bytes) = token {
                try word(bytes)
                token = try reader.next()
            }
            try end(reader.offset > lineStart || token.isEndOfLine, !token.isEndOfLine)
            if !token.isEndOfLine { return }
        }
    }

    /// Calls `body` with each tag of a tag field, checking the field.
    @inline(__always)
    static func forEachTag(
        in field: UnsafeBufferPointer<UInt8>, path: String, line: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        func fail(_ problem: String) -> Word2VecError {
            .malformedFile(path, line: line + 1, problem)
        }
        guard !field.isEmpty else { throw fail("the tag field before the TAB is empty") }
        guard UTF8Validation.isValid(field) else { throw fail("the tag field is not valid UTF-8") }
        var start = 0
        for i in 0...field.count where i == field.count || field[i] == UInt8(ascii: ",") {
            let tag = UnsafeBufferPointer(rebasing: field[start..<i])
            if let problem = WordSpelling.problem(tag) {
                let shown = WordSpelling.quoted(String(decoding: tag, as: UTF8.self))
                throw fail(tag.isEmpty ? "an empty tag in the tag field (tags are separated by single commas)" : "tag \(shown) \(problem)")
            }
            try body(tag)
            start = i + 1
        }
    }

    /// Calls `body` with the decimal spelling of `line`.
    @inline(__always)
    static func lineNumberTag<R>(_ line: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var value = line
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            return body(UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    /// `parts` consecutive byte ranges at recorded line starts, with the number of each one's first line.
    private func parts(_ parts: Int, scan: Scan, size: Int) -> [(range: Range<Int>, firstLine: Int)] {
        var bounds = [(0, 0)]
        var next = 1
        for k in 1..<max(parts, 1) {
            let target = size * k / parts
            while next < scan.lineOffsets.count && scan.lineOffsets[next] < target { next += 1 }
            bounds.append(next < scan.lineOffsets.count ? (scan.lineOffsets[next], scan.lineNumbers[next]) : (size, scan.lineCount))
        }
        bounds.append((size, scan.lineCount))
        return (0..<max(parts, 1)).map { (bounds[$0].0..<max(bounds[$0].0, bounds[$0 + 1].0), bounds[$0].1) }
    }

    public func forEachDocument(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (_ words: UnsafeBufferPointer<Int32>, _ tags: UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        let scan = try scanned()
        let input = try open()
        let (range, firstLine) = self.parts(parts, scan: scan, size: input.size)[part]
        guard !range.isEmpty else { return }
        let reader = TokenReader(input: input, range: range)
        let sentence = UnsafeMutablePointer<Int32>.allocate(capacity: maxLength)
        defer { sentence.deallocate() }
        // A tag field of n bytes holds at most n / 2 + 1 tags.
        let tagBuffer = UnsafeMutablePointer<Int32>.allocate(capacity: Self.maximumTagFieldBytes / 2 + 1)
        defer { tagBuffer.deallocate() }
        var tagCount = 0
        var line = firstLine
        var length = 0
        var untagged = false
        func changed() -> Word2VecError {
            .malformedFile(path, line: line + 1, "a tag that counting did not see: the file changed during training")
        }
        /// The tags of the current line; an untagged line's number is looked up only once it has
        /// words, so that the end of the input is never taken for a line.
        func tags() throws -> UnsafeBufferPointer<Int32> {
            if untagged && tagCount == 0 {
                guard let number = Self.lineNumberTag(line, { scan.tags.index(ofBytes: $0) }) else { throw changed() }
                tagBuffer[0] = Int32(number)
                tagCount = 1
            }
            return UnsafeBufferPointer(start: tagBuffer, count: tagCount)
        }
        try Self.forEachLine(of: reader) { field in
            tagCount = 0
            untagged = field == nil
            if let field {
                try Self.forEachTag(in: field, path: path, line: line) { tag in
                    guard let found = scan.tags.index(ofBytes: tag) else { throw changed() }
                    let number = Int32(found)
                    if !UnsafeBufferPointer(start: tagBuffer, count: tagCount).contains(number) {
                        tagBuffer[tagCount] = number
                        tagCount += 1
                    }
                }
            }
        } word: { bytes in
            guard let index = vocabulary.index(ofBytes: bytes) else { return }
            sentence[length] = Int32(index)
            length += 1
            if length == maxLength {
                try body(UnsafeBufferPointer(start: sentence, count: length), try tags())
                length = 0
            }
        } end: { _, _ in
            if length > 0 { try body(UnsafeBufferPointer(start: sentence, count: length), try tags()) }
            length = 0
            line += 1
        }
    }
}
