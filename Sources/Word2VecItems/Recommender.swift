import Word2Vec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a user's history becomes a query.
public struct RecommendationSettings: Sendable, Equatable {
    /// Items to return per user.
    public var top = 10
    /// Use only the last `recent` known items of the history for the user vector (all when `nil`).
    /// Every history item is excluded from the answer whatever this is.
    public var recent: Int? = nil
    /// Recency weighting: an item `age` positions before the last known one (which has age 0) weighs
    /// `0.5^(age / halfLife)` in the mean; `nil` weighs the chosen items equally. The default, 1,
    /// predicted the next item best on MovieLens-100k (`Benchmarks/README.md`).
    public var halfLife: Double? = 1

    public init(top: Int = 10, recent: Int? = nil, halfLife: Double? = 1) {
        self.top = top
        self.recent = recent
        self.halfLife = halfLife
    }

    /// Throws `Word2VecError.invalidConfiguration` naming the first setting out of range.
    public func validate() throws {
        guard top >= 1 else { throw Word2VecError.invalidConfiguration(setting: "RecommendationSettings.top", problem: "must be at least 1 (got \(top))") }
        if let recent, recent < 1 {
            throw Word2VecError.invalidConfiguration(setting: "RecommendationSettings.recent", problem: "must be at least 1 (got \(recent))")
        }
        if let halfLife, !(halfLife > 0 && halfLife.isFinite) {
            throw Word2VecError.invalidConfiguration(setting: "RecommendationSettings.halfLife", problem: "must be a positive number of items (got \(halfLife))")
        }
    }
}

/// Recommends items from a history: the items whose vectors are nearest (by cosine) to the user
/// vector, the weighted mean of the unit vectors of the user's (last) items, never an item of the
/// history itself (item2vec, Barkan & Koenigstein 2016; the mean-of-history user of Caselles-Dupré
/// et al. 2018).
///
/// ```swift
/// let recommender = ItemRecommender(SimilarityIndex(try Embeddings.load(path: "items.vec")))
/// let next = try recommender.recommend([["a", "b", "c"]], settings: RecommendationSettings(recent: 1))[0]
/// ```
///
/// Items without a vector are ignored in the mean (and cannot be recommended); a history with no
/// known item gets an empty answer. Batches are searched with the shared neighbour-search kernels:
/// one pass over the item matrix per 16 users, in parallel over all cores, with no allocation per
/// scored item. Immutable and safe to use from several threads.
///
/// With a `tower` (a model trained by `items train --tower`) the user vector is the tower's and items
/// are ranked by its scores, `u . v + b` over its own item vectors, exactly; `recent`, `halfLife`
/// and the search method do not apply then.
public struct ItemRecommender: Sendable {
    public let index: SimilarityIndex
    /// Ranks items instead of the mean of the history's vectors when present.
    public let tower: UserTower?

    /// - Precondition: `tower`, if given, has a row for each row of `index`, in the same order.
    public init(_ index: SimilarityIndex, tower: UserTower? = nil) {
        precondition(tower.map { $0.items == index.count } ?? true)
        self.index = index
        self.tower = tower
    }

    /// The recommender of a model: its item vectors and, if it has one, its user tower.
    /// - Parameter source: the model's file, named in errors.
    /// - Throws: `Word2VecError.malformedData` for a stored tower that does not fit the model.
    public init(model: Model, source: String) throws {
        self.init(model.similarityIndex(), tower: try model.userTower(source: source))
    }

    /// Users answered by one search; bounds the query vectors held at once (64 MB at dimension 1000).
    static let batchSize = 16_384

