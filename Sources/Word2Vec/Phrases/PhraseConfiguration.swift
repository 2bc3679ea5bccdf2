/// How a candidate phrase `a b` (possibly with connector words between) is scored from corpus counts.
public enum PhraseScoring: String, Sendable, CaseIterable {
    /// The score of Mikolov et al. (2013) and the original `word2phrase` tool:
    /// `(count(ab) - minCount) / count(a) / count(b) * totalWords`. Unbounded; the tool's default
    /// threshold is 100.
    case `default`
    /// Normalised pointwise mutual information (Bouma 2009): `ln(p(ab) / (p(a) p(b))) / -ln(p(ab))`
    /// with `p(x) = count(x) / totalWords`. In `[-1, 1]`; 1 means the words only occur together.
    case npmi
}

/// Every setting of phrase detection, with the defaults of the original `word2phrase` tool.
public struct PhraseConfiguration: Sendable, Equatable {
    /// Words, and candidate phrases, occurring fewer times never take part in a phrase.
    public var minCount = 5
    /// A candidate becomes a phrase when its score is strictly greater than this.
    public var threshold = 100.0
    public var scoring = PhraseScoring.default
    /// The most unigram + phrase-candidate entries held while counting. When the table grows past it,
    /// entries with count <= the current reduce level (starting at 1) are dropped and the level goes
    /// up by one, as `word2phrase`'s `ReduceVocab` does. An entry costs about 50 bytes.
    public var maxVocabularySize = 40_000_000
    /// Words that neither start nor end a phrase but may stand inside one (gensim's
    /// `connector_words`), so that `bank of america` can become `bank_of_america`. Empty by default.
    public var connectorWords: Set<String> = []
    /// Joins the words of a phrase in the output.
    public var delimiter = "_"

    public init() {}

    /// gensim's `ENGLISH_CONNECTOR_WORDS`: articles and the most frequent prepositions and
    /// conjunctions.
    public static let englishConnectorWords: Set<String> = [
        "a", "an", "the", "for", "of", "with", "without", "at", "from", "to", "in", "on", "by", "and", "or",
    ]

    /// Throws `Word2VecError.invalidConfiguration` naming the first setting out of range.
    public func validate() throws {
        func require(_ ok: Bool, _ name: String, _ problem: String) throws {
            if !ok { throw Word2VecError.invalidConfiguration(setting: "PhraseConfiguration." + name, problem: problem) }
        }
        try require(minCount >= 1, "minCount", "must be at least 1 (got \(minCount))")
        try require(threshold.isFinite, "threshold", "must be a finite number (got \(threshold))")
        if scoring == .npmi {
            try require((-1...1).contains(threshold), "threshold",
                        "must be in [-1, 1] with PhraseConfiguration.scoring npmi (got \(threshold))")
        }
        try require(maxVocabularySize >= 1, "maxVocabularySize", "must be positive (got \(maxVocabularySize))")
        try require(!delimiter.isEmpty && !delimiter.utf8.contains(where: TokenReader.isWhitespace),
                    "delimiter", "must be non-empty and contain no whitespace")
        for word in connectorWords where word.isEmpty || word.utf8.contains(where: TokenReader.isWhitespace) {
            throw Word2VecError.invalidConfiguration(setting: "PhraseConfiguration.connectorWords", problem: "contains '\(word)', which is not a single word")
        }
    }
}

extension PhraseConfiguration {
    /// The whitespace-separated words of a file, for `connectorWords`.
    /// - Throws: `Word2VecError.unreadableFile`.
    public static func connectorWords(fromFileAt path: String) throws -> Set<String> {
        let text = try ReadableFile.withBytes(of: path) { String(decoding: $0, as: UTF8.self) }
        return Set(text.split(whereSeparator: \.isWhitespace).map(String.init))
    }
}
