/// The settings of `TrainingConfiguration`, each declared once (see `TrainingSetting`).
///
/// To add a setting: give `TrainingConfiguration` the property (its default and doc comment there),
/// add its `TrainingSetting` to `settings` below (at the end: the order is the model file's), and,
/// if a command sets it, an option in `TrainingOptions` named `.setting(.yours)` with the line
/// that copies it into the configuration. The model file, `validate()`'s bounds, the command line's
/// error messages and other tools' spellings then follow from the declaration.
extension TrainingConfiguration {
    /// Every setting, in the order of the model file's configuration lines (which keeps files
    /// byte-identical to earlier builds': append new settings at the end).
    package static let settings: [TrainingSetting] = [
        .architecture, .dimension, .window, .negatives, .hierarchicalSoftmax, .cbowMean, .sample, .minCount,
        .epochs, .threads, .seed, .maxSentenceLength, .noiseExponent, .maxVocabularySize, .learningRate,
        .minLearningRate, .shrinkWindow, .documentMode, .dbowWords, .tokenizer, .nfkc, .lowercase, .softmax,
        .allowLargeSoftmax, .cbowConcat, .l2, .sharedNegatives, .finalLearningRateFraction,
        .subwordMinLength, .subwordMaxLength, .subwordBuckets, .contextSamples,
    ]

    /// The setting with `name` (`dimension`, `loss.negatives`), if there is one.
    package static func setting(named name: String) -> TrainingSetting? {
        settings.first { $0.name == name }
    }
}