    /// The best `settings.top` items for each history, best first, scored by cosine. Results are in
    /// the order of `histories`; ties rank the more frequent item (lower row) first.
    ///
    /// - Parameter method: `.approximate(index)` searches an HNSW index over the items instead of
    ///   scoring every item (`SearchMethod`); the history's items stay excluded either way.
    /// - Throws: `Word2VecError.invalidOption` for settings out of range, or an index built for
    ///   other vectors.
    /// - Complexity: O(users * (count * dimension / 16 + history length * dimension)) exactly.
    ///
    /// - Parameter side: for a tower with side fields, each history's events' tokens per field
    ///   (`TowerSideInputs.events` of one user each); `nil` leaves those inputs at 0. Ignored without
    ///   a tower.
    public func recommend(
        _ histories: [[String]], side: [[[[String]]]]? = nil, settings: RecommendationSettings, using method: SearchMethod = .exact
    ) throws -> [[Neighbour]] {
        try settings.validate()
        if case let .approximate(graph, _) = method, !graph.matches(index) {
            throw Word2VecError.invalidOption("HNSW index", "was built for other vectors (\(graph.count) x \(graph.dimension))")
        }
        if let tower {
            let rows = histories.map { $0.compactMap { index.embeddings.index(of: $0).map(Int32.init) } }
            let words = index.words
            // Every event's tokens count, even an item's the model does not know: the words a user
            // typed say something of them either way.
            let tokens = side.map { $0.map { events in events.suffix(tower.sideWindow).flatMap { tower.tokenRows($0) } } }
            return tower.recommend(rows, tokens: tokens, top: settings.top).map { found in
                found.map { Neighbour(word: words[$0.row], index: $0.row, score: $0.score) }
            }
        }
        var answers: [[Neighbour]] = []
        answers.reserveCapacity(histories.count)
        var start = 0
        while start < histories.count {
            let end = min(histories.count, start + Self.batchSize)
            answers += search(histories[start..<end], settings: settings, method: method)
            start = end
        }
        return answers
    }

    /// The user vector of one history (unit length), or `nil` if no item of it has a vector.
    public func userVector(_ history: [String], settings: RecommendationSettings = RecommendationSettings()) -> [Float]? {
        let rows = history.compactMap { index.embeddings.index(of: $0) }
        guard !rows.isEmpty else { return nil }
        var vector = [Float](repeating: 0, count: index.dimension)
        vector.withUnsafeMutableBufferPointer { accumulate(rows, settings: settings, into: $0.baseAddress!) }
        return vector
    }

    private func search(_ histories: ArraySlice<[String]>, settings: RecommendationSettings, method: SearchMethod) -> [[Neighbour]] {
        let dimension = index.dimension
        var queries: [NeighbourQuery] = []
        queries.reserveCapacity(histories.count)
        // For each history, its query's position in `queries`, or nil when it has no known item.
        var queryOf: [Int?] = []
        queryOf.reserveCapacity(histories.count)
        var rowsOf: [[Int]] = []
        for history in histories {
            let rows = history.compactMap { index.embeddings.index(of: $0) }
            if rows.isEmpty {
                queryOf.append(nil)
            } else {
                queryOf.append(rowsOf.count)
                rowsOf.append(rows)
            }
        }
        var vectors = [Float](repeating: 0, count: rowsOf.count * dimension)
        vectors.withUnsafeMutableBufferPointer { vectors in
            for (n, rows) in rowsOf.enumerated() {
                accumulate(rows, settings: settings, into: vectors.baseAddress! + n * dimension)
                queries.append(NeighbourQuery(scoring: .cosine, firstVector: n, excluded: rows))
            }
        }
        let found: [[(row: Int, score: Float)]]
        switch method {
        case .exact:
            found = NeighbourSearch(matrix: index.unit, rowLimit: index.count).run(queries, vectors: vectors, top: settings.top)
        case let .approximate(graph, ef):
            found = graph.run(queries, vectors: vectors, top: settings.top, ef: ef)
        }
        let words = index.words
        return queryOf.map { query in
            guard let query else { return [] }
            return found[query].map { Neighbour(word: words[$0.row], index: $0.row, score: $0.score) }
        }
    }

    /// Writes the unit user vector of `rows` (oldest first, not empty) to `target` (`dimension` floats).
    private func accumulate(_ rows: [Int], settings: RecommendationSettings, into target: UnsafeMutablePointer<Float>) {
        let dimension = index.dimension
        target.initialize(repeating: 0, count: dimension)
        let chosen = rows.suffix(settings.recent ?? rows.count)
        let last = rows.count - 1
        for (position, row) in zip(chosen.indices, chosen) {
            // The mean's division by the total weight is left out: the vector is normalised below,
            // and cosine ranking ignores length.
            var weight: Float = 1
            if let halfLife = settings.halfLife {
                weight = Float(exp2(-Double(last - position) / halfLife))
            }
            VectorKernels.axpy(weight, index.unit.pointer(row: row), target, count: dimension)
        }
        SimilarityIndex.normalize(target, count: dimension)
    }
}

