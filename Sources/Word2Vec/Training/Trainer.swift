import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Trains word2vec models.
///
/// ```swift
/// var configuration = TrainingConfiguration()
/// configuration.architecture = .skipGram
/// let model = try Trainer(configuration: configuration).train(corpus: TextFileCorpus(path: "text.txt"))
/// let vector = try model.embeddings.vector(for: "king")
/// try model.save(to: "text.model")
/// ```
///
/// Threads share the weight matrices without locks; each reads its own part of the corpus, so every
/// word is visited exactly once per epoch. The learning rate decays linearly with the number of words
/// processed by all threads together.
///
/// A run can write checkpoints (`Checkpointing`) and continue from one with `resume`; with one thread
/// the resumed run ends bit-identical to an uninterrupted one. `update` trains a finished model
/// further on new text, growing its vocabulary.
public struct Trainer: Sendable {
    public let configuration: TrainingConfiguration
    /// Combines the weight changes with other processes in a data-parallel run (`DataParallelTrainer`).
    var synchronization: WeightSynchronizer?
    /// Whether a finished run adds its text to the model's rehearsal sample (`Model.reservoir`), a
    /// pass over the text after training. Sessions that write no model file turn it off: the sample
    /// only serves a later `update` of a saved model.
    package var samplesForRehearsal = true

    /// How often (in words per thread) a worker refreshes the learning rate and reports progress.
    static let refreshInterval = 10_000

    public init(configuration: TrainingConfiguration) {
        self.configuration = configuration
    }

    /// Counts `corpus` and applies `minCount` and `maxVocabularySize`.
    /// - Throws: `Word2VecError.emptyCorpus` or `.noWordReachesMinCount` if nothing is left to train.
    public func buildVocabulary(from corpus: some TrainingCorpus) throws -> Vocabulary {
        try buildVocabulary(counts: try corpus.countWords(threads: configuration.threads), source: corpus.name).vocabulary
    }

    /// The vocabulary that `counts` give under `minCount` and `maxVocabularySize`, and the words left
    /// out of it (kept in the model so that later updates count them).
    /// - Throws: `Word2VecError.emptyCorpus` or `.noWordReachesMinCount` naming `source`.
    public func buildVocabulary(counts: WordCounts, source: String) throws -> (vocabulary: Vocabulary, rareWords: CountedWords) {
        try configuration.validate()
        guard counts.tokenCount > 0 else { throw Word2VecError.emptyCorpus(source) }
        let entries = counts.entries
        let vocabulary = Vocabulary(entries: entries, minCount: configuration.minCount, maxSize: configuration.maxVocabularySize)
        guard vocabulary.count > 0 else {
            throw Word2VecError.noWordReachesMinCount(source, minCount: configuration.minCount)
        }
        return (vocabulary, CountedWords(entries, outside: vocabulary))
    }

    /// Trains a new model on `corpus`.
    ///
    /// - Parameters:
    ///   - vocabulary: the words to learn; built from `corpus` when `nil`.
    ///   - rareWords: words of the corpus left out of `vocabulary`, stored in the model for updates.
    ///   - progress: called with progress and per-epoch loss, from worker threads.
    ///   - checkpoint: where and how often to save the model while training.
    public func train(
        corpus: some TrainingCorpus, vocabulary: Vocabulary? = nil, rareWords: CountedWords? = nil,
        progress: (@Sendable (TrainingEvent) -> Void)? = nil, checkpoint: Checkpointing? = nil
    ) throws -> Model {
        guard configuration.documentMode == nil else {
            throw Word2VecError.invalidOption("documentMode", "needs a document corpus: use train(documents:)")
        }
        return try train(corpus: corpus, tags: nil, vocabulary: vocabulary, rareWords: rareWords,
                         progress: progress, checkpoint: checkpoint)
    }

