/// A word found by a similarity query.
public struct Neighbour: Sendable, Equatable, CustomStringConvertible {
    public let word: String
    /// Row of the word in the embeddings (its frequency rank in files sorted by frequency).
    public let index: Int
    /// Cosine similarity, or the 3CosMul score for `AnalogyMethod.multiplicative`.
    public let score: Float

    public init(word: String, index: Int, score: Float) {
        self.word = word
        self.index = index
        self.score = score
    }

    public var description: String { "\(word) \(score)" }
}

/// How `SimilarityIndex.analogy` combines the three words of "a is to b as c is to ?" (Levy &
/// Goldberg 2014).
public enum AnalogyMethod: String, Sendable, CaseIterable {
    /// 3CosAdd: the words closest to `b - a + c` (unit vectors), gensim's
    /// `most_similar(positive: [b, c], negative: [a])`.
    case add
    /// 3CosMul: maximise `cos'(x, b) * cos'(x, c) / (cos'(x, a) + 1e-6)` with `cos' = (1 + cos) / 2`,
    /// gensim's `most_similar_cosmul`.
    case mul
}

/// Word vectors prepared for similarity queries: every vector scaled to unit length once, in one
/// contiguous matrix, so that a cosine is a dot product.
///
/// ```swift
/// let index = SimilarityIndex(try Embeddings.load(path: "vectors.bin"))
/// let neighbours = try index.mostSimilar(positive: ["king"], top: 5)
/// let queen = try index.analogy("man", "king", "woman").first?.word
/// ```
///
/// Queries follow gensim's `KeyedVectors` semantics, so results match it on the same file. A vector of
/// length zero stays zero and has cosine 0 with everything. The index is immutable and can be queried
/// from several threads; batched queries use all cores themselves.
///
/// `Embeddings` has the same verbs with the same labels, forwarding here: hold an index to keep one
/// snapshot of the unit rows (and one object) across queries, or query the embeddings directly. Every
/// verb throws `Word2VecError.unknownWord` naming the first unknown word it is given; `index(of:)`
/// is the one lookup that answers `nil` instead, for callers that skip unknown words.
public final class SimilarityIndex: Sendable {
    public let embeddings: Embeddings
    /// Row `i` is `embeddings` row `i` divided by its Euclidean length.
    package let unit: Matrix

    /// An index over the unit rows of `embeddings`, which are normalised here, O(count * dimension),
    /// unless an earlier query or index over the same embeddings (or their model) already did: all
    /// share one copy (see `Embeddings.mostSimilar`).
    public init(_ embeddings: Embeddings) {
        self.embeddings = embeddings
        unit = embeddings.unitRows.matrix
    }

    public var count: Int { embeddings.count }
    public var dimension: Int { embeddings.dimension }
    public var words: [String] { embeddings.words }

    /// Scales `vector` to unit length in place (a zero vector stays zero). The length is accumulated
    /// in double precision so that it is correctly rounded for any realistic dimension.
    package static func normalize(_ vector: UnsafeMutablePointer<Float>, count: Int) {
        var squares = 0.0
        for i in 0..<count { squares += Double(vector[i]) * Double(vector[i]) }
        let length = Float(squares.squareRoot())
        guard length > 0 else { return }
        guard length.isNormal else {
            // Components near Float's limit: the length itself overflows a Float (dividing by it
            // would give zeros); or so small that it is subnormal, with too few bits for a unit
            // row. Divide in double precision.
            let exact = squares.squareRoot()
            for i in 0..<count { vector[i] = Float(Double(vector[i]) / exact) }
            return
        }
        for i in 0..<count { vector[i] /= length }
    }

    /// The row of `word` if it is in the vocabulary, else `nil`: `Embeddings.index(of:)`.
    public func index(of word: String) -> Int? { embeddings.index(of: word) }

    /// The row a query word stands for, through the one lookup every verb makes (`Embeddings.row(of:)`).
    /// - Throws: `Word2VecError.unknownWord` naming `word`.
    func row(of word: String) throws -> Int { try embeddings.row(of: word) }

