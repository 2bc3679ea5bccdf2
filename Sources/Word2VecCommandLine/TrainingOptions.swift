import ArgumentParser
import Word2Vec

extension TrainingConfiguration.Architecture: ExpressibleByArgument {
    /// Also gensim's and the papers' names for skip-gram.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "cbow": self = .cbow
        case "skipgram", "skip-gram", "skip_gram", "sg": self = .skipGram
        default: return nil
        }
    }
}

/// The defaults a training command starts from. Words, documents and items want different ones
/// (items: every id counts, nothing is subsampled, more passes), so each command names its own and
/// the help shows each default once, next to its option.
public protocol TrainingDefaults {
    static var configuration: TrainingConfiguration { get }
}

/// The word2vec tool's defaults (`TrainingConfiguration()`).
public enum WordTrainingDefaults: TrainingDefaults {
    public static var configuration: TrainingConfiguration { TrainingConfiguration() }
}

/// The options every training command shares (`train`, `doc2vec train`, `items train`), with the
/// defaults of `Defaults`.
public struct TrainingOptions<Defaults: TrainingDefaults>: ParsableArguments {
    @Option(name: .setting(.architecture), help: "cbow or skipgram (also: sg).") public var model: TrainingConfiguration.Architecture = Defaults.configuration.architecture
    @Flag(name: .setting(.hierarchicalSoftmax), help: "Use hierarchical softmax (with --negative 0 for it alone).") public var hs = Defaults.configuration.loss.usesHierarchicalSoftmax
    @Option(name: .setting(.negatives), help: "Negative samples per prediction (0 = off).") public var negative = Defaults.configuration.negatives
    @Option(name: .setting(.dimension), help: "Vector dimension.") public var dim = Defaults.configuration.dimension
    @Option(name: .setting(.window), help: "Maximum context distance, or full: every other word of the sentence, unshrunk (for baskets and sessions).")
    public var window = WindowSize(Defaults.configuration)
    // With --window full as the default, a number given instead shrinks as in word2vec unless told not to.
    @Flag(name: .setting(.shrinkWindow), inversion: .prefixedNo,
          help: "Draw each word's window size in 1...window (word2vec); --no-shrink-window uses the whole window (for items without order).")
    public var shrinkWindow = Defaults.configuration.shrinkWindow || Defaults.configuration.usesWholeSequenceWindow
    @Option(name: .setting(.sample), help: "Subsampling threshold for frequent words (0 = off).") public var sample = Defaults.configuration.sample
    @Option(name: .setting(.minCount), help: "Ignore words occurring fewer times.") public var minCount = Defaults.configuration.minCount
    @Option(name: .setting(.maxVocabularySize), help: "Keep only the most frequent words.") public var maxVocab: Int?
    @Option(name: .setting(.epochs), help: "Passes over the corpus.") public var epochs = Defaults.configuration.epochs
    @Option(name: .setting(.learningRate), help: ArgumentHelp("Starting learning rate (default: \(Self.alphaDefault)).", valueName: "alpha"))
    public var alpha: Float?
    @Option(name: .setting(.minLearningRate), help: ArgumentHelp("Learning rate reached at the end, decaying linearly from --alpha (default: --alpha x 1e-4 with --hs, --maxn or 8 epochs or more, else --alpha x 0.3).", valueName: "alpha"))
    public var minAlpha: Float?
    @Option(name: .setting(.threads), help: ArgumentHelp("Worker threads (default: the number of CPUs).", valueName: "n")) public var threads: Int?
    @Option(name: .setting(.seed), help: "Random seed; with --threads 1 the output is reproducible.") public var seed: UInt64 = Defaults.configuration.seed
    @Flag(name: .setting(.cbowMean), help: "CBOW: sum the context vectors instead of averaging them.") public var cbowSum = !Defaults.configuration.cbowMean
    @Flag(name: .setting(.sharedNegatives), help: "Skip-gram: the context words of a window share one draw of negatives (pWord2Vec).")
    public var sharedNegatives = Defaults.configuration.sharedNegatives
    @Option(name: .setting(.contextSamples), help: ArgumentHelp("Skip-gram: predict each word from this many context words drawn from its window instead of from all of them (0 = all; default: \(Defaults.configuration.contextSamples)).", valueName: "n"))
    public var contextSamples: Int?
    // Unconditional, so that `--ns-exponent -0.5` is not read as an unknown option -0.5.
    @Option(name: .setting(.noiseExponent), parsing: .unconditional, help: "Exponent of the negative-sampling distribution (negative values favour rare words).")
    public var nsExponent = Defaults.configuration.noiseExponent
    @Option(name: .setting(.maxSentenceLength), help: "Split longer sentences into pieces of this many words.")
    public var maxSentenceLength = Defaults.configuration.maxSentenceLength
    @Option(help: "Distinct words held while counting; beyond, the rarest are pruned (bounds memory: the default fits in 2 GB).")
    public var maxDistinctWords = WordCounts.defaultMaxDistinctWords
    @Option(help: "Objective: ns (negative sampling, the default), hs (hierarchical softmax: --hs --negative 0) or softmax (exact, over the whole vocabulary; fastText's -loss softmax).")
    public var loss: Loss?
    @Flag(name: .setting(.allowLargeSoftmax), help: "Let --loss softmax train more than \(TrainingConfiguration.softmaxVocabularyLimit) words (each prediction scores them all).")
    public var allowLargeSoftmax = false
    @Flag(name: .setting(.cbowConcat), help: "CBOW: concatenate the 2 x window context vectors in position order instead of averaging them (word order matters; the window never shrinks).")
    public var cbowConcat = false
    @Option(name: .setting(.l2), help: ArgumentHelp("L2 weight decay: each step scales the rows it touches by 1 - alpha x lambda (0 = off).", valueName: "lambda"))
    public var l2: Float = 0
    @Option(name: .setting(.subwordMaxLength), help: "Subword vectors: the longest character n-gram (fastText's -maxn); 0 = whole words only. Words outside the vocabulary then get vectors from their n-grams.")
    public var maxn = Defaults.configuration.subwords?.maxLength ?? 0
    @Option(name: .setting(.subwordMinLength), help: "Subword vectors: the shortest character n-gram (with --maxn).")
    public var minn = Defaults.configuration.subwords?.minLength ?? 3
    @Option(name: .setting(.subwordBuckets), help: "Subword vectors: hash buckets for the n-grams (with --maxn); their rows cost bucket x dim floats (800 MB at the default and --dim 100).")
    public var bucket = Defaults.configuration.subwords?.buckets ?? 2_000_000
    @Flag(inversion: .prefixedNo, help: "Write vectors in the binary word2vec format (default: for an output named *.bin).")
    public var binary: Bool?
    @Flag(help: "No progress output.") public var quiet = false