    /// Trains paragraph vectors (`configuration.documentMode`) and word vectors on `documents`.
    ///
    /// Tags whose documents hold no word of the vocabulary get a zero vector (nothing was learnt
    /// about them).
    ///
    /// - Throws: `Word2VecError.invalidOption` if `configuration.documentMode` is `nil`, and what
    ///   `train(corpus:)` throws.
    public func train(
        documents: some DocumentCorpus, vocabulary: Vocabulary? = nil,
        progress: (@Sendable (TrainingEvent) -> Void)? = nil, checkpoint: Checkpointing? = nil
    ) throws -> Model {
        guard configuration.documentMode != nil else {
            throw Word2VecError.invalidOption("documentMode", "is not set: paragraph vectors need a mode")
        }
        return try train(corpus: documents, tags: { try documents.tags() }, vocabulary: vocabulary, rareWords: nil,
                         progress: progress, checkpoint: checkpoint)
    }

    /// `stop`: a request to end the run early (see `train(corpus:progress:) async`).
    func train(
        corpus: some TrainingCorpus, tags: (() throws -> DocumentTags)?, vocabulary: Vocabulary?, rareWords: CountedWords?,
        progress: (@Sendable (TrainingEvent) -> Void)?, checkpoint: Checkpointing?, stop: TrainingStop? = nil
    ) throws -> Model {
        try configuration.validate()
        var rare = rareWords ?? CountedWords()
        let vocabulary = try vocabulary ?? {
            let built = try buildVocabulary(counts: try corpus.countWords(threads: configuration.threads), source: corpus.name)
            if rareWords == nil { rare = built.rareWords }
            return built.vocabulary
        }()
        guard vocabulary.count > 0 else {
            throw Word2VecError.noWordReachesMinCount(corpus.name, minCount: configuration.minCount)
        }
        try configuration.checkSoftmaxVocabulary(vocabulary.count)
        let dimension = configuration.dimension
        let width = configuration.hiddenWidth
        // Built before the matrices so that its temporary arrays come and go while memory is low.
        let tree = configuration.outputKinds.contains(.hierarchicalSoftmax)
            ? HuffmanTree(sortedCounts: vocabulary.counts) : nil
        let inputs = InputLayer(vocabulary: vocabulary.words, configuration: configuration)
        var documents: DocumentVectors?
        if let tags = try tags?() {
            guard tags.count > 0 else { throw Word2VecError.emptyCorpus(corpus.name) }
            let padded = configuration.documentMode == .dmConcat
            let weights = Matrix(rows: tags.count + (padded ? 1 : 0), columns: dimension)
            // A seed of its own, so that document and word vectors do not start equal.
            Self.initialize(weights, rows: 0..<weights.rows, seed: configuration.seed ^ 0xD0C5_EED5)
            documents = DocumentVectors(tags: tags, weights: weights)
        }
        let state = TrainingState(
            epochs: configuration.epochs, wordsPerEpoch: vocabulary.totalCount,
            initialLearningRate: configuration.initialLearningRate, corpusName: corpus.name,
            corpusBytes: Self.byteSize(of: corpus))
        let model = Model(
            vocabulary: vocabulary, configuration: configuration, inputs: inputs,
            outputs: configuration.outputKinds.map { OutputLayer(zeros: $0, vocabularySize: vocabulary.count, width: width) },
            rareWords: rare, documents: documents, state: state)
        try TrainingRun(model: model, corpus: corpus, tree: tree, progress: progress, checkpoint: checkpoint, stop: stop,
                        synchronization: synchronization).run()
        if synchronization == nil && samplesForRehearsal { try Self.sampleReservoir(of: model, from: corpus) }
        return model
    }

    /// Adds the sentences of `corpus`, which a finished run of `model` has just trained on, to the
    /// model's rehearsal sample; a paragraph-vector model's sentences keep their tag numbers, which
    /// must be the model's (`corpus` numbers its tags as the model does). A data-parallel process
    /// reads only its share of the text, so it keeps no sample.
    static func sampleReservoir(of model: Model, from corpus: some TrainingCorpus) throws {
        guard model.state.isComplete else { return }
        let configuration = model.configuration
        model.reservoir = try model.reservoir.adding(
            corpus, vocabulary: model.vocabulary, maxLength: configuration.maxSentenceLength,
            seed: configuration.seed ^ (UInt64(model.state.generation) &* 0xA076_1D64_78BD_642F),
            keepingTags: model.documents != nil)
    }

