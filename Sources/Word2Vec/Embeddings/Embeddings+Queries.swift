/// gensim's `KeyedVectors` verbs on the vectors themselves.
///
/// ```swift
/// let vectors = try Embeddings.load(path: "vectors.bin")
/// let queen = try vectors.mostSimilar(positive: ["king", "woman"], negative: ["man"], top: 1)
/// let odd = try vectors.doesntMatch(["breakfast", "cereal", "dinner", "lunch"])
/// let king = try vectors.vector(for: "king")
/// ```
///
/// These are the verbs of `SimilarityIndex`, with the same names, labels and answers: each forwards
/// to an index over these embeddings. The first query scales every row to unit length once, into
/// memory that every copy of these embeddings and every `SimilarityIndex` over them then shares (a
/// model file that stores unit rows is used in place). Later queries cost no pass over the vectors
/// but their own search; queries may run on several threads at once. Changing `vectors` after the
/// first query is not seen by queries.
///
/// Unlike gensim, which skips unknown words with a logged warning, every verb throws
/// `Word2VecError.unknownWord` naming the first unknown word, so that a typo cannot silently change
/// an answer; callers that want gensim's leniency filter the words with `index(of:)` first.
extension Embeddings {
    /// Cosine similarity of two words: gensim's `similarity(w1, w2)`. O(dimension) once the rows
    /// are normalised.
    /// - Throws: `Word2VecError.unknownWord` naming the first unknown word.
    public func similarity(_ a: String, _ b: String) throws -> Float {
        try SimilarityIndex(self).similarity(a, b)
    }

    /// The `top` words nearest to the `positive` words and away from the `negative` ones, best first:
    /// gensim's `most_similar(positive, negative, topn, restrict_vocab)`. The query words themselves
    /// are never part of the answer.
    ///
    /// - Parameters:
    ///   - positive: words the answer should be near.
    ///   - negative: words the answer should be far from.
    ///   - top: how many words to return, at most.
    ///   - restrictTo: only the first `restrictTo` rows are candidates (all when `nil`).
    /// - Throws: `Word2VecError.unknownWord`; `.invalidOption` when no word is given.
    /// - Complexity: O(self.count x dimension), in parallel; the first query also normalises the rows.
    public func mostSimilar(
        positive: [String], negative: [String] = [], top: Int = 10, restrictTo: Int? = nil
    ) throws -> [Neighbour] {
        try SimilarityIndex(self).mostSimilar(positive: positive, negative: negative, top: top, restrictTo: restrictTo)
    }

    /// The `top` words nearest by cosine to `vector` (any length), leaving out the rows `excluded`:
    /// gensim's `similar_by_vector`.
    /// - Throws: `Word2VecError.dimensionMismatch` if `vector` has not `dimension` components.
    public func mostSimilar(
        to vector: [Float], top: Int = 10, excluding excluded: [Int] = [], restrictTo: Int? = nil
    ) throws -> [Neighbour] {
        try SimilarityIndex(self).mostSimilar(to: vector, top: top, excluding: excluded, restrictTo: restrictTo)
    }

    /// Answers many queries given by rows in one pass over the matrix per 16 query vectors (see
    /// `SimilarityIndex.mostSimilar(_:top:restrictTo:)`).
    /// - Throws: `Word2VecError.invalidOption` for a query without positive rows, a row out of range,
    ///   or a 3CosMul query of more than 16 words.
    public func mostSimilar(
        _ queries: [SimilarityIndex.Query], top: Int = 10, restrictTo: Int? = nil
    ) throws -> [[Neighbour]] {
        try SimilarityIndex(self).mostSimilar(queries, top: top, restrictTo: restrictTo)
    }

    /// The words `d` completing "`a` is to `b` as `c` is to `d`", best first, by 3CosAdd (gensim's
    /// `most_similar(positive: [b, c], negative: [a])`) or 3CosMul (`most_similar_cosmul`).
    /// - Throws: `Word2VecError.unknownWord`.
    public func analogy(
        _ a: String, _ b: String, _ c: String, method: AnalogyMethod = .add, top: Int = 10, restrictTo: Int? = nil
    ) throws -> [Neighbour] {
        try SimilarityIndex(self).analogy(a, b, c, method: method, top: top, restrictTo: restrictTo)
    }

    /// Cosine similarity of two sets of words, gensim 4's `n_similarity`: the cosine of the means of
    /// each set's raw vectors (see `SimilarityIndex.nSimilarity`).
    /// - Throws: `Word2VecError.unknownWord`; `.invalidOption` for an empty set.
    public func nSimilarity(_ a: [String], _ b: [String]) throws -> Float {
        try SimilarityIndex(self).nSimilarity(a, b)
    }

    /// The word that fits least with the others, gensim's `doesnt_match`: the last of
    /// `rankByCentrality(_:)`.
    /// - Throws: `Word2VecError.unknownWord`; `.invalidOption` for an empty list.
    public func doesntMatch(_ words: [String]) throws -> String {
        try SimilarityIndex(self).doesntMatch(words)
    }

    /// The words ranked by cosine with the normalised mean of their unit vectors, most central first:
    /// gensim's `rank_by_centrality`.
    /// - Throws: `Word2VecError.unknownWord`; `.invalidOption` for an empty list.
    public func rankByCentrality(_ words: [String]) throws -> [Neighbour] {
        try SimilarityIndex(self).rankByCentrality(words)
    }

    /// The mean of the words' unit vectors, not itself normalised: gensim's `get_mean_vector` with its
    /// defaults, fastText's sentence vector for words without subwords.
    /// - Throws: `Word2VecError.unknownWord`; `.invalidOption` for an empty list.
    public func meanVector(of words: [String]) throws -> [Float] {
        try SimilarityIndex(self).meanVector(of: words)
    }
}
