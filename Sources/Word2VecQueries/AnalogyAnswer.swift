import Word2Vec

/// "A is to B as C is to ?": the words nearest to B - A + C (3CosAdd) or by 3CosMul, A, B and C
/// excluded.
public struct AnalogyRequest: Sendable, Equatable {
    public var a, b, c: String
    public var method: AnalogyMethod
    /// How many words, at least 1.
    public var top: Int
    /// Only the first `restrict` rows are candidates (`nil`: all).
    public var restrict: Int?

    public init(a: String, b: String, c: String, method: AnalogyMethod = .add, top: Int = 10, restrict: Int? = nil) {
        self.a = a
        self.b = b
        self.c = c
        self.method = method
        self.top = top
        self.restrict = restrict
    }
}

/// The answer to an `AnalogyRequest`, as `analogy --json` prints it and `GET /v1/analogy` returns it.
public struct AnalogyAnswer: Encodable, Sendable {
    public let a, b, c: String
    public let method: String
    /// Empty when the question has no answer (`error` says why).
    public let neighbours: [NeighbourRecord]
    public let error: String?
    /// Question words outside the vocabulary, answered from their n-grams (subword models).
    public let oov: [String]?

    /// The answer of a question that could not be asked or answered: no neighbours, `error` saying
    /// why (`nil`: a blank question, which is no error).
    public init(failed request: AnalogyRequest, error: (any Error)?) {
        a = request.a
        b = request.b
        c = request.c
        method = request.method.rawValue
        neighbours = []
        self.error = error.map { "\($0)" }
        oov = nil
    }

    init(_ request: AnalogyRequest, _ found: [Neighbour], oov: [String]?) {
        a = request.a
        b = request.b
        c = request.c
        method = request.method.rawValue
        neighbours = found.map(NeighbourRecord.init)
        error = nil
        self.oov = oov
    }
}

extension SimilarityIndex {
    /// Answers `request`.
    /// - Throws: `Word2VecError.unknownWord` for a word without a vector; the errors of `analogy`.
    /// - Complexity: one pass over the (restricted) rows: O(rows x dimension).
    public func answer(_ request: AnalogyRequest) throws -> AnalogyAnswer {
        let found = try analogy(
            request.a, request.b, request.c, method: request.method, top: request.top, restrictTo: request.restrict)
        return AnalogyAnswer(request, found, oov: embeddings.outOfVocabulary([request.a, request.b, request.c]))
    }
}