    /// Continues the run that wrote `model` (a checkpoint) on `corpus`, with the configuration stored
    /// in the model (this trainer's own configuration is not used). Trains `model` in place and
    /// returns it; a complete model is returned unchanged.
    ///
    /// - Throws: `Word2VecError.invalidOption` if `corpus` is a file whose size differs from the one
    ///   the run started on (a different text would silently break the schedule).
    public func resume(
        _ model: Model, corpus: some TrainingCorpus, progress: (@Sendable (TrainingEvent) -> Void)? = nil,
        checkpoint: Checkpointing? = nil
    ) throws -> Model {
        try resume(model, corpus: corpus, progress: progress, checkpoint: checkpoint, stop: nil)
    }

    func resume(
        _ model: Model, corpus: some TrainingCorpus, progress: (@Sendable (TrainingEvent) -> Void)?,
        checkpoint: Checkpointing?, stop: TrainingStop?
    ) throws -> Model {
        guard !model.state.isComplete else { return model }
        guard model.isTrainable else {
            throw Word2VecError.invalidOption("model", "has no output weights (it was made from word vectors): it cannot be trained")
        }
        let size = Self.byteSize(of: corpus)
        if model.state.corpusBytes >= 0, size != model.state.corpusBytes {
            throw Word2VecError.invalidOption(
                "corpus '\(corpus.name)'",
                "has \(size) bytes but the checkpointed run started on \(model.state.corpusBytes) bytes of '\(model.state.corpusName)'")
        }
        let tree = model.output(.hierarchicalSoftmax) != nil ? HuffmanTree(sortedCounts: model.vocabulary.counts) : nil
        try TrainingRun(model: model, corpus: corpus, tree: tree, progress: progress, checkpoint: checkpoint, stop: stop).run()
        // A checkpointed run is a fresh one (updates write no checkpoints): its sample starts here.
        if samplesForRehearsal { try Self.sampleReservoir(of: model, from: corpus) }
        return model
    }

    /// Input vectors start uniform in [-1/dim, 1/dim), the range gensim and fastText use (the
    /// original tool's half-width range did worse: docs/performance-notes.md). Values come from the
    /// top 24 bits of the tool's 64-bit generator: its low bits have short periods (bit k repeats
    /// every 2^(k+1) draws), which made rows 16,384 apart start identical at dimension 100 when the
    /// low 16 bits were used.
    static func initialize(_ matrix: Matrix, rows: some Sequence<Int>, seed: UInt64) {
        var generator = LinearCongruentialGenerator(seed: seed)
        for row in rows { initialize(matrix.pointer(row: row), count: matrix.columns, generator: &generator) }
    }

    /// One vector of `count` values drawn as `initialize(_:rows:seed:)` draws a row.
    static func initialize(_ values: UnsafeMutablePointer<Float>, count: Int, generator: inout LinearCongruentialGenerator) {
        let scale = 2 / Float(count)
        for d in 0..<count {
            values[d] = (Float(generator.next() >> 40) / 16_777_216 - 0.5) * scale
        }
    }

    /// The size of a file corpus, which a resumed run checks; -1 for other corpora.
    static func byteSize(of corpus: some TrainingCorpus) -> Int {
        let path = (corpus as? TextFileCorpus)?.path ?? (corpus as? DocumentFileCorpus)?.path
        guard let path, path != "-" else { return -1 }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return -1 }
        return Int(info.st_size)
    }
}

/// When a run saves its model for `Trainer.resume`: to `path` (replaced atomically each time), every
/// `interval` seconds of training, at the next sentence boundary of every worker.
public struct Checkpointing: Sendable {
    public var path: String
    public var interval: Double

