/// Word vectors: a vocabulary of words and one row per word in a matrix.
///
/// Lookups are by exact word (UTF-8 bytes). Vectors are shared with the model they came from when
/// obtained through `Model.embeddings`; copying an `Embeddings` value copies no vector data.
public struct Embeddings: Sendable {
    /// The words, in row order.
    public let words: [String]
    /// `words.count x dimension`: row `i` is the vector of `words[i]`.
    public let vectors: Matrix
    let lookup: Vocabulary
    /// The rows at unit length, made at the first query and shared by every copy (see `UnitRows`).
    let unitRows: UnitRows
    /// A subword model's n-gram rows, which give words outside the vocabulary a vector.
    let subwords: SubwordRows?

    init(words: [String], vectors: Matrix, vocabulary: Vocabulary, unitRows: UnitRows? = nil, subwords: SubwordRows? = nil) {
        self.words = words
        self.vectors = vectors
        self.lookup = vocabulary
        self.unitRows = unitRows ?? UnitRows(vectors: vectors)
        self.subwords = subwords
    }

    /// Wraps `vectors` (one row per word, in order).
    ///
    /// Words are told apart by their UTF-8 bytes: NFC and NFD spellings of a word are two words.
    /// - Throws: `Word2VecError.invalidOption` if the counts differ, a word repeats, or a word could
    ///   not be written to a vector file and read back (empty, or holding a space or an ASCII control
    ///   byte; see `Embeddings.write`).
    public init(words: [String], vectors: Matrix) throws {
        guard words.count == vectors.rows else {
            throw Word2VecError.invalidOption("words", "has \(words.count) entries for \(vectors.rows) vectors")
        }
        var table = ByteStringTable(minimumCapacity: words.count)
        for (index, word) in words.enumerated() {
            if let problem = WordSpelling.problem(word) {
                throw Word2VecError.invalidOption("words", "entry \(index + 1) \(WordSpelling.quoted(word)) \(problem)")
            }
            var word = word
            guard word.withUTF8({ table.insert($0).inserted }) else {
                throw Word2VecError.invalidOption("words", "contains \(WordSpelling.quoted(word)) twice")
            }
        }
        // Counts that decrease with the row keep the given order in `Vocabulary`.
        let lookup = Vocabulary(entries: words.enumerated().map { (word: $0.element, count: words.count - $0.offset) })
        self.words = words
        self.vectors = vectors
        self.lookup = lookup
        unitRows = UnitRows(vectors: vectors)
        subwords = nil
    }

    public var count: Int { words.count }
    public var dimension: Int { vectors.columns }

    /// The row of `word` if it is in the vocabulary, else `nil`: the membership test, for callers
    /// that skip unknown words (gensim's `key_to_index.get(word)`). Expected O(length of word).
    ///
    /// Every query verb throws for an unknown word instead (see `vector(for:)`).
    public func index(of word: String) -> Int? { lookup.index(of: word) }

    /// Whether words outside the vocabulary have vectors: the embeddings of a model trained with
    /// subwords (`TrainingConfiguration.subwords`) build them from the words' character n-grams.
    public var hasSubwords: Bool { subwords != nil }

    /// What a query word stands for: its row, or for a word outside the vocabulary of a subword
    /// model the mean of its n-grams' rows. The one lookup that `vector(for:)` and every verb of
    /// `Embeddings` and `SimilarityIndex` make, so that an unknown word is answered, or fails, the
    /// same way wherever it is asked about.
    /// - Throws: `Word2VecError.unknownWord` naming `word` if it is not in the vocabulary and has no
    ///   n-gram vector (no subwords, or a word too short for any n-gram).
    func term(for word: String) throws -> QueryTerm {
        if let row = lookup.index(of: word) { return .row(row) }
        if let subwords {
            var vector = [Float](repeating: 0, count: dimension)
            if vector.withUnsafeMutableBufferPointer({ subwords.composeUnknown(word, into: $0.baseAddress!) }) {
                return .vector(vector)
            }
        }
        throw Word2VecError.unknownWord(word)
    }

    /// Whether `word` has a vector: it is in the vocabulary, or the embeddings have subwords and the
    /// word has at least one n-gram. O(length of word) hash steps.
    public func hasVector(for word: String) -> Bool {
        if lookup.index(of: word) != nil { return true }
        guard let subwords else { return false }
        var found = false
        subwords.nGrams.forEachBucket(of: word.utf8) { _ in found = true }
        return found
    }

    /// The row of `word`, for the verbs that take rows only (the batch queries).
    /// - Throws: `Word2VecError.unknownWord` naming `word`.
    func row(of word: String) throws -> Int {
        guard let row = lookup.index(of: word) else { throw Word2VecError.unknownWord(word) }
        return row
    }

    /// A copy of the raw (not normalised) vector of `word`: gensim's `vectors[word]`. With
    /// subwords, a word outside the vocabulary gets the mean of its n-grams' rows (fastText's
    /// `get_word_vector`). O(dimension), or O(n-grams x dimension) for such a word.
    /// - Throws: `Word2VecError.unknownWord` naming `word` if it has no vector; test with
    ///   `index(of:)` first to skip words outside the vocabulary instead.
    public func vector(for word: String) throws -> [Float] {
        switch try term(for: word) {
        case let .row(row): vectors.row(row)
        case let .vector(vector): vector
        }
    }
}

/// A query word resolved: a row of the embeddings, or a vector built for a word outside them.
enum QueryTerm {
    case row(Int)
    /// Raw (not normalised).
    case vector([Float])

    var row: Int? {
        if case let .row(row) = self { row } else { nil }
    }
}
