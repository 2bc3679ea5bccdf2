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

    init(words: [String], vectors: Matrix, vocabulary: Vocabulary, unitRows: UnitRows? = nil) {
        self.words = words
        self.vectors = vectors
        self.lookup = vocabulary
        self.unitRows = unitRows ?? UnitRows(vectors: vectors)
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
    }

    public var count: Int { words.count }
    public var dimension: Int { vectors.columns }

    /// The row of `word`, or `nil` if unknown. Expected O(length of word).
    public func index(of word: String) -> Int? { lookup.index(of: word) }

    /// A copy of the vector of `word`, or `nil` if unknown.
    public func vector(for word: String) -> [Float]? {
        index(of: word).map { vectors.row($0) }
    }

    /// Cosine similarity of two known words, or `nil` if either is unknown: gensim's `similarity`
    /// (which raises instead). O(dimension).
    public func similarity(_ a: String, _ b: String) -> Float? {
        guard let i = index(of: a), let j = index(of: b) else { return nil }
        let x = vectors.pointer(row: i)
        let y = vectors.pointer(row: j)
        let n = dimension
        let norms = (VectorKernels.dot(x, x, count: n) * VectorKernels.dot(y, y, count: n)).squareRoot()
        return norms > 0 ? VectorKernels.dot(x, y, count: n) / norms : 0
    }
}
