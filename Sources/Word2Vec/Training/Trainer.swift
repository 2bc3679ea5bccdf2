import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Trains word2vec models.
///
/// ```swift
/// var configuration = TrainingConfiguration()
/// configuration.architecture = .skipGram
/// let model = try Trainer(configuration: configuration).train(corpus: TextFileCorpus(path: "text.txt"))
/// let vector = model.embeddings.vector(for: "king")
/// ```
///
/// Threads share the weight matrices without locks; each reads its own part of the corpus, so every
/// word is visited exactly once per epoch. The learning rate decays linearly with the number of words
/// processed by all threads together.
public struct Trainer: Sendable {
    public let configuration: TrainingConfiguration

    /// How often (in words per thread) a worker refreshes the learning rate and reports progress.
    static let refreshInterval = 10_000

    public init(configuration: TrainingConfiguration) {
        self.configuration = configuration
    }

    /// Counts `corpus` and applies `minCount` and `maxVocabularySize`.
    /// - Throws: `Word2VecError.emptyCorpus` or `.noWordReachesMinCount` if nothing is left to train.
    public func buildVocabulary(from corpus: some TrainingCorpus) throws -> Vocabulary {
        try configuration.validate()
        let counts = try corpus.countWords()
        guard counts.tokenCount > 0 else { throw Word2VecError.emptyCorpus(corpus.name) }
        let vocabulary = Vocabulary(
            counts: counts, minCount: configuration.minCount, maxSize: configuration.maxVocabularySize)
        guard vocabulary.count > 0 else {
            throw Word2VecError.noWordReachesMinCount(corpus.name, minCount: configuration.minCount)
        }
        return vocabulary
    }

    /// Trains a new model on `corpus`.
    ///
    /// - Parameters:
    ///   - vocabulary: the words to learn; built from `corpus` when `nil`.
    ///   - progress: called with progress and per-epoch loss, from worker threads.
    public func train(
        corpus: some TrainingCorpus, vocabulary: Vocabulary? = nil,
        progress: (@Sendable (TrainingEvent) -> Void)? = nil
    ) throws -> Model {
        try configuration.validate()
        let vocabulary = try vocabulary ?? buildVocabulary(from: corpus)
        guard vocabulary.count > 0 else {
            throw Word2VecError.noWordReachesMinCount(corpus.name, minCount: configuration.minCount)
        }
        let dimension = configuration.dimension
        // Built before the matrices so that its temporary arrays come and go while memory is low.
        let tree = configuration.hierarchicalSoftmax
            ? HuffmanTree(sortedCounts: vocabulary.counts) : nil
        // Input vectors start uniform in [-1/dim, 1/dim), drawn with the original tool's generator and
        // 16-bit resolution but over twice its range: the range gensim and fastText use. On the
        // benchmark corpus the original's narrower start cost CBOW with negative sampling 1-2 points
        // of analogy accuracy against gensim and changed nothing elsewhere. Output weights start at 0.
        var initializer = LinearCongruentialGenerator(seed: configuration.seed)
        let scale = 2 / Float(dimension)
        let input = Matrix(rows: vocabulary.count, columns: dimension) {
            (Float(initializer.next() & 0xFFFF) / 65536 - 0.5) * scale
        }
        let model = Model(
            vocabulary: vocabulary, configuration: configuration, input: input,
            hierarchicalOutput: tree.map { Matrix(rows: $0.innerNodeCount, columns: dimension) },
            negativeOutput: configuration.negative > 0 ? Matrix(rows: vocabulary.count, columns: dimension) : nil)
        try TrainingRun(model: model, corpus: corpus, tree: tree, progress: progress).run()
        return model
    }
}

/// The state of one call to `Trainer.train`, shared by its worker threads.
private final class TrainingRun<Corpus: TrainingCorpus>: @unchecked Sendable {
    let model: Model
    let corpus: Corpus
    let tree: HuffmanTree?
    let progress: (@Sendable (TrainingEvent) -> Void)?
    let configuration: TrainingConfiguration
    let keepProbabilities: [Float]
    let noise: NoiseDistribution?
    let totalWords: Double
    let processedWords = Atomic<Int>(0)
    let failure = Mutex<Error?>(nil)
    let start = DispatchTime.now()
    var workers: [WorkerState]

    init(model: Model, corpus: Corpus, tree: HuffmanTree?,
         progress: (@Sendable (TrainingEvent) -> Void)?) {
        self.model = model
        self.corpus = corpus
        self.tree = tree
        self.progress = progress
        configuration = model.configuration
        keepProbabilities = model.vocabulary.keepProbabilities(sample: configuration.sample)
        noise = configuration.negative > 0
            ? NoiseDistribution(counts: model.vocabulary.counts, exponent: configuration.noiseExponent) : nil
        totalWords = Double(configuration.epochs) * Double(model.vocabulary.totalCount) + 1
        let configuration = model.configuration
        workers = (0..<configuration.threads).map { t in
            WorkerState(
                seed: configuration.seed &+ UInt64(t) &* 0x9E37_79B9,
                dimension: configuration.dimension, maxSentenceLength: configuration.maxSentenceLength)
        }
    }