    public init(path: String, interval: Double) {
        self.path = path
        self.interval = interval
    }
}

/// The state of one call to `Trainer.train`, `resume` or `update`, shared by its worker threads.
///
/// `@unchecked Sendable`: while workers run, they share only atomics, the failure mutex, constants
/// and the model's matrices (Hogwild, see `Matrix`); each writes its own `workers` element and its
/// own `tagsWithWords` bytes. `workers`, `nextCheckpoint` and the model's `state` are written only by
/// the thread that runs the loop, between parallel passes.
final class TrainingRun<Corpus: TrainingCorpus>: @unchecked Sendable {
    let model: Model
    let corpus: Corpus
    let tree: HuffmanTree?
    let progress: (@Sendable (TrainingEvent) -> Void)?
    let checkpoint: Checkpointing?
    let stop: TrainingStop?
    let configuration: TrainingConfiguration
    let subsampling: Subsampling
    let schedule: LearningRateSchedule
    let noise: NoiseDistribution?
    let totalWords: Double
    let processedWords = Atomic<Int>(0)
    /// `processedWords` when this process started the run: a resumed run's speed counts only the
    /// words it trains, not those done before it was saved.
    var wordsAtStart = 0
    /// Set when a checkpoint is due: every worker stops at its next sentence boundary.
    let pauseRequested = Atomic<Bool>(false)
    /// Elapsed seconds at which the next checkpoint is due; written only while no worker runs.
    var nextCheckpoint: Double
    let failure = Mutex<Error?>(nil)
    let start = DispatchTime.now()
    var workers: [WorkerState]
    /// Paragraph vectors: one byte per tag, set once a document of the tag has had a word of the
    /// vocabulary (racy writes of the same value are harmless); tags never set end as zero vectors.
    let tagsWithWords: UnsafeMutablePointer<UInt8>?
    let synchronization: WeightSynchronizer?
    /// Words a worker trains between two refreshes of its learning rate: `Trainer.refreshInterval`,
    /// or less where a data-parallel run combines weights more often than that.
    let refreshInterval: Int
    /// Later epochs replay the first complete pass over each part when the corpus's passes repeat
    /// and more than one epoch is left (`SentenceReplay`).
    let replay: SentenceReplay?

    /// Thrown inside a worker to leave its part at a sentence boundary for a checkpoint.
    struct Pause: Error {}

    /// - Parameter trainedTags: the first tags were trained by an earlier run (an update's old
    ///   documents): they keep their vectors even when this run sees none of their words.
    init(model: Model, corpus: Corpus, tree: HuffmanTree?,
         progress: (@Sendable (TrainingEvent) -> Void)?, checkpoint: Checkpointing?, stop: TrainingStop? = nil,
         synchronization: WeightSynchronizer? = nil, trainedTags: Int = 0) {
        self.model = model
        self.synchronization = synchronization
        refreshInterval = min(Trainer.refreshInterval, synchronization?.step ?? Trainer.refreshInterval)
        self.corpus = corpus
        replay = corpus.repeatsItsPasses && model.state.epochs - model.state.epoch > 1
            ? SentenceReplay(parts: model.configuration.threads) : nil
        self.tree = tree
        self.progress = progress
        self.checkpoint = checkpoint
        self.stop = stop
        configuration = model.configuration
        subsampling = Subsampling(model.vocabulary, sample: configuration.sample)
        schedule = LearningRateSchedule(configuration, initial: model.state.initialLearningRate)
        noise = configuration.negatives > 0
            ? NoiseDistribution(counts: model.vocabulary.counts, exponent: configuration.noiseExponent) : nil
        totalWords = Double(model.state.epochs) * Double(model.state.wordsPerEpoch) + 1
        nextCheckpoint = checkpoint?.interval ?? .infinity
        let configuration = model.configuration
        let generation = UInt64(model.state.generation - 1)
        // In a data-parallel run, threads of different processes draw different streams.
        let firstWorker = (synchronization?.rank ?? 0) * configuration.threads
        workers = (0..<configuration.threads).map { t in
            WorkerState(
                seed: (configuration.seed &+ UInt64(firstWorker + t) &* 0x9E37_79B9) ^ (generation &* 0x2545_F491_4F6C_DD1D),
                hiddenWidth: configuration.hiddenWidth, maxSentenceLength: configuration.maxSentenceLength,
                contextSlots: configuration.subwords != nil
                    ? WorkerState.contextSlots(window: configuration.window, maxSentenceLength: configuration.maxSentenceLength) : 0)
        }
        tagsWithWords = model.documents.map { documents in
            let flags = UnsafeMutablePointer<UInt8>.allocate(capacity: max(documents.count, 1))
            flags.initialize(repeating: 0, count: max(documents.count, 1))
            flags.update(repeating: 1, count: min(trainedTags, documents.count))
            return flags
        }
    }

