/// gensim `KeyedVectors` verbs beyond nearest-neighbour search: set similarity, the odd word out, and
/// mean vectors (fastText's sentence vectors).
///
/// Unlike gensim, which skips unknown words with a logged warning (or none at all in
/// `n_similarity`), every verb here throws `Word2VecError.unknownWord` naming the first unknown word,
/// so that a typo cannot silently change an answer; callers that want gensim's leniency filter the
/// words with `index(of:)` first.
extension SimilarityIndex {
    /// A copy of the raw (not normalised) vector of `word`: gensim's `vectors[word]`. O(dimension).
    /// - Throws: `Word2VecError.unknownWord` naming `word`.
    public func vector(for word: String) throws -> [Float] {
        try embeddings.vector(for: word)
    }

    /// Cosine similarity of two words: gensim's `similarity(w1, w2)`, the dot product of their unit
    /// rows. O(dimension).
    /// - Throws: `Word2VecError.unknownWord` naming the first unknown word.
    public func similarity(_ a: String, _ b: String) throws -> Float {
        let (first, second) = (try term(for: a), try term(for: b))
        if let i = first.row, let j = second.row { return similarity(rows: i, j) }
        return withUnitVector(first) { x in withUnitVector(second) { y in VectorKernels.dot(x, y, count: dimension) } }
    }

    /// Cosine similarity of two sets of words, gensim 4's `n_similarity(ws1, ws2)`: the cosine of the
    /// mean of each set's *raw* vectors. (gensim 4 averages the raw vectors here, not the unit ones, so
    /// a long vector weighs more; `meanVector(of:)` and `doesntMatch(_:)` use unit vectors, as gensim's
    /// do.) Repeated words count as often as they appear. O((a.count + b.count) * dimension).
    ///
    /// - Returns: a value in [-1, 1]; 0 when either mean is the zero vector.
    /// - Throws: `Word2VecError.invalidOption` for an empty set, `.unknownWord` for an unknown word.
    public func nSimilarity(_ a: [String], _ b: [String]) throws -> Float {
        guard !a.isEmpty, !b.isEmpty else {
            throw Word2VecError.invalidOption("n-similarity", "needs at least one word in each set")
        }
        var first = try rawMean(a.map(term(for:)))
        var second = try rawMean(b.map(term(for:)))
        let dimension = self.dimension
        first.withUnsafeMutableBufferPointer { Self.normalize($0.baseAddress!, count: dimension) }
        second.withUnsafeMutableBufferPointer { Self.normalize($0.baseAddress!, count: dimension) }
        return VectorKernels.dot(first, second, count: dimension)
    }

    /// The mean of the words' unit vectors, not itself normalised: gensim's
    /// `get_mean_vector(words)` with its defaults, and fastText's sentence vector for words without
    /// subwords. A zero vector in the file contributes zero but still counts in the mean (gensim
    /// also divides by every known word; fastText skips zero vectors). O(words.count * dimension).
    ///
    /// - Throws: `Word2VecError.invalidOption` for an empty list, `.unknownWord` for an unknown word.
    public func meanVector(of words: [String]) throws -> [Float] {
        guard !words.isEmpty else {
            throw Word2VecError.invalidOption("mean vector", "needs at least one word")
        }
        return unitMean(try words.map(term(for:)))
    }

    /// The words ranked by cosine with the normalised mean of their unit vectors, most central first:
    /// gensim's `rank_by_centrality(words)`. Equal scores are ordered by word, descending, as
    /// gensim's `sorted(..., reverse=True)` of (score, word) pairs orders them; repeated words are
    /// ranked once per occurrence. O(words.count * dimension).
    ///
    /// - Returns: one `Neighbour` per given word, its score the cosine with the mean (its `index` -1
    ///   for a word outside the vocabulary, with subwords).
    /// - Throws: `Word2VecError.invalidOption` for an empty list, `.unknownWord` for an unknown word.
    public func rankByCentrality(_ words: [String]) throws -> [Neighbour] {
        guard !words.isEmpty else {
            throw Word2VecError.invalidOption("ranking", "needs at least one word")
        }
        let terms = try words.map(term(for:))
        var mean = unitMean(terms)
        let dimension = self.dimension
        mean.withUnsafeMutableBufferPointer { Self.normalize($0.baseAddress!, count: dimension) }
        let ranked = zip(words, terms).map { word, term in
            Neighbour(word: word, index: term.row ?? -1,
                      score: withUnitVector(term) { VectorKernels.dot($0, mean, count: dimension) })
        }
        return ranked.sorted { x, y in
            if x.score != y.score { return x.score > y.score }
            // Python compares strings by code point; Swift's `<` uses canonical equivalence instead.
            return y.word.unicodeScalars.lexicographicallyPrecedes(x.word.unicodeScalars, by: { $0.value < $1.value })
        }
    }

    /// The word that fits least with the others: the last of `rankByCentrality(_:)` (whose score is
    /// its cosine with the normalised mean of the unit vectors), gensim's `doesnt_match(words)`.
    ///
    /// - Throws: `Word2VecError.invalidOption` for an empty list, `.unknownWord` for an unknown word.
    public func doesntMatch(_ words: [String]) throws -> String {
        try rankByCentrality(words).last!.word
    }

    /// Mean of the unit rows; `rows` is not empty.
    private func unitMean(_ terms: [QueryTerm]) -> [Float] {
        mean(terms.map { term in withUnitVector(term) { Array(UnsafeBufferPointer(start: $0, count: dimension)) } })
    }

    /// Mean of the raw rows; `rows` is not empty.
    private func rawMean(_ terms: [QueryTerm]) -> [Float] {
        mean(terms.map { term in
            switch term {
            case let .row(row): embeddings.vectors.row(row)
            case let .vector(vector): vector
            }
        })
    }

    /// Sums in the given order then divides, as numpy's `mean += vec` loop in gensim does.
    private func mean(_ vectors: [[Float]]) -> [Float] {
        let dimension = self.dimension
        var mean = [Float](repeating: 0, count: dimension)
        mean.withUnsafeMutableBufferPointer { mean in
            for vector in vectors { VectorKernels.add(vector, to: mean.baseAddress!, count: dimension) }
            let count = Float(vectors.count)
            for d in 0..<dimension { mean[d] /= count }
            // The rows are finite, so their mean is; only a Float sum near the limit overflows.
            // Such components are summed again in double precision.
            for d in 0..<dimension where !mean[d].isFinite {
                var sum = 0.0
                for vector in vectors { sum += Double(vector[d]) }
                mean[d] = Float(sum / Double(vectors.count))
            }
        }
        return mean
    }
}