    deinit { for worker in workers { worker.deallocate() } }

    var elapsedSeconds: Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    func learningRate(processed: Int) -> Float {
        let initial = configuration.initialLearningRate
        return initial * Float(max(1 - Double(processed) / totalWords, 1e-4))
    }

    func run() throws {
        let threads = configuration.threads
        for epoch in 0..<configuration.epochs {
            for t in 0..<threads {
                workers[t].loss = 0
                workers[t].predictions = 0
            }
            workers.withUnsafeMutableBufferPointer { workers in
                nonisolated(unsafe) let workers = workers
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    do {
                        try self.work(part: t, epoch: epoch, state: &workers[t])
                    } catch {
                        self.failure.withLock { if $0 == nil { $0 = error } }
                    }
                }
            }
            if let error = failure.withLock({ $0 }) { throw error }
            if let progress {
                let predictions = workers.reduce(0) { $0 + $1.predictions }
                let loss = workers.reduce(0) { $0 + $1.loss }
                let elapsed = elapsedSeconds
                progress(.epochFinished(EpochSummary(
                    epoch: epoch, epochs: configuration.epochs,
                    meanLoss: predictions > 0 ? loss / Double(predictions) : 0, predictions: predictions,
                    wordsPerSecond: Double(processedWords.load(ordering: .relaxed)) / max(elapsed, 1e-9),
                    elapsedSeconds: elapsed)))
            }
        }
    }

    /// One worker's pass over its part of the corpus, specialised for the configured objective.
    private func work(part: Int, epoch: Int, state: inout WorkerState) throws {
        let input = model.input
        switch (model.hierarchicalOutput, model.negativeOutput) {
        case let (hs?, ns?):
            var objective = CombinedObjective(
                HierarchicalSoftmax(output: hs, tree: tree!),
                NegativeSampling(output: ns, negatives: configuration.negative, noise: noise!))
            try work(part: part, epoch: epoch, input: input, objective: &objective, state: &state)
        case let (hs?, nil):
            var objective = HierarchicalSoftmax(output: hs, tree: tree!)
            try work(part: part, epoch: epoch, input: input, objective: &objective, state: &state)
        case let (nil, ns?):
            var objective = NegativeSampling(output: ns, negatives: configuration.negative, noise: noise!)
            try work(part: part, epoch: epoch, input: input, objective: &objective, state: &state)
        case (nil, nil):
            preconditionFailure("validated configurations have an objective")
        }
    }

    private func work<O: Objective>(
        part: Int, epoch: Int, input: Matrix, objective: inout O, state: inout WorkerState
    ) throws {
        let window = configuration.window
        let architecture = configuration.architecture
        let mean = configuration.cbowMean
        let subsample = configuration.sample > 0
        var learningRate = learningRate(processed: processedWords.load(ordering: .relaxed))
        var unreported = 0
        var lastReport = elapsedSeconds
        try keepProbabilities.withUnsafeBufferPointer { keep in
            try corpus.forEachSentence(
                part: part, of: configuration.threads, vocabulary: model.vocabulary,
                maxLength: configuration.maxSentenceLength
            ) { sentence in
                unreported += sentence.count
                if unreported >= Trainer.refreshInterval {
                    let processed = processedWords.add(unreported, ordering: .relaxed).newValue
                    unreported = 0
                    learningRate = self.learningRate(processed: processed)
                    if part == 0, let progress {
                        let now = elapsedSeconds
                        if now - lastReport >= 0.2 {
                            lastReport = now
                            progress(.progress(TrainingProgress(
                                epoch: epoch, epochs: configuration.epochs,
                                fraction: min(1, Double(processed) / totalWords), learningRate: learningRate,
                                wordsPerSecond: Double(processed) / max(now, 1e-9), elapsedSeconds: now)))
                        }
                    }
                }
                var length = 0
                for word in sentence {
                    if subsample && keep[Int(word)] < 1 && keep[Int(word)] < state.random.nextUnit() { continue }
                    state.kept[length] = word
                    length += 1
                }
                let kept = UnsafeBufferPointer(start: state.kept, count: length)
                switch architecture {
                case .cbow:
                    CBOW.train(sentence: kept, input: input, window: window, mean: mean,
                               objective: &objective, state: &state, learningRate: learningRate)
                case .skipGram:
                    SkipGram.train(sentence: kept, input: input, window: window,
                                   objective: &objective, state: &state, learningRate: learningRate)
                }
            }
        }
        processedWords.add(unreported, ordering: .relaxed)
    }
}