extension TrainingSetting {
    package static let architecture = TrainingSetting(
        \.architecture, name: "architecture", flag: "--model", unknown: "architecture")
    package static let dimension = TrainingSetting(
        \.dimension, name: "dimension", flag: "--dim",
        spellings: Spellings(cTool: "-size", fastText: "-dim", gensim: ["--vector-size", "--size"]),
        bounds: .positive(atMost: 100_000))
    package static let window = TrainingSetting(
        \.window, name: "window", flag: "--window", spellings: Spellings(cTool: "-window", fastText: "-ws"),
        bounds: .positive(atMost: TrainingConfiguration.limits.window))
    /// Part of `loss`: its noise words, 0 without negative sampling (the original tool's `-negative`).
    package static let negatives = TrainingSetting(
        part: "loss.negatives", key: "negative", flag: "--negative",
        spellings: Spellings(cTool: "-negative", fastText: "-neg"),
        get: \.negatives, read: \.negatives,
        check: { configuration in
            guard configuration.outputKinds.contains(.negativeSampling) else { return nil }
            return Bounds.positive(atMost: TrainingConfiguration.limits.negative).problem(configuration.negatives)
        })
    /// Part of `loss`: whether hierarchical softmax is in it (the original tool's `-hs`).
    package static let hierarchicalSoftmax = TrainingSetting(
        part: "loss.hierarchicalSoftmax", key: "hierarchicalSoftmax", flag: "--hs",
        get: \.loss.usesHierarchicalSoftmax, read: \.hierarchicalSoftmax)
    package static let cbowMean = TrainingSetting(\.cbowMean, name: "cbowMean", flag: "--cbow-sum")
    package static let sample = TrainingSetting(
        \.sample, name: "sample", flag: "--sample", spellings: Spellings(cTool: "-sample", fastText: "-t"),
        bounds: .nonNegative())
    package static let minCount = TrainingSetting(
        \.minCount, name: "minCount", flag: "--min-count", spellings: Spellings(cTool: "-min-count", fastText: "-minCount"),
        bounds: .atLeast(1))
    package static let epochs = TrainingSetting(
        \.epochs, name: "epochs", flag: "--epochs",
        spellings: Spellings(cTool: "-iter", fastText: "-epoch", gensim: ["--iter"]),
        bounds: .positive(atMost: TrainingConfiguration.limits.epochs))
    package static let threads = TrainingSetting(
        \.threads, name: "threads", flag: "--threads",
        spellings: Spellings(cTool: "-threads", fastText: "-thread", gensim: ["--workers"]),
        bounds: .positive(atMost: 1024))
    package static let seed = TrainingSetting(
        \.seed, name: "seed", flag: "--seed", spellings: Spellings(fastText: "-seed"))
    package static let maxSentenceLength = TrainingSetting(
        \.maxSentenceLength, name: "maxSentenceLength", flag: "--max-sentence-length",
        bounds: .positive(atMost: TrainingConfiguration.limits.maxSentenceLength))
    // Published values lie in [-1, 1]. Within +-10 every count^exponent (counts below 2^63) and
    // their sum stay normal doubles; beyond, the powers underflow or overflow.
    package static let noiseExponent = TrainingSetting(
        \.noiseExponent, name: "noiseExponent", flag: "--ns-exponent", bounds: .finite(within: -10...10))
    package static let maxVocabularySize = TrainingSetting(
        \.maxVocabularySize, name: "maxVocabularySize", flag: "--max-vocab",
        spellings: Spellings(gensim: ["--max-final-vocab"]), bounds: .positive())
    package static let learningRate = TrainingSetting(
        \.learningRate, name: "learningRate", flag: "--alpha", spellings: Spellings(cTool: "-alpha", fastText: "-lr"),
        bounds: .positive(atMost: TrainingConfiguration.limits.learningRate, "; larger steps diverge"))
    package static let minLearningRate = TrainingSetting(
        \.minLearningRate, name: "minLearningRate", flag: "--min-alpha",
        bounds: .nonNegative(atMost: TrainingConfiguration.limits.learningRate))
    package static let shrinkWindow = TrainingSetting(
        \.shrinkWindow, name: "shrinkWindow", flag: "--shrink-window", omittedWhenDefault: true)
    package static let documentMode = TrainingSetting(
        \.documentMode, name: "documentMode", flag: "--mode", unknown: "document mode")
    package static let dbowWords = TrainingSetting(
        \.dbowWords, name: "dbowWords", flag: "--dbow-words", omittedWhenDefault: true)
    package static let tokenizer = TrainingSetting(
        \.tokenizer, name: "tokenizer", flag: "--tokenizer", unknown: "tokenizer")
    package static let nfkc = TrainingSetting(\.nfkc, name: "nfkc", flag: "--nfkc")
    package static let lowercase = TrainingSetting(
        \.lowercase, name: "lowercase", flag: "--lowercase", omittedWhenDefault: true)
    /// Part of `loss`: whether it is the full softmax (fastText's `-loss softmax`).
    package static let softmax = TrainingSetting(
        part: "loss.softmax", key: "softmax", flag: "--loss softmax", omittedWhenDefault: true,
        get: { $0.loss == .softmax }, read: \.softmax)
    package static let allowLargeSoftmax = TrainingSetting(
        \.allowLargeSoftmax, name: "allowLargeSoftmax", flag: "--allow-large-softmax", omittedWhenDefault: true)
    package static let cbowConcat = TrainingSetting(
        \.cbowConcat, name: "cbowConcat", flag: "--cbow-concat", omittedWhenDefault: true)
    package static let l2 = TrainingSetting(
        \.l2, name: "l2", flag: "--l2", bounds: .nonNegative(), omittedWhenDefault: true)
    package static let sharedNegatives = TrainingSetting(
        \.sharedNegatives, name: "sharedNegatives", flag: "--shared-negatives", omittedWhenDefault: true)
    package static let finalLearningRateFraction = TrainingSetting(
        \.finalLearningRateFraction, name: "finalLearningRateFraction", flag: nil, bounds: .between(0...1))
    /// Part of `subwords`: the shortest character n-gram (fastText's `-minn`); no line without subwords.
    package static let subwordMinLength = TrainingSetting(
        part: "subwords.minLength", key: "minn", flag: "--minn", spellings: Spellings(fastText: "-minn"),
        omittedWhenDefault: true, get: { $0.subwords?.minLength ?? 0 }, read: \.subwordMinLength,
        check: { configuration in configuration.subwords.flatMap { Bounds.atLeast(1).problem($0.minLength) } })
    /// Part of `subwords`: the longest character n-gram (fastText's `-maxn`, where 0 turns subwords off).
    package static let subwordMaxLength = TrainingSetting(
        part: "subwords.maxLength", key: "maxn", flag: "--maxn", spellings: Spellings(fastText: "-maxn"),
        omittedWhenDefault: true, get: { $0.subwords?.maxLength ?? 0 }, read: \.subwordMaxLength,
        check: { configuration in
            guard let subwords = configuration.subwords else { return nil }
            if configuration.documentMode != nil { return "applies to word models only, not to paragraph vectors" }
            // Longer n-grams than the longest words add rows that no word uses.
            return Bounds.atLeast(subwords.minLength).and(.positive(atMost: 100)).problem(subwords.maxLength)
        })
    /// Part of `subwords`: the rows n-grams are hashed into (fastText's `-bucket`). fastText's hash
    /// has 32 bits, and the rows must fit in memory's address arithmetic.
    package static let subwordBuckets = TrainingSetting(
        part: "subwords.buckets", key: "bucket", flag: "--bucket", spellings: Spellings(fastText: "-bucket"),
        omittedWhenDefault: true, get: { $0.subwords?.buckets ?? 0 }, read: \.subwordBuckets,
        check: { configuration in
            guard let subwords = configuration.subwords else { return nil }
            return Bounds.positive(atMost: min(Int(Int32.max), Int.max / 4 / max(configuration.dimension, 1)))
                .problem(subwords.buckets)
        })
    package static let contextSamples = TrainingSetting(
        \.contextSamples, name: "contextSamples", flag: "--context-samples",
        bounds: Bounds { value in
            value < 0 || value > TrainingConfiguration.limits.window
                ? "must be between 0 and \(TrainingConfiguration.limits.window) (got \(value))" : nil
        },
        omittedWhenDefault: true)
}
