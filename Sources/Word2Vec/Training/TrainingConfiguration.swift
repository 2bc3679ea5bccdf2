#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every setting of a training run, with the defaults of the original word2vec tool.
public struct TrainingConfiguration: Sendable, Equatable {
    /// How the context of a word is turned into a prediction.
    public enum Architecture: String, Sendable, CaseIterable {
        /// Continuous bag of words: predict a word from the sum or mean of its context's vectors.
        case cbow
        /// Skip-gram: predict a word from each context word's vector in turn.
        case skipGram = "skipgram"
    }

    public var architecture: Architecture = .cbow
    /// Length of the word vectors.
    public var dimension = 100
    /// Maximum distance between a word and its context words; each word draws its own window in
    /// `1...window`, which weighs near words more (see `shrinkWindow`).
    public var window = 5
    /// Whether each word draws its window in `1...window` (word2vec's default, which weighs near
    /// words more) or always uses all of it. Sets of items without a meaningful order (a basket, a
    /// session) want the whole window; with `window >= maxSentenceLength` every other item of a
    /// sequence is then context.
    public var shrinkWindow = true
    /// The training objective: negative sampling with 5 noise words, as in the original tool.
    public var loss = Loss.negativeSampling(negatives: 5)
    /// CBOW hidden layer: mean of the context vectors (true) or their sum.
    public var cbowMean = true
    /// Subsampling threshold for frequent words; 0 disables subsampling.
    public var sample = 1e-3
    /// Words occurring fewer times are dropped from the vocabulary.
    public var minCount = 5
    /// Keep at most this many of the most frequent words.
    public var maxVocabularySize: Int? = nil
    /// Passes over the corpus.
    public var epochs = 5
    /// Starting learning rate; `nil` means 0.05 for CBOW and 0.025 for skip-gram. It decays linearly
    /// to `minLearningRate` over all epochs.
    public var learningRate: Float? = nil
    /// The learning rate reached at the end of the run (gensim's `min_alpha`); `nil` means
    /// `defaultFinalLearningRateFraction` times the starting rate.
    public var minLearningRate: Float? = nil

    /// Where the learning rate ends when `minLearningRate` is not set, as a fraction of where it
    /// starts; `nil` means `defaultFinalLearningRateFraction`.
    public var finalLearningRateFraction: Float? = nil

    /// 0.3 for whole-word models with negative sampling alone trained for fewer than
    /// `annealedEpochs` epochs, else 1e-4 (the original tool's floor). In a short run the original
    /// floor spends the last epoch at rates too small to move words seen only tens of times, which
    /// cost negative sampling accuracy against gensim; given more epochs those words are trained
    /// enough before the end, and the annealed end then gains more than the high floor. Hierarchical
    /// softmax, paragraph vectors and subwords (whose n-gram rows every word shares) did better with
    /// the annealed end at any length (docs/performance-notes.md, "Small corpora", "Subwords" and
    /// "The speed-quality frontier"; `TrainingConfiguration.items` sets 1e-4 too).
    public var defaultFinalLearningRateFraction: Float {
        finalLearningRateFraction
            ?? (loss.usesHierarchicalSoftmax || documentMode != nil || subwords != nil || epochs >= Self.annealedEpochs ? 1e-4 : 0.3)
    }

    /// The epoch count from which whole-word negative sampling ends at 1e-4 of its starting rate
    /// rather than 0.3 of it (`defaultFinalLearningRateFraction`).
    public static let annealedEpochs = 8
    /// Worker threads.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Seed of all random draws; with one thread, equal seeds give bit-identical models.
    public var seed: UInt64 = 1
    /// Longer sentences are split into pieces of this many words.
    public var maxSentenceLength = 10_000
    /// Exponent applied to counts in the negative-sampling noise distribution.
    public var noiseExponent = 0.75
    /// Paragraph vectors: how document vectors are trained with the words (Le & Mikolov 2014), or
    /// `nil` for word vectors alone. In the `dm` modes `architecture` and `cbowMean` are not used.
    public var documentMode: DocumentMode? = nil
    /// PV-DBOW only: also train word vectors by skip-gram over the same text, interleaved with the
    /// document vectors (without it, PV-DBOW leaves the word vectors at their random start).
    public var dbowWords = false
    /// How the training text was cut into words, or `nil` if not recorded (a model of an earlier
    /// build, or a corpus split by the caller). Training does not use it; it is stored in the model
    /// so that resuming or updating cuts new text the same way.
    public var tokenizer: Tokenizer? = nil
    /// Whether the training text was normalised to NFKC before it was cut (`TextSegmenter.nfkc`),
    /// or `nil` if not recorded.
    public var nfkc: Bool? = nil
    /// Whether the training text's words were lowercased (`TextSegmenter.lowercase`). Recorded with
    /// `tokenizer`; a model that does not record it was not lowercased.
    public var lowercase = false
    /// Lets `Loss.softmax` train a vocabulary larger than `softmaxVocabularyLimit`.
    public var allowLargeSoftmax = false
    /// CBOW with a concatenated projection: `h` is the `2 x window` context vectors in position
    /// order (a padding vector beyond the sentence's ends), and the output rows are
    /// `2 x window x dimension` wide. The window never shrinks. Word models only.
    public var cbowConcat = false
    /// L2 penalty `lambda`: every SGD step scales the rows it touches by `1 - learningRate x lambda`
    /// (see `WeightDecay`); 0 disables it.
    public var l2: Float = 0
    /// Skip-gram with negative sampling: the context words of a window share one draw of noise
    /// words and take their steps together (pWord2Vec, Ji et al. 2016), which touches fewer random
    /// output rows. Measured in docs/performance-notes.md.
    public var sharedNegatives = false
    /// Subword vectors (fastText's scheme, Bojanowski et al. 2017): a word's input vector is the mean
    /// of its own row and the rows of its character n-grams, so that words outside the vocabulary
    /// get vectors from their n-grams. `nil` (the default) trains whole-word vectors. Word models
    /// only. The bucket rows cost `buckets x dimension` floats (800 MB at fastText's 2,000,000 x 100).
    public var subwords: CharacterNGrams? = nil
    /// Skip-gram: each word predicted from this many context words drawn uniformly (with
    /// replacement) from its window, when the window holds more; 0 uses every context word. With
    /// a whole-sequence window (`useWholeSequenceWindow()`) a sequence of length L then costs
    /// O(L x contextSamples) predictions per epoch instead of O(L^2), and every context word keeps
    /// the same chance to be drawn, however far from the centre. `TrainingConfiguration.items` sets it.
    public var contextSamples = 0