    deinit {
        for worker in workers { worker.deallocate() }
        tagsWithWords?.deallocate()
    }

    var elapsedSeconds: Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    func learningRate(processed: Int) -> Float {
        schedule.rate(progress: Double(processed) / totalWords)
    }

    func run() throws {
        // Unit rows made for queries before or during the run no longer match the vectors.
        defer { model.queryRows.reset() }
        let threads = configuration.threads
        let epochs = model.state.epochs
        processedWords.store(model.state.processedWords, ordering: .relaxed)
        wordsAtStart = model.state.processedWords
        var epoch = model.state.epoch
        if !model.state.workers.isEmpty {
            for t in 0..<threads { workers[t].restore(model.state.workers[t]) }
        }
        var resumed = !model.state.workers.isEmpty
        // A checkpoint due at an epoch's end is written at the next epoch's start, after the reset:
        // then it holds the workers' random states, so that a run resumed from it goes on exactly as
        // this one does (a checkpoint without positions would reseed the generators).
        var checkpointDue = false
        try synchronization?.begin(model)
        while epoch < epochs {
            if !resumed {
                for t in 0..<threads {
                    workers[t].loss = 0
                    workers[t].predictions = 0
                    workers[t].sentencesDone = 0
                    workers[t].finished = false
                }
            }
            resumed = false
            // Positions rather than none at an epoch's start keep the workers' random states, so
            // that a resumed run goes on exactly as this one would have.
            if try stopIfRequested(epoch: epoch, positions: workers.map(\.position)) { return }
            if checkpointDue {
                checkpointDue = false
                try saveCheckpoint(epoch: epoch, positions: workers.map(\.position))
            }
            while true {
                pauseRequested.store(false, ordering: .relaxed)
                let epoch = epoch
                workers.withUnsafeMutableBufferPointer { workers in
                    nonisolated(unsafe) let workers = workers
                    DispatchQueue.concurrentPerform(iterations: threads) { t in
                        guard !workers[t].finished else { return }
                        // A copy on this thread's stack: the array's elements sit side by side, and
                        // each worker writes its random state, loss and counters at every step, so
                        // working in place would bounce shared cache lines between the cores.
                        var state = workers[t]
                        defer { workers[t] = state }
                        do {
                            try self.work(part: t, epoch: epoch, state: &state)
                        } catch is Pause {
                        } catch {
                            self.failure.withLock { if $0 == nil { $0 = error } }
                        }
                    }
                }
                if let error = failure.withLock({ $0 }) { throw error }
                if workers.allSatisfy(\.finished) { break }
                if try stopIfRequested(epoch: epoch, positions: workers.map(\.position)) { return }
                try saveCheckpoint(epoch: epoch, positions: workers.map(\.position))
            }
            try synchronization?.finishEpoch(model, local: processedWords.load(ordering: .relaxed))
            epoch += 1
            if let progress {
                let predictions = workers.reduce(0) { $0 + $1.predictions }
                let loss = workers.reduce(0) { $0 + $1.loss }
                let elapsed = elapsedSeconds
                progress(.epochFinished(EpochSummary(
                    epoch: epoch - 1, epochs: epochs,
                    meanLoss: predictions > 0 ? loss / Double(predictions) : 0, predictions: predictions,
                    wordsPerSecond: Double(processedWords.load(ordering: .relaxed) - wordsAtStart) / max(elapsed, 1e-9),
                    elapsedSeconds: elapsed)))
            }
            if epoch < epochs, elapsedSeconds >= nextCheckpoint { checkpointDue = true }
        }
        model.state.epoch = epochs
        model.state.processedWords = globalWords(processedWords.load(ordering: .relaxed))
        model.state.workers = []
        if let documents = model.documents, let tagsWithWords {
            for tag in 0..<documents.count where tagsWithWords[tag] == 0 {
                VectorKernels.zero(documents.vectors.pointer(row: tag), count: documents.vectors.columns)
            }
        }
        // A learning rate too high for the corpus makes SGD diverge to infinity and NaN; such vectors
        // must not be written as if they were a result.
        guard model.inputs.matrices.allSatisfy({ entry in
            SectionChecksum.compute(entry.matrix.storage, count: entry.matrix.rows * entry.matrix.columns * 4, floats: true).finite
        }) else {
            throw Word2VecError.invalidConfiguration(
                setting: "TrainingConfiguration.learningRate", problem: "\(model.state.initialLearningRate) made training diverge (the vectors hold NaN or infinity): use a smaller learning rate")
        }
    }

