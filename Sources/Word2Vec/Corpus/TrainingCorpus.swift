import Synchronization

/// A source of sentences that training can count once and then read any number of times, split into
/// parts that threads read in parallel.
public protocol TrainingCorpus: Sendable {
    /// Names the corpus in error messages (a file path, for example).
    var name: String { get }

    /// Counts the corpus's words.
    func countWords() throws -> WordCounts

    /// Counts the corpus's words with up to `threads` threads. The result must not depend on
    /// `threads`; the default ignores it and calls `countWords()`.
    func countWords(threads: Int) throws -> WordCounts

    /// Calls `body` with each sentence of part `part` (of `parts` disjoint parts that together cover
    /// the corpus exactly once), as vocabulary indices with unknown words left out. Sentences longer
    /// than `maxLength` words are passed in consecutive pieces of at most `maxLength`.
    func forEachSentence(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (UnsafeBufferPointer<Int32>) throws -> Void
    ) throws

    /// Like `forEachSentence`, with the tag numbers of the document each sentence belongs to (see
    /// `DocumentCorpus`); every piece of a document split at `maxLength` carries its tags. The
    /// default passes no tags.
    func forEachDocument(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (_ words: UnsafeBufferPointer<Int32>, _ tags: UnsafeBufferPointer<Int32>) throws -> Void
    ) throws

    /// Whether every pass over a part yields the same sentences and tags, as a file read again or
    /// sentences held in memory do. Training may then keep a pass's word numbers in memory and
    /// replay them in later epochs instead of reading and tokenising again (`SentenceReplay`). The
    /// default is `false`: a corpus that shuffles or samples on each pass is read every time.
    var repeatsItsPasses: Bool { get }
}

extension TrainingCorpus {
    public var repeatsItsPasses: Bool { false }
}

extension TrainingCorpus {
    public func forEachDocument(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (_ words: UnsafeBufferPointer<Int32>, _ tags: UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        try forEachSentence(part: part, of: parts, vocabulary: vocabulary, maxLength: maxLength) { words in
            try body(words, UnsafeBufferPointer(start: nil, count: 0))
        }
    }
}

extension TrainingCorpus {
    public func countWords(threads: Int) throws -> WordCounts { try countWords() }
}

/// A UTF-8 text file: words separated by whitespace, one sentence per line, streamed in constant
/// memory. Parts are byte ranges split on word boundaries.
///
/// The path may be `-` for standard input, a pipe or FIFO, or a gzip-compressed file: those are first
/// copied (decompressed) to an anonymous temporary file, which needs as much free space in `$TMPDIR`
/// as the text has bytes. Binary input is refused. See `InputFile`. Text in another form (raw
/// Chinese, say) is read through a `TextSource` that rewrites it.
public struct TextFileCorpus: TrainingCorpus {
    public var path: String { source.path }
    public var name: String { path }
    public var repeatsItsPasses: Bool { true }
    /// The text read: the file, or its rewritten copy.
    public let source: TextSource
    /// Counting keeps at most about this many distinct words in memory (see `WordCounts`).
    public let maxDistinctWords: Int
    private let state: State

    /// The input, opened once for all passes, and what counting it reported.
    private final class State: Sendable {
        let source: TextSource
        let input = Mutex<InputFile?>(nil)
        let prunedBelow = Atomic<Int>(0)

        init(source: TextSource) { self.source = source }

        func open() throws -> InputFile {
            try input.withLock { input in
                if let input { return input }
                let opened = try source.open()
                input = opened
                return opened
            }
        }
    }

    /// `checkReadable()` rejects a `maxDistinctWords` below `WordCounts.minimumDistinctWordLimit`;
    /// counting raises it to that.
    public init(path: String, maxDistinctWords: Int = WordCounts.defaultMaxDistinctWords) {
        self.init(.file(path), maxDistinctWords: maxDistinctWords)
    }

    /// A corpus of `source`'s text (see `init(path:maxDistinctWords:)`).
    public init(_ source: TextSource, maxDistinctWords: Int = WordCounts.defaultMaxDistinctWords) {
        self.source = source
        self.maxDistinctWords = maxDistinctWords
        state = State(source: source)
    }

    /// The text, opened once for every pass.
    package func open() throws -> InputFile { try state.open() }

    /// Counts with one thread: `countWords(threads: 1)`.
    public func countWords() throws -> WordCounts { try countWords(threads: 1) }

    /// Counts the file's words, reading up to `threads` byte ranges of it in parallel (one per MiB at
    /// most). The result is identical for every `threads`, pruning included (see `WordCounts`).
    public func countWords(threads: Int) throws -> WordCounts {
        let input = try state.open()
        let counts = try WordCounts.count(
            input: input, maxDistinctWords: maxDistinctWords, parts: WordCounts.parts(for: input, threads: threads))
        state.prunedBelow.store(counts.prunedBelow, ordering: .relaxed)
        return counts
    }

    /// After `countWords()`: words seen fewer than this many times were dropped while counting to stay
    /// within `maxDistinctWords`, or 0 if none were.
    public var prunedBelow: Int { state.prunedBelow.load(ordering: .relaxed) }

    /// Throws `Word2VecError.unreadableFile` unless the file can be opened for reading and, if it is a
    /// regular file of plain text, starts with text. Reads nothing from standard input or a pipe.
    /// Throws `.invalidConfiguration` if `maxDistinctWords` is too small.
    public func checkReadable() throws {
        let minimum = WordCounts.minimumDistinctWordLimit
        guard maxDistinctWords >= minimum else {
            throw Word2VecError.invalidConfiguration(setting: "TextFileCorpus.maxDistinctWords", problem: "must be at least \(minimum) (got \(maxDistinctWords))")
        }
        try source.check()
    }

    public func forEachSentence(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        let input = try state.open()
        let range = try FileSlices.ranges(input: input, parts: parts)[part]
        guard !range.isEmpty else { return }
        let reader = TokenReader(input: input, range: range)
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
    public var repeatsItsPasses: Bool { true }

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