    func term(for word: String) throws -> QueryTerm { try embeddings.term(for: word) }

    /// `term`'s vector at unit length: its unit row, or its vector normalised into new memory.
    func withUnitVector<R>(_ term: QueryTerm, _ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        switch term {
        case let .row(row): return try body(unit.pointer(row: row))
        case var .vector(vector):
            return try vector.withUnsafeMutableBufferPointer { vector in
                Self.normalize(vector.baseAddress!, count: dimension)
                return try body(vector.baseAddress!)
            }
        }
    }

    func similarity(rows i: Int, _ j: Int) -> Float {
        VectorKernels.dot(unit.pointer(row: i), unit.pointer(row: j), count: dimension)
    }

    // MARK: Queries

    /// One query of a batch for `mostSimilar(_:top:restrictTo:)`: rows whose cosine with the unit mean
    /// of the positive rows' unit vectors minus the negative ones' is largest, or the 3CosMul
    /// combination of them (see `AnalogyMethod`). The query's rows are never part of its answer.
    public struct Query: Sendable, Equatable {
        public var positive: [Int]
        public var negative: [Int]
        public var method: AnalogyMethod

        public init(positive: [Int], negative: [Int] = [], method: AnalogyMethod = .add) {
            self.positive = positive
            self.negative = negative
            self.method = method
        }
    }

    /// The `top` nearest words to `positive` words, away from `negative` ones: gensim's
    /// `most_similar(positive, negative, topn, restrict_vocab)`.
    ///
    /// - Parameters:
    ///   - restrictTo: only the first `restrictTo` rows are candidates (all rows when `nil`).
    /// - Throws: `Word2VecError.unknownWord` for an unknown word, `.invalidOption` for no words at all.
    /// - Complexity: O(count * dimension) (one pass over the matrix, parallel).
    public func mostSimilar(
        positive: [String], negative: [String] = [], top: Int = 10, restrictTo: Int? = nil
    ) throws -> [Neighbour] {
        let query = TermQuery(positive: try positive.map(term(for:)), negative: try negative.map(term(for:)), method: .add)
        return try search([query], top: top, restrictTo: restrictTo)[0]
    }

    /// The words `d` completing "`a` is to `b` as `c` is to `d`", best first, excluding `a`, `b`, `c`.
    ///
    /// - Throws: `Word2VecError.unknownWord` for an unknown word.
    public func analogy(
        _ a: String, _ b: String, _ c: String, method: AnalogyMethod = .add, top: Int = 10, restrictTo: Int? = nil
    ) throws -> [Neighbour] {
        // Looked up in the order given, so that the error names the first unknown word.
        let terms = (a: try term(for: a), b: try term(for: b), c: try term(for: c))
        let query = TermQuery(positive: [terms.b, terms.c], negative: [terms.a], method: method)
        return try search([query], top: top, restrictTo: restrictTo)[0]
    }

    /// The `top` words nearest by cosine to `vector` (any length), leaving out the rows `excluded`:
    /// gensim's `similar_by_vector`.
    /// - Throws: `Word2VecError.dimensionMismatch` if `vector` has not `dimension` components.
    public func mostSimilar(to vector: [Float], top: Int = 10, excluding excluded: [Int] = [], restrictTo: Int? = nil) throws -> [Neighbour] {
        guard vector.count == dimension else {
            throw Word2VecError.dimensionMismatch(expected: dimension, actual: vector.count)
        }
        var unitVector = vector
        unitVector.withUnsafeMutableBufferPointer { Self.normalize($0.baseAddress!, count: dimension) }
        let search = NeighbourSearch(matrix: unit, rowLimit: rowLimit(restrictTo))
        let found = search.run(
            [NeighbourQuery(scoring: .cosine, firstVector: 0, excluded: excluded)], vectors: unitVector, top: top)
        return found[0].map { Neighbour(word: words[$0.row], index: $0.row, score: $0.score) }
    }