    public init() {}

    /// Makes every other word of a sentence piece (up to `maxSentenceLength` apart) the context of
    /// each word, for baskets and sessions whose order means nothing (`--window full`): the window
    /// covers a whole piece and is not shrunk.
    public mutating func useWholeSequenceWindow() {
        window = maxSentenceLength
        shrinkWindow = false
    }

    /// Whether the window covers whole sentence pieces (`useWholeSequenceWindow()`).
    public var usesWholeSequenceWindow: Bool {
        !shrinkWindow && window >= maxSentenceLength
    }

    /// The learning rate the run starts with.
    public var initialLearningRate: Float {
        learningRate ?? (architecture == .cbow && documentMode == nil ? 0.05 : 0.025)
    }

    /// Width of the hidden layer that the objectives' output rows match: `dimension`, or for
    /// PV-DM with concatenation the document vector and the `2 * window` context vectors side by side.
    public var hiddenWidth: Int {
        if documentMode == .dmConcat { return dimension * (1 + 2 * window) }
        if usesConcatenatedWords { return dimension * 2 * window }
        return dimension
    }

    /// Upper bounds of the settings whose huge values would overflow arithmetic, allocate without
    /// limit or never finish. Each is far beyond any useful value:
    /// - `window`: a context wider than any sentence piece (`maxSentenceLength`) adds nothing.
    /// - `maxSentenceLength`: every worker holds two buffers of this many 32-bit word indices
    ///   (80 MB per thread at the bound).
    /// - `negative`: each prediction costs `negative + 1` dot products; published settings use 5-25.
    /// - `epochs`: a million passes over even a tiny corpus take days.
    /// - `learningRate`: 5 to 10 times the defaults. Above it the weights overflow: on a small corpus
    ///   skip-gram at 0.5 ended with every vector NaN, and at 1e30 the first updates did.
    package static let limits = (
        window: 1_000_000, maxSentenceLength: 10_000_000, negative: 10_000, epochs: 1_000_000,
        learningRate: Float(0.25)
    )

    /// Throws `Word2VecError.invalidConfiguration` naming the first setting out of range: first
    /// each setting's own bounds (`TrainingConfiguration.settings`, in their order), then the rules
    /// that tie settings together.
    public func validate() throws {
        func require(_ ok: Bool, _ name: String, _ problem: String) throws {
            if !ok { throw Word2VecError.invalidConfiguration(setting: "TrainingConfiguration." + name, problem: problem) }
        }
        for setting in Self.settings {
            if let problem = setting.problem(in: self) {
                throw Word2VecError.invalidConfiguration(setting: "TrainingConfiguration." + setting.name, problem: problem)
            }
        }
        try require(!dbowWords || documentMode == .dbow, "dbowWords", "applies to TrainingConfiguration.documentMode dbow only")
        try require(!sharedNegatives || (architecture == .skipGram && documentMode == nil && negatives > 0),
                    "sharedNegatives", "applies to skip-gram word models with negative sampling only")
        try require(contextSamples == 0 || (architecture == .skipGram && documentMode == nil) || dbowWords,
                    "contextSamples", "applies to skip-gram (and PV-DBOW's word training) only")
        // Skip-gram over subwords batches a window's steps its own way (`SkipGram.trainComposed`).
        try require(!sharedNegatives || subwords == nil, "sharedNegatives", "does not apply to subword models")
        if documentMode == .dmConcat {
            // The output rows are (1 + 2 window) x dimension floats each.
            try require(window <= 1_000, "window", "must be at most 1000 with dm-concat (got \(window))")
            try require(dimension * (1 + 2 * window) <= 10_000_000, "dimension",
                        "times 1 + 2 x TrainingConfiguration.window must be at most 10000000 with dm-concat (got \(dimension) x \(1 + 2 * window))")
        }
        // After the learning rates, which the L2 check multiplies.
        try validateOpenQuestionOptions()
    }
}
