import Word2Vec

/// The mean of the unit vectors of a line's known words (fastText's `print-sentence-vectors` for
/// a model without subwords, gensim's `get_mean_vector`).
public struct SentenceVectorRequest: Sendable, Equatable {
    /// The line's 1-based number in its input, which the answer repeats.
    public var line: Int
    public var text: String

    public init(line: Int = 1, text: String) {
        self.line = line
        self.text = text
    }
}

/// The answer to a `SentenceVectorRequest`: a line of `sentence-vector --json`, `GET /v1/sentence-vector`.
public struct SentenceVectorAnswer: Encodable, Sendable {
    public let line: Int
    /// How many words of the line have a vector; 0 gives the zero vector.
    public let known: Int
    public let vector: [Float]
}

extension SimilarityIndex {
    /// Answers `request`; unknown words are skipped, words split as `QueryWords.split` does.
    /// - Complexity: O(words x dimension).
    public func answer(_ request: SentenceVectorRequest) throws -> SentenceVectorAnswer {
        let known = QueryWords.split(request.text).filter { embeddings.hasVector(for: $0) }
        let vector = known.isEmpty ? [Float](repeating: 0, count: dimension) : try meanVector(of: known)
        return SentenceVectorAnswer(line: request.line, known: known.count, vector: vector)
    }
}

/// How a line of query text becomes words.
public enum QueryWords {
    /// Splits at spaces, tabs, carriage returns and every other ASCII control or DEL, as training's
    /// reader does. Bytes rather than `Character`s: a space followed by a combining mark is one
    /// `Character` and would glue two words together.
    public static func split(_ line: String) -> [String] {
        line.utf8.split(whereSeparator: { $0 <= 0x20 || $0 == 0x7F }).map { String(decoding: $0, as: UTF8.self) }
    }
}
