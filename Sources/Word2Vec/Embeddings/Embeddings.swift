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

    init(words: [String], vectors: Matrix, vocabulary: Vocabulary) {
        self.words = words
        self.vectors = vectors
        self.lookup = vocabulary
    }

    /// Wraps `vectors` (one row per word, in order).
    /// - Throws: `Word2VecError.invalidOption` if the counts differ or a word repeats.
    public init(words: [String], vectors: Matrix) throws {
        guard words.count == vectors.rows else {
            throw Word2VecError.invalidOption("words", "has \(words.count) entries for \(vectors.rows) vectors")
        }
        // Counts that decrease with the row keep the given order in `Vocabulary`.
        let lookup = Vocabulary(entries: words.enumerated().map { (word: $0.element, count: words.count - $0.offset) })
        guard lookup.count == words.count else {
            var seen = Set<String>()
            let duplicate = words.first { !seen.insert($0).inserted } ?? ""
            throw Word2VecError.invalidOption("words", "contains '\(duplicate)' twice")
        }
        self.words = words
        self.vectors = vectors
        self.lookup = lookup
    }

    public var count: Int { words.count }
    public var dimension: Int { vectors.columns }

    /// The row of `word`, or `nil` if unknown. Expected O(length of word).
    public func index(of word: String) -> Int? { lookup.index(of: word) }

    /// A copy of the vector of `word`, or `nil` if unknown.
    public func vector(for word: String) -> [Float]? {
        index(of: word).map { vectors.row($0) }
    }

    /// Cosine similarity of two known words, or `nil` if either is unknown.
    public func similarity(_ a: String, _ b: String) -> Float? {
        guard let i = index(of: a), let j = index(of: b) else { return nil }
        let x = vectors.pointer(row: i)
        let y = vectors.pointer(row: j)
        let n = dimension
        let norms = (VectorKernels.dot(x, x, count: n) * VectorKernels.dot(y, y, count: n)).squareRoot()
        return norms > 0 ? VectorKernels.dot(x, y, count: n) / norms : 0
    }
}
