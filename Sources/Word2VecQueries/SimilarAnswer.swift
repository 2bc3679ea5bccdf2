import Word2Vec

/// The words nearest to a query: gensim's `most_similar` (the mean of the positive words' unit
/// vectors minus the negative ones'), the query words themselves excluded.
public struct SimilarRequest: Sendable, Equatable {
    public var positive: [String]
    public var negative: [String]
    /// How many neighbours, at least 1.
    public var top: Int
    /// Only the first `restrict` rows are candidates (`nil`: all).
    public var restrict: Int?

    public init(positive: [String], negative: [String] = [], top: Int = 10, restrict: Int? = nil) {
        self.positive = positive
        self.negative = negative
        self.top = top
        self.restrict = restrict
    }
}

/// The answer to a `SimilarRequest`, as `similar --json` prints it and `GET /v1/similar` returns it.
public struct SimilarAnswer: Encodable, Sendable {
    public let positive: [String]
    public let negative: [String]
    /// Empty when the query has no answer (`error` says why).
    public let neighbours: [NeighbourRecord]
    public let error: String?
    /// Query words outside the vocabulary, answered from their n-grams (subword models).
    public let oov: [String]?

    /// The answer of a query without words (a blank line of the query loop): no neighbours, no error.
    public init(empty request: SimilarRequest) {
        self.init(request, [], oov: nil)
    }

    /// The answer of a query that failed: no neighbours, `error` saying why.
    public init(failed request: SimilarRequest, error: any Error) {
        positive = request.positive
        negative = request.negative
        neighbours = []
        self.error = "\(error)"
        oov = nil
    }

    init(_ request: SimilarRequest, _ found: [Neighbour], oov: [String]?) {
        positive = request.positive
        negative = request.negative
        neighbours = found.map(NeighbourRecord.init)
        error = nil
        self.oov = oov
    }
}

extension SimilarityIndex {
    /// Answers `request` by `method`.
    /// - Throws: `Word2VecError.unknownWord` for a word without a vector; the errors of `mostSimilar`.
    /// - Complexity: that of `mostSimilar(positive:negative:top:restrictTo:using:)`.
    public func answer(_ request: SimilarRequest, using method: SearchMethod = .exact) throws -> SimilarAnswer {
        let found = try mostSimilar(
            positive: request.positive, negative: request.negative, top: request.top, restrictTo: request.restrict,
            using: method)
        return SimilarAnswer(request, found, oov: embeddings.outOfVocabulary(request.positive + request.negative))
    }
}
