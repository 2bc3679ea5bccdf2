import Word2Vec

/// The raw vectors of words (fastText's `print-word-vectors`).
public struct VectorRequest: Sendable, Equatable {
    public var words: [String]

    public init(words: [String]) {
        self.words = words
    }
}

/// The answer to a `VectorRequest`, as `vector --json` prints it (one per input line) and
/// `GET /v1/vector` returns it. Unknown words are listed, not failed, so that one unknown word
/// does not hide the others' vectors.
public struct VectorAnswer: Encodable, Sendable {
    public struct Entry: Encodable, Sendable {
        public let word: String
        public let vector: [Float]
        /// True for a word outside the vocabulary whose vector was built from its n-grams; absent otherwise.
        public let oov: Bool?
    }

    public let dimension: Int
    /// The words that have a vector, in the order asked.
    public let vectors: [Entry]
    /// The words that have none (whole-word models only), in the order asked.
    public let unknown: [String]
}

extension Embeddings {
    /// Answers `request` from the rows as they are in the file (not normalised).
    /// - Throws: only errors other than an unknown word, which goes to `unknown`.
    /// - Complexity: O(words x dimension), and for a subword model's unknown word O(its n-grams x dimension).
    public func answer(_ request: VectorRequest) throws -> VectorAnswer {
        var found: [VectorAnswer.Entry] = []
        var unknown: [String] = []
        for word in request.words {
            // The library's one lookup: a model that can build a vector for a word outside its
            // vocabulary answers here too; only what it cannot answer is listed.
            do {
                let vector = try vector(for: word)
                found.append(VectorAnswer.Entry(word: word, vector: vector, oov: index(of: word) == nil ? true : nil))
            } catch Word2VecError.unknownWord {
                unknown.append(word)
            }
        }
        return VectorAnswer(dimension: dimension, vectors: found, unknown: unknown)
    }
}
