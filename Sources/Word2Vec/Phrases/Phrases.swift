/// Phrase detection (the original `word2phrase` tool, with gensim's NPMI scoring and connector words):
/// learns which adjacent words form collocations and rewrites a corpus with each one joined into a
/// single token, `new york` -> `new_york`.
///
/// Each learning pass counts unigrams and candidates on the corpus as rewritten by the earlier passes,
/// so pass 2 can join `new_york times` into `new_york_times`. The original tool does this by running
/// again on its own output; here the earlier passes are applied on the fly while reading, which gives
/// the same counts without intermediate files.
///
/// ```swift
/// var phrases = try Phrases(configuration: configuration)
/// try phrases.learnPass(fromFileAt: "text.txt")
/// try phrases.learnPass(fromFileAt: "text.txt")
/// try phrases.apply(fileAt: "text.txt", writingTo: "phrased.txt")
/// ```
///
/// Learning streams the corpus once per pass with the table memory bounded by
/// `configuration.maxVocabularySize`; the table kept per pass holds only entries reaching `minCount`.
/// Applying is one streaming pass through all learned passes, O(tokens x passes) hash lookups.
public struct Phrases: Sendable {
    public let configuration: PhraseConfiguration
    /// The learned passes, applied in order.
    public private(set) var passes: [PhraseTable] = []
    let rules: PhraseRules

    /// - Throws: `Word2VecError.invalidOption` if the configuration is out of range.
    public init(configuration: PhraseConfiguration = PhraseConfiguration()) throws {
        try configuration.validate()
        self.configuration = configuration
        rules = PhraseRules(configuration)
    }

    /// `sink` preceded by the first `count` passes.
    func chain(passes count: Int, into sink: TokenSink) -> TokenSink {
        var head = sink
        for table in passes[..<count].reversed() {
            head = PhraseJoiner(table: table, rules: rules, next: head)
        }
        return head
    }

    /// Learns one more pass from a text file (whitespace-separated words, one sentence per line), read
    /// through the passes learned so far. Returns the new pass.
    /// - Throws: `Word2VecError.unreadableFile`; `.emptyCorpus` if the file has no words.
    @discardableResult
    public mutating func learnPass(fromFileAt path: String) throws -> PhraseTable {
        try learnPass(from: .file(path))
    }

    /// Learns one more pass from `source`'s text (see `learnPass(fromFileAt:)`).
    @discardableResult
    public mutating func learnPass(from source: TextSource) throws -> PhraseTable {
        let counter = PhraseCounter(configuration: configuration, rules: rules)
        try chain(passes: passes.count, into: counter).consume(source)
        guard counter.table.totalWords > 0 else { throw Word2VecError.emptyCorpus(source.path) }
        return append(counter.table)
    }

    /// Learns one more pass from in-memory sentences, read through the passes learned so far. Tokens
    /// must not contain whitespace. Returns the new pass.
    @discardableResult
    public mutating func learnPass(from sentences: [[String]]) -> PhraseTable {
        let counter = PhraseCounter(configuration: configuration, rules: rules)
        // In-memory sinks cannot throw.
        try! chain(passes: passes.count, into: counter).consume(sentences: sentences)
        return append(counter.table)
    }

    private mutating func append(_ table: PhraseTable) -> PhraseTable {
        var table = table
        table.freeze()
        passes.append(table)
        return table
    }

    /// `sentences` with the phrases of every pass joined.
    public func apply(to sentences: [[String]]) -> [[String]] {
        let collector = SentenceCollector()
        try! chain(passes: passes.count, into: collector).consume(sentences: sentences)
        return collector.sentences
    }

    /// `sentence` with the phrases of every pass joined.
    public func apply(to sentence: [String]) -> [String] {
        apply(to: [sentence]).first ?? []
    }

    /// Rewrites a text file with the phrases of every pass joined: one output line per input line,
    /// words separated by single spaces. Streams in constant memory; the output appears complete or
    /// not at all.
    /// - Throws: `Word2VecError.unreadableFile`, `.unwritableFile`.
    public func apply(fileAt input: String, writingTo output: CorpusFileWriter) throws {
        try apply(to: .file(input), writingTo: output)
    }

    /// Rewrites `source`'s text (see `apply(fileAt:writingTo:)`).
    public func apply(to source: TextSource, writingTo output: CorpusFileWriter) throws {
        try chain(passes: passes.count, into: CorpusTextSink(file: output.file)).consume(source)
        try output.file.commit()
    }

    /// Rewrites a text file (see `apply(fileAt:writingTo:)` with a writer).
    public func apply(fileAt input: String, writingTo output: String) throws {
        try apply(fileAt: input, writingTo: CorpusFileWriter(path: output))
    }

    /// Every candidate of every pass that scores above the threshold, pass by pass, best first.
    public func phrases() -> [DetectedPhrase] {
        passes.flatMap { $0.phrases() }
    }
}

/// A corpus file claimed before a long computation and written after it: creating the writer fails at
/// once on an unwritable path, and nothing appears at `path` unless the write completes.
public final class CorpusFileWriter {
    package let file: AtomicFile
    public var path: String { file.path }

    public init(path: String) throws { file = try AtomicFile(path: path) }
}