    /// Answers many queries in one pass over the matrix per 16 query vectors, in parallel: the fast
    /// path for evaluations and scripts.
    ///
    /// - Throws: `Word2VecError.invalidOption` for a query without positive rows, a row out of range,
    ///   or a 3CosMul query of more than 16 words.
    public func mostSimilar(_ queries: [Query], top: Int = 10, restrictTo: Int? = nil) throws -> [[Neighbour]] {
        for query in queries {
            guard !query.positive.isEmpty || (query.method == .add && !query.negative.isEmpty) else {
                throw Word2VecError.invalidOption("query", "needs at least one positive word")
            }
            guard (query.positive + query.negative).allSatisfy({ $0 >= 0 && $0 < count }) else {
                throw Word2VecError.invalidOption("query", "refers to a row outside 0..<\(count)")
            }
            guard query.method == .add || query.positive.count + query.negative.count <= BlockedDot.width else {
                throw Word2VecError.invalidOption("query", "combines more than \(BlockedDot.width) words by 3CosMul")
            }
        }
        let terms = queries.map {
            TermQuery(positive: $0.positive.map(QueryTerm.row), negative: $0.negative.map(QueryTerm.row), method: $0.method)
        }
        return try search(terms, top: top, restrictTo: restrictTo)
    }

    /// A query whose words may lie outside the rows (`QueryTerm`).
    struct TermQuery {
        var positive: [QueryTerm]
        var negative: [QueryTerm]
        var method: AnalogyMethod
    }

    /// Answers `queries`; the rows among their terms are never answers.
    func search(_ queries: [TermQuery], top: Int, restrictTo: Int?) throws -> [[Neighbour]] {
        for query in queries {
            guard !query.positive.isEmpty || (query.method == .add && !query.negative.isEmpty) else {
                throw Word2VecError.invalidOption("query", "needs at least one positive word")
            }
            guard query.method == .add || query.positive.count + query.negative.count <= BlockedDot.width else {
                throw Word2VecError.invalidOption("query", "combines more than \(BlockedDot.width) words by 3CosMul")
            }
        }
        let (prepared, vectors) = prepare(queries)
        let found = NeighbourSearch(matrix: unit, rowLimit: rowLimit(restrictTo)).run(prepared, vectors: vectors, top: top)
        return found.map { $0.map { Neighbour(word: words[$0.row], index: $0.row, score: $0.score) } }
    }

    func rowLimit(_ restrictTo: Int?) -> Int {
        min(count, max(0, restrictTo ?? count))
    }

    /// Turns queries into search requests and their unit query vectors.
    func prepare(_ queries: [TermQuery]) -> ([NeighbourQuery], [Float]) {
        let dimension = self.dimension
        var vectors: [Float] = []
        vectors.reserveCapacity(queries.count * dimension * 3)
        var prepared: [NeighbourQuery] = []
        prepared.reserveCapacity(queries.count)
        for query in queries {
            let first = vectors.count / max(dimension, 1)
            let excluded = (query.positive + query.negative).compactMap(\.row)
            switch query.method {
            case .add:
                // gensim: the mean of the weighted unit vectors (+1 positive, -1 negative), summed in
                // query order, divided by the number of words, then scaled to unit length.
                var mean = [Float](repeating: 0, count: dimension)
                mean.withUnsafeMutableBufferPointer { mean in
                    for term in query.positive { withUnitVector(term) { VectorKernels.add($0, to: mean.baseAddress!, count: dimension) } }
                    for term in query.negative { withUnitVector(term) { VectorKernels.axpy(-1, $0, mean.baseAddress!, count: dimension) } }
                    let words = Float(query.positive.count + query.negative.count)
                    for d in 0..<dimension { mean[d] /= words }
                    Self.normalize(mean.baseAddress!, count: dimension)
                }
                vectors += mean
                prepared.append(NeighbourQuery(scoring: .cosine, firstVector: first, excluded: excluded))
            case .mul:
                for term in query.positive + query.negative {
                    withUnitVector(term) { vectors += UnsafeBufferPointer(start: $0, count: dimension) }
                }
                prepared.append(NeighbourQuery(
                    scoring: .cosMul(positives: query.positive.count, negatives: query.negative.count),
                    firstVector: first, excluded: excluded))
            }
        }
        return (prepared, vectors)
    }
}