    /// Ends the run if `stop` asks to, leaving in the model's state where each worker is, as a
    /// checkpoint does, so that `Trainer.resume` can finish the run. Returns whether to stop.
    /// - Throws: `CancellationError` when the run was cancelled.
    private func stopIfRequested(epoch: Int, positions: [WorkerPosition]) throws -> Bool {
        guard let reason = stop?.reason else { return false }
        model.state.epoch = epoch
        model.state.processedWords = processedWords.load(ordering: .relaxed)
        model.state.workers = positions
        if reason == .cancelled { throw CancellationError() }
        return true
    }

    /// Saves the model as it stands, with every worker stopped at a sentence boundary.
    private func saveCheckpoint(epoch: Int, positions: [WorkerPosition]) throws {
        guard let checkpoint else { return }
        model.state.epoch = epoch
        model.state.processedWords = processedWords.load(ordering: .relaxed)
        model.state.workers = positions
        try model.save(to: checkpoint.path, unitVectors: false)
        nextCheckpoint = elapsedSeconds + checkpoint.interval
    }

    /// One worker's pass over its part of the corpus, with a step specialised for the configured
    /// objective (see `SentenceTraining`).
    private func work(part: Int, epoch: Int, state: inout WorkerState) throws {
        let settings = SentenceTraining(
            input: model.inputs, window: configuration.window, shrinkWindow: configuration.shrinkWindow,
            contextSamples: configuration.contextSamples,
            architecture: configuration.architecture, mean: configuration.cbowMean,
            concatenatesWords: configuration.usesConcatenatedWords,
            documentMode: configuration.documentMode, dbowWords: configuration.dbowWords, learnsWords: true,
            documents: model.documents?.weights,
            padding: model.documents.flatMap { $0.hasPadding ? $0.padding : nil } ?? model.padding?.storage,
            scratch: configuration.sharedNegatives && configuration.architecture == .skipGram
                && configuration.documentMode == nil
                ? WindowScratch(dimension: configuration.hiddenWidth, negatives: configuration.negatives) : nil)
        defer { settings.scratch?.deallocate() }
        try settings.withStep(model: model, tree: tree, noise: noise) { try work(part: part, epoch: epoch, state: &state, step: $0) }
    }

