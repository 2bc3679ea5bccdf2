/// How a similarity query finds its neighbours: by reading every row (exact), or through an HNSW
/// graph (approximate, much faster on large vocabularies and catalogues).
///
/// The verbs that take one (`mostSimilar(..., using:)` of `SimilarityIndex` and `Embeddings`,
/// `ItemRecommender.recommend(_:settings:using:)`) answer the same questions either way; only which
/// rows are found can differ, never their scores or the rule that query words are not answers.
public enum SearchMethod: Sendable {
    /// Every row is scored (`NeighbourSearch`): exact, O(count x dimension) per query.
    case exact
    /// The graph is searched with a candidate list of `ef` (the index's `efSearch` when `nil`,
    /// at least the number of results asked for).
    case approximate(HNSWIndex, ef: Int? = nil)

    /// The default of the command line: the index when there is one and the rows number at least
    /// `HNSWIndex.exactSearchThreshold`, exact search otherwise.
    public static func automatic(rows: Int, index: HNSWIndex?) -> SearchMethod {
        guard let index, rows >= HNSWIndex.exactSearchThreshold else { return .exact }
        return .approximate(index)
    }
}

extension SimilarityIndex {
    /// `mostSimilar(positive:negative:top:restrictTo:)` by the given method: gensim's
    /// `most_similar`, answered through an HNSW index when `method` is `.approximate`.
    ///
    /// A `restrictTo` below `count` is answered exactly (the graph links all rows; a search
    /// confined to a prefix of them would lose the paths through the rest).
    /// - Throws: as the exact verb; `Word2VecError.invalidOption` when the index was built for
    ///   other vectors, or `ef` is below 1.
    /// - Complexity: exact: O(count x dimension); approximate: about O(log count x ef x M x dimension).
    public func mostSimilar(
        positive: [String], negative: [String] = [], top: Int = 10, restrictTo: Int? = nil, using method: SearchMethod
    ) throws -> [Neighbour] {
        let query = TermQuery(positive: try positive.map(term(for:)), negative: try negative.map(term(for:)), method: .add)
        return try search([query], top: top, restrictTo: restrictTo, using: method)[0]
    }

    /// `mostSimilar(to:top:excluding:restrictTo:)` by the given method: the rows nearest by cosine
    /// to `vector`, never a row of `excluded`.
    /// - Throws: `Word2VecError.dimensionMismatch`; `.invalidOption` as above.
    public func mostSimilar(
        to vector: [Float], top: Int = 10, excluding excluded: [Int] = [], restrictTo: Int? = nil, using method: SearchMethod
    ) throws -> [Neighbour] {
        guard case let .approximate(index, ef) = method, rowLimit(restrictTo) == count else {
            return try mostSimilar(to: vector, top: top, excluding: excluded, restrictTo: restrictTo)
        }
        guard vector.count == dimension else {
            throw Word2VecError.dimensionMismatch(expected: dimension, actual: vector.count)
        }
        try check(index, ef: ef)
        var unitVector = vector
        unitVector.withUnsafeMutableBufferPointer { Self.normalize($0.baseAddress!, count: dimension) }
        let found = index.run(
            [NeighbourQuery(scoring: .cosine, firstVector: 0, excluded: excluded)], vectors: unitVector, top: top, ef: ef)
        return found[0].map { Neighbour(word: words[$0.row], index: $0.row, score: $0.score) }
    }

    /// The batch `mostSimilar(_:top:restrictTo:)` by the given method. 3CosMul queries are always
    /// answered exactly (their score is not a cosine with one vector, which the graph is built for).
    /// - Throws: as the exact verb; `.invalidOption` as above.
    public func mostSimilar(
        _ queries: [Query], top: Int = 10, restrictTo: Int? = nil, using method: SearchMethod
    ) throws -> [[Neighbour]] {
        guard case .approximate = method else { return try mostSimilar(queries, top: top, restrictTo: restrictTo) }
        for query in queries {
            guard (query.positive + query.negative).allSatisfy({ $0 >= 0 && $0 < count }) else {
                throw Word2VecError.invalidOption("query", "refers to a row outside 0..<\(count)")
            }
        }
        let terms = queries.map {
            TermQuery(positive: $0.positive.map(QueryTerm.row), negative: $0.negative.map(QueryTerm.row), method: $0.method)
        }
        return try search(terms, top: top, restrictTo: restrictTo, using: method)
    }

    /// `search(_:top:restrictTo:)` through `method`: the 3CosAdd queries go through the graph, the
    /// rest (3CosMul, or a restriction) through the exact search.
    func search(_ queries: [TermQuery], top: Int, restrictTo: Int?, using method: SearchMethod) throws -> [[Neighbour]] {
        guard case let .approximate(index, ef) = method, rowLimit(restrictTo) == count else {
            return try search(queries, top: top, restrictTo: restrictTo)
        }
        try check(index, ef: ef)
        for query in queries {
            guard !query.positive.isEmpty || (query.method == .add && !query.negative.isEmpty) else {
                throw Word2VecError.invalidOption("query", "needs at least one positive word")
            }
        }
        var answers = [[Neighbour]](repeating: [], count: queries.count)
        let cosine = queries.indices.filter { queries[$0].method == .add }
        let other = queries.indices.filter { queries[$0].method != .add }
        if !other.isEmpty {
            for (i, found) in zip(other, try search(other.map { queries[$0] }, top: top, restrictTo: restrictTo)) {
                answers[i] = found
            }
        }
        if !cosine.isEmpty {
            let (prepared, vectors) = prepare(cosine.map { queries[$0] })
            let found = index.run(prepared, vectors: vectors, top: top, ef: ef)
            for (i, rows) in zip(cosine, found) {
                answers[i] = rows.map { Neighbour(word: words[$0.row], index: $0.row, score: $0.score) }
            }
        }
        return answers
    }

    private func check(_ index: HNSWIndex, ef: Int?) throws {
        guard index.matches(self) else {
            throw Word2VecError.invalidOption("HNSW index", "was built for other vectors (\(index.count) x \(index.dimension))")
        }
        if let ef, !HNSWParameters.efRange.contains(ef) {
            throw Word2VecError.invalidOption("ef", "must be in \(HNSWParameters.efRange) (got \(ef))")
        }
    }
}

extension Embeddings {
    /// `SimilarityIndex.mostSimilar(positive:negative:top:restrictTo:using:)` on these embeddings.
    public func mostSimilar(
        positive: [String], negative: [String] = [], top: Int = 10, restrictTo: Int? = nil, using method: SearchMethod
    ) throws -> [Neighbour] {
        try SimilarityIndex(self).mostSimilar(positive: positive, negative: negative, top: top, restrictTo: restrictTo, using: method)
    }

    /// `SimilarityIndex.mostSimilar(to:top:excluding:restrictTo:using:)` on these embeddings.
    public func mostSimilar(
        to vector: [Float], top: Int = 10, excluding excluded: [Int] = [], restrictTo: Int? = nil, using method: SearchMethod
    ) throws -> [Neighbour] {
        try SimilarityIndex(self).mostSimilar(to: vector, top: top, excluding: excluded, restrictTo: restrictTo, using: method)
    }

    /// `SimilarityIndex.mostSimilar(_:top:restrictTo:using:)` on these embeddings.
    public func mostSimilar(
        _ queries: [SimilarityIndex.Query], top: Int = 10, restrictTo: Int? = nil, using method: SearchMethod
    ) throws -> [[Neighbour]] {
        try SimilarityIndex(self).mostSimilar(queries, top: top, restrictTo: restrictTo, using: method)
    }
}
