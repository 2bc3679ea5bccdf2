import Word2Vec

/// The cosine of two words (gensim's `similarity`).
public struct SimilarityRequest: Sendable, Equatable {
    public var a, b: String

    public init(a: String, b: String) {
        self.a = a
        self.b = b
    }
}

/// The answer to a `SimilarityRequest`: `similarity --json`, `GET /v1/similarity`.
public struct SimilarityAnswer: Encodable, Sendable {
    public let a, b: String
    public let similarity: Float
    /// Words outside the vocabulary, answered from their n-grams (subword models).
    public let oov: [String]?
}

/// The cosine of the means of two sets of raw vectors (gensim 4's `n_similarity`).
public struct NSimilarityRequest: Sendable, Equatable {
    public var first, second: [String]

    public init(first: [String], second: [String]) {
        self.first = first
        self.second = second
    }
}

/// The answer to an `NSimilarityRequest`: `n-similarity --json`, `GET /v1/n-similarity`.
public struct NSimilarityAnswer: Encodable, Sendable {
    public let first, second: [String]
    public let similarity: Float
    /// Words outside the vocabulary, answered from their n-grams (subword models).
    public let oov: [String]?
}

/// The words ranked by cosine with the normalised mean of their unit vectors (gensim's
/// `doesnt_match` and `rank_by_centrality`).
public struct DoesntMatchRequest: Sendable, Equatable {
    /// At least one word.
    public var words: [String]

    public init(words: [String]) {
        self.words = words
    }
}

/// The answer to a `DoesntMatchRequest`: `doesnt-match --json`, `GET /v1/doesnt-match`.
public struct DoesntMatchAnswer: Encodable, Sendable {
    public let words: [String]
    /// The least central word: the last of `ranking`.
    public let answer: String
    /// Most central first.
    public let ranking: [NeighbourRecord]
    /// Words outside the vocabulary, answered from their n-grams (subword models).
    public let oov: [String]?
}

extension SimilarityIndex {
    /// Answers `request`.
    /// - Throws: `Word2VecError.unknownWord`; `.invalidOption` when the cosine is not a number
    ///   (vectors whose values overflow the arithmetic), which is no answer to give.
    public func answer(_ request: SimilarityRequest) throws -> SimilarityAnswer {
        let value = try checkedSimilarity(similarity(request.a, request.b))
        return SimilarityAnswer(a: request.a, b: request.b, similarity: value, oov: embeddings.outOfVocabulary([request.a, request.b]))
    }

    /// Answers `request`. Throws as `answer(_: SimilarityRequest)`, and for an empty set.
    /// - Complexity: O((first + second) x dimension).
    public func answer(_ request: NSimilarityRequest) throws -> NSimilarityAnswer {
        let value = try checkedSimilarity(nSimilarity(request.first, request.second))
        return NSimilarityAnswer(
            first: request.first, second: request.second, similarity: value,
            oov: embeddings.outOfVocabulary(request.first + request.second))
    }

    /// Answers `request`.
    /// - Throws: `Word2VecError.unknownWord`; `.invalidOption` for no words.
    /// - Complexity: O(words x dimension).
    public func answer(_ request: DoesntMatchRequest) throws -> DoesntMatchAnswer {
        let ranking = try rankByCentrality(request.words)
        guard let last = ranking.last else { throw Word2VecError.invalidOption("words", "are empty: give at least one") }
        return DoesntMatchAnswer(
            words: request.words, answer: last.word, ranking: ranking.map(NeighbourRecord.init),
            oov: embeddings.outOfVocabulary(request.words))
    }

    private func checkedSimilarity(_ value: Float) throws -> Float {
        // The verbs are finite for finite vectors; a NaN here is a bug, not an answer to give.
        guard value.isFinite else {
            throw Word2VecError.invalidOption("similarity", "is not a number for these vectors (their values overflow the arithmetic)")
        }
        return value
    }
}