    /// Trains the sentences of `part` after the first `state.sentencesDone`, until the part ends or a
    /// checkpoint pauses the run (`Pause`). Sentences already done are read again and skipped, which
    /// touches no training state, so a paused and relaunched worker computes exactly what an
    /// uninterrupted one would.
    private func work(
        part: Int, epoch: Int, state: inout WorkerState,
        step: SentenceTraining.Step
    ) throws {
        let documents = model.documents?.weights
        let tagsWithWords = self.tagsWithWords
        let subsampling = self.subsampling
        let vocabularySize = model.vocabulary.count
        let maxLength = configuration.maxSentenceLength
        if state.sentencesDone == 0 {
            state.unreported = 0
            state.learningRate = learningRate(processed: globalWords(processedWords.load(ordering: .relaxed)))
        }
        let skip = state.sentencesDone
        var skipped = 0
        var lastReport = elapsedSeconds
        func train(_ sentence: UnsafeBufferPointer<Int32>, _ tags: UnsafeBufferPointer<Int32>) throws {
            if let tagsWithWords, !sentence.isEmpty {
                // Marked for skipped sentences too, so that a resumed run marks every tag.
                // Written once: rewriting the same value would still take the cache line from other cores.
                for tag in tags where tag >= 0 && Int(tag) < model.documents!.count && tagsWithWords[Int(tag)] == 0 {
                    tagsWithWords[Int(tag)] = 1
                }
            }
            if skipped < skip {
                skipped += 1
                return
            }
            if pauseRequested.load(ordering: .relaxed) { throw Pause() }
            // A corpus is user code: indices outside the vocabulary or an over-long sentence
            // would write outside the matrices, so they are refused rather than trusted.
            guard sentence.count <= maxLength, sentence.allSatisfy({ $0 >= 0 && Int($0) < vocabularySize }) else {
                throw Word2VecError.invalidOption(
                    "corpus '\(corpus.name)'",
                    "produced a sentence of \(sentence.count) words with indices outside the vocabulary or longer than \(maxLength)")
            }
            if documents != nil {
                guard !tags.isEmpty, tags.count <= 1 << 16,
                      tags.allSatisfy({ $0 >= 0 && Int($0) < model.documents!.count }) else {
                    throw Word2VecError.invalidOption(
                        "corpus '\(corpus.name)'", "produced a document with no tags or tag numbers outside its tags")
                }
            }
            state.sentencesDone += 1
            state.unreported += sentence.count
            if state.unreported >= refreshInterval {
                let processed = try synchronized(processedWords.add(state.unreported, ordering: .relaxed).newValue)
                state.unreported = 0
                state.learningRate = self.learningRate(processed: processed)
                let now = elapsedSeconds
                if now >= nextCheckpoint || stop?.reason != nil { pauseRequested.store(true, ordering: .relaxed) }
                if part == 0, let progress, now - lastReport >= 0.2 {
                    lastReport = now
                    progress(.progress(TrainingProgress(
                        epoch: epoch, epochs: model.state.epochs,
                        fraction: min(1, Double(processed) / totalWords), learningRate: state.learningRate,
                        meanLoss: state.predictions > 0 ? state.loss / Double(state.predictions) : 0,
                        wordsPerSecond: Double(processed - wordsAtStart) / max(now, 1e-9),
                        elapsedSeconds: now)))
                }
            }
            let length = subsampling.filter(sentence, into: state.kept, random: &state.random)
            let rate = state.learningRate
            step(UnsafeBufferPointer(start: state.kept, count: length), tags, &state, rate)
        }
        if let replay {
            try replay.forEachDocument(
                of: corpus, part: part, vocabulary: model.vocabulary, maxLength: maxLength,
                keep: epoch + 1 < model.state.epochs, train)
        } else {
            try corpus.forEachDocument(
                part: part, of: configuration.threads, vocabulary: model.vocabulary, maxLength: maxLength, train)
        }
        processedWords.add(state.unreported, ordering: .relaxed)
        state.unreported = 0
        state.finished = true
    }
}
