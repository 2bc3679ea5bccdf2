/// How well word vectors' cosine similarities agree with human judgements.
public struct SimilarityEvaluation: Sendable, Equatable {
    /// Pearson's r between judgements and cosines, `nil` if undefined (fewer than two pairs, or
    /// constant values).
    public var pearson: Double?
    /// Spearman's rho (ties ranked by their average rank), `nil` if undefined.
    public var spearman: Double?
    /// Pairs compared.
    public var pairs: Int
    /// Pairs skipped because a word is outside the evaluated vocabulary.
    public var outOfVocabulary: Int
    /// `outOfVocabulary / (pairs + outOfVocabulary)`, 0...1 (gensim reports it in percent).
    public var outOfVocabularyRatio: Double {
        pairs + outOfVocabulary > 0 ? Double(outOfVocabulary) / Double(pairs + outOfVocabulary) : 0
    }
    /// The number of leading rows that took part.
    public var restrictTo: Int
}

extension SimilarityIndex {
    /// Compares the cosine similarity of each pair with its human score, with the semantics of
    /// gensim's `evaluate_word_pairs(restrict_vocab=restrictTo, case_insensitive=...,
    /// dummy4unknown=False)`: only the first `restrictTo` rows take part, words are compared
    /// upper-cased (each standing for the first row with that spelling) unless `caseInsensitive` is
    /// false, and pairs with a word outside those rows are skipped.
    ///
    /// - Parameter source: named in the error message.
    /// - Throws: `Word2VecError.invalidOption` if no pair can be compared (gensim raises too).
    /// - Complexity: O(pairs * dimension + restrictTo * word length).
    public func evaluateSimilarity(
        _ pairs: WordPairs, restrictTo: Int = 300_000, caseInsensitive: Bool = true, source: String = "the word pairs"
    ) throws -> SimilarityEvaluation {
        let vocabulary = EvaluationVocabulary(words: words, restrictTo: restrictTo, caseInsensitive: caseInsensitive)
        var human: [Double] = []
        var model: [Double] = []
        var unknown = 0
        for pair in pairs.pairs {
            guard let a = vocabulary.key(of: pair.first), let b = vocabulary.key(of: pair.second) else {
                unknown += 1
                continue
            }
            human.append(pair.score)
            model.append(Double(similarity(rows: vocabulary.firstRow[a], vocabulary.firstRow[b])))
        }
        guard !human.isEmpty else {
            throw Word2VecError.invalidOption(
                source, "has no pair of words both among the first \(vocabulary.rows) words of the vectors")
        }
        return SimilarityEvaluation(
            pearson: Correlation.pearson(human, model), spearman: Correlation.spearman(human, model),
            pairs: human.count, outOfVocabulary: unknown, restrictTo: vocabulary.rows)
    }
}
