/// The settings that answer the open questions of the word2vec material: the full softmax,
/// a concatenated CBOW projection and L2 weight decay. Kept apart from the core settings so that the
/// checks read as one list.
extension TrainingConfiguration {
    /// The largest vocabulary `Loss.softmax` trains without `allowLargeSoftmax`. Each prediction
    /// scores every word and updates every output row, so its cost grows linearly with the
    /// vocabulary; beyond this a run takes days where negative sampling takes minutes
    /// (docs/open-questions.md).
    public static let softmaxVocabularyLimit = 10_000

    /// Whether this is a word model whose CBOW projection concatenates the context vectors.
    public var usesConcatenatedWords: Bool { cbowConcat && documentMode == nil && architecture == .cbow }

    /// Checks `Loss.softmax`, `cbowConcat`, and `l2` against the learning rate (called by
    /// `validate()`, after the settings' own bounds).
    func validateOpenQuestionOptions() throws {
        func require(_ ok: Bool, _ name: String, _ problem: String) throws {
            if !ok { throw Word2VecError.invalidConfiguration(setting: "TrainingConfiguration." + name, problem: problem) }
        }
        if loss == .softmax {
            try require(documentMode == nil, "loss.softmax", "trains word models only, not paragraph vectors")
        }
        if cbowConcat {
            try require(documentMode == nil, "cbowConcat", "is for word models; paragraph vectors use TrainingConfiguration.documentMode dm-concat")
            try require(architecture == .cbow, "cbowConcat", "needs TrainingConfiguration.architecture cbow (skip-gram has no projection to concatenate)")
            // The output rows are 2 window x dimension floats each.
            try require(window <= 1_000, "window", "must be at most 1000 with TrainingConfiguration.cbowConcat (got \(window))")
            try require(dimension * 2 * window <= 10_000_000, "dimension",
                        "times 2 x TrainingConfiguration.window must be at most 10000000 with TrainingConfiguration.cbowConcat (got \(dimension) x \(2 * window))")
        }
        // A step scales a row by 1 - rate x lambda; at or beyond 1 it would flip or zero the rows.
        try require(l2 == 0 || l2 * max(initialLearningRate, minLearningRate ?? 0) < 1, "l2",
                    "times the learning rate must be below 1, or a step would zero the rows (got \(l2) x \(initialLearningRate))")
    }

    /// Throws if `loss` is the full softmax and `vocabularySize` exceeds `softmaxVocabularyLimit` without
    /// `allowLargeSoftmax`.
    func checkSoftmaxVocabulary(_ vocabularySize: Int) throws {
        guard loss == .softmax, !allowLargeSoftmax, vocabularySize > Self.softmaxVocabularyLimit else { return }
        throw Word2VecError.invalidConfiguration(
            setting: "TrainingConfiguration.loss.softmax",
            problem: "over \(vocabularySize) words exceeds \(Self.softmaxVocabularyLimit): every prediction scores the whole vocabulary; raise TrainingConfiguration.minCount, set TrainingConfiguration.maxVocabularySize, or set TrainingConfiguration.allowLargeSoftmax")
    }
}
