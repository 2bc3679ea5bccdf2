/// A source of sentences that training can count once and then read any number of times, split into
/// parts that threads read in parallel.
public protocol TrainingCorpus: Sendable {
    /// Names the corpus in error messages (a file path, for example).
    var name: String { get }

    /// Counts the corpus's words.
    func countWords() throws -> WordCounts

    /// Calls `body` with each sentence of part `part` (of `parts` disjoint parts that together cover
    /// the corpus exactly once), as vocabulary indices with unknown words left out. Sentences longer
    /// than `maxLength` words are passed in consecutive pieces of at most `maxLength`.
    func forEachSentence(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (UnsafeBufferPointer<Int32>) throws -> Void
    ) throws
}

/// A UTF-8 text file: words separated by whitespace, one sentence per line, streamed in constant
/// memory. Parts are byte ranges split on word boundaries.
public struct TextFileCorpus: TrainingCorpus {
    public let path: String
    public var name: String { path }

    public init(path: String) { self.path = path }

    public func countWords() throws -> WordCounts { try WordCounts.count(fileAt: path) }

    /// Throws `Word2VecError.unreadableFile` unless the file can be opened for reading.
    public func checkReadable() throws { _ = try TokenReader(path: path) }

    public func forEachSentence(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        let range = try FileSlices.ranges(path: path, parts: parts)[part]
        guard !range.isEmpty else { return }
        let reader = try TokenReader(path: path, range: range)
        let sentence = UnsafeMutablePointer<Int32>.allocate(capacity: maxLength)
        defer { sentence.deallocate() }
        var length = 0
        while true {
            switch try reader.next() {
            case .word(let bytes):
                guard let index = vocabulary.index(ofBytes: bytes) else { continue }
                sentence[length] = Int32(index)
                length += 1
                if length == maxLength {
                    try body(UnsafeBufferPointer(start: sentence, count: length))
                    length = 0
                }
            case .endOfLine:
                if length > 0 { try body(UnsafeBufferPointer(start: sentence, count: length)) }
                length = 0
            case .endOfInput:
                if length > 0 { try body(UnsafeBufferPointer(start: sentence, count: length)) }
                return
            }
        }
    }
}

/// Sentences held in memory, each an array of tokens: words, item ids, anything string-like. Parts are
/// runs of whole sentences with about equal numbers of tokens.
public struct InMemoryCorpus: TrainingCorpus {
    public let sentences: [[String]]
    public var name: String { "the given sentences" }

    public init(sentences: [[String]]) { self.sentences = sentences }

    public func countWords() throws -> WordCounts {
        var counts = WordCounts()
        for sentence in sentences where !sentence.isEmpty { counts.add(sentence: sentence) }
        return counts
    }

    public func forEachSentence(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        let total = sentences.reduce(0) { $0 + $1.count }
        let first = total * part / parts
        let last = total * (part + 1) / parts
        // A sentence belongs to the part in which its first token falls.
        var seen = 0
        var buffer: [Int32] = []
        buffer.reserveCapacity(maxLength)
        for sentence in sentences {
            let start = seen
            seen += sentence.count
            if start < first { continue }
            if start >= last { break }
            buffer.removeAll(keepingCapacity: true)
            for word in sentence {
                guard let index = vocabulary.index(of: word) else { continue }
                buffer.append(Int32(index))
                if buffer.count == maxLength {
                    try buffer.withUnsafeBufferPointer(body)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if !buffer.isEmpty { try buffer.withUnsafeBufferPointer(body) }
        }
    }
}