    public init() {}

    public func validate() throws {
        if let loss, hs, loss != .hs {
            throw ValidationError("--hs conflicts with --loss \(loss.rawValue): choose one objective (--loss hs is --hs --negative 0)")
        }
        if negative < 0 { throw ValidationError("--negative must not be negative (got \(negative))") }
        if loss == nil || loss == .ns, !hs, negative == 0 {
            throw ValidationError("--negative is 0 and --hs is off: no training objective is enabled")
        }
    }

    private static var alphaDefault: String {
        if let rate = Defaults.configuration.learningRate { return "\(rate)" }
        return "0.05 cbow, 0.025 skipgram"
    }

    /// The configuration these options describe.
    public var configuration: TrainingConfiguration {
        var configuration = Defaults.configuration
        configuration.architecture = model
        configuration.dimension = dim
        configuration.shrinkWindow = shrinkWindow
        configuration.sample = sample
        configuration.minCount = minCount
        configuration.maxVocabularySize = maxVocab
        configuration.epochs = epochs
        if let alpha { configuration.learningRate = alpha }
        if let minAlpha { configuration.minLearningRate = minAlpha }
        if let threads { configuration.threads = threads }
        configuration.seed = seed
        configuration.cbowMean = !cbowSum
        configuration.sharedNegatives = sharedNegatives
        // The items' default draw is skip-gram's: `--model cbow` alone drops it rather than being refused.
        configuration.contextSamples = contextSamples ?? (model == .skipGram ? Defaults.configuration.contextSamples : 0)
        configuration.noiseExponent = nsExponent
        configuration.maxSentenceLength = maxSentenceLength
        switch loss {
        case nil, .ns?:
            // `validate()` refused the flags that select no objective.
            configuration.loss = TrainingConfiguration.Loss(hierarchicalSoftmax: hs, negatives: negative)
                ?? .negativeSampling(negatives: negative)
        case .hs?: configuration.loss = .hierarchicalSoftmax
        case .softmax?: configuration.loss = .softmax
        }
        configuration.allowLargeSoftmax = allowLargeSoftmax
        configuration.cbowConcat = cbowConcat
        configuration.l2 = l2
        configuration.subwords = maxn > 0 ? CharacterNGrams(minLength: minn, maxLength: maxn, buckets: bucket) : nil
        switch window {
        case let .distance(distance): configuration.window = distance
        // After the sentence length, which the whole window spans.
        case .full: configuration.useWholeSequenceWindow()
        }
        return configuration
    }
}

/// The word2vec format to write `path` in: as `--binary`/`--no-binary` say, else binary for a name
/// ending in `.bin` (the C tool's and gensim's convention, which users of both type) and text
/// otherwise.
public func vectorFormat(for path: String, binary: Bool?) -> VectorFileFormat {
    (binary ?? path.lowercased().hasSuffix(".bin")) ? .binary : .text
}

/// `--window N` or `--window full`.
public enum WindowSize: ExpressibleByArgument, Equatable, CustomStringConvertible {
    case distance(Int)
    case full

    public init(_ configuration: TrainingConfiguration) {
        self = configuration.usesWholeSequenceWindow ? .full : .distance(configuration.window)
    }

    public init?(argument: String) {
        if argument == "full" {
            self = .full
        } else if let distance = Int(argument) {
            self = .distance(distance)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case let .distance(distance): "\(distance)"
        case .full: "full"
        }
    }

    public var defaultValueDescription: String { description }
}

/// `--loss`: the training objective by fastText's names.
public enum Loss: String, ExpressibleByArgument, CaseIterable {
    case ns, hs, softmax
}
