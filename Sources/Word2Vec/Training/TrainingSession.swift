/// One training run from a corpus to files, the steps every training command takes:
///
/// 1. the output files are claimed (checked writable, nothing created), so that a bad path fails
///    before any long work;
/// 2. a new run counts the corpus (or reads a vocabulary file), builds the vocabulary and finds what
///    in the text makes training learn little (`TrainingWarning`);
/// 3. the model is trained, checkpointed to the model file every `checkpointInterval` seconds, or a
///    checkpointed run is resumed, or a finished model is updated on new text;
/// 4. the model, then the vectors are saved, each file complete at its path or absent: a run that
///    fails leaves no output half-written.
///
/// ```swift
/// var session = TrainingSession(.new(configuration))
/// session.outputs.model = "text.model"
/// session.outputs.wordVectors = .init(path: "text.vec", format: .text)
/// let outcome = try session.run(on: TextFileCorpus(path: "text.txt"))
/// for warning in outcome.warnings { print("warning:", warning) }
/// ```
///
/// Progress comes through `run`'s `events` callback: the vocabulary with the warnings about the
/// text before training starts, training progress, the trained model before anything is written,
/// and each file written.
public struct TrainingSession: Sendable {
    /// What the session trains.
    public enum Start: Sendable {
        /// A new run with this configuration: paragraph vectors when `documentMode` is set (the
        /// corpus must then be a `DocumentCorpus`), word vectors otherwise.
        case new(TrainingConfiguration)
        /// The run saved in this model by a checkpoint, with its configuration and state (see
        /// `Trainer.resume`); a complete run is saved again unchanged.
        case resume(Model)
        /// More training of this finished model on new text, its vocabulary grown (see
        /// `Trainer.update`); a paragraph-vector model's corpus is a `DocumentCorpus`, whose new
        /// tags get new document vectors.
        case update(Model, epochs: Int? = nil, learningRate: Float? = nil)
    }

    /// Which threads and processes train: this process's threads, or the processes of a
    /// data-parallel run, of which only rank 0 writes files.
    public enum Engine: Sendable {
        case threads
        /// Counting and training with the other processes of `DataParallelTrainer.collective`; new
        /// runs of word vectors on a `TextFileCorpus` only.
        case dataParallel(DataParallelTrainer)
    }

    /// A file of vectors in the word2vec formats.
    public struct VectorFile: Sendable {
        public var path: String
        public var format: VectorFileFormat

        public init(path: String, format: VectorFileFormat) {
            self.path = path
            self.format = format
        }
    }

    /// A file of `word<TAB>class` lines: k-means classes of the word vectors.
    public struct ClassesFile: Sendable {
        public var path: String
        public var clustering: KMeansConfiguration

        public init(path: String, clustering: KMeansConfiguration) {
            self.path = path
            self.clustering = clustering
        }
    }

    /// The files a session writes; `nil` for none.
    public struct Outputs: Sendable {
        /// The model file (for queries, `resume` and `update`), which checkpoints replace too.
        public var model: String?
        /// The word vectors.
        public var wordVectors: VectorFile?
        /// Paragraph vectors, keyed by tag.
        public var documentVectors: VectorFile?
        /// K-means classes of the word vectors.
        public var wordClasses: ClassesFile?
        /// The vocabulary (`word<TAB>count` lines), written once it is built.
        public var vocabulary: String?

        public init() {}

        /// Whether any output needs a trained model (otherwise a new run stops after its vocabulary).
        var needModel: Bool { model != nil || wordVectors != nil || documentVectors != nil || wordClasses != nil }
    }

    /// What happens, in order, while a session runs.
    public enum Event: Sendable {
        /// The outputs are claimed; counting or training starts next.
        case started
        /// The vocabulary of a new run is built, from these counts of its corpus (`nil` when read
        /// from `vocabularyFile`), with the warnings about its text; training starts next.
        case counted(Vocabulary, WordCounts?, warnings: [TrainingWarning])
        /// Progress and per-epoch loss, from worker threads.
        case training(TrainingEvent)
        /// Training ended, with the outcome so far (the warnings about the result last); nothing is
        /// written yet.
        case trained(Outcome)
        /// A file is complete at this path.
        case wrote(String)
    }

    /// What a session made.
    public struct Outcome: Sendable {
        /// The trained model; `nil` when no output needs one (a new run asked for its vocabulary only).
        public var model: Model?
        /// Every warning, about the text first.
        public var warnings: [TrainingWarning]
        /// The word classes written to `Outputs.wordClasses`.
        public var wordClasses: WordClasses?
        /// A data-parallel run's synchronisation.
        public var synchronization: SynchronizationStatistics?
    }

    public var start: Start
    public var engine = Engine.threads
    public var outputs = Outputs()
    /// A new run reads its vocabulary from this file (`word<TAB>count` lines, see `Vocabulary.read`)
    /// instead of counting the corpus.
    public var vocabularyFile: String?
    /// Seconds between checkpoints written to `outputs.model`; `nil` for none.
    public var checkpointInterval: Double?

    public init(_ start: Start) { self.start = start }

    /// Runs the session.
    /// - Parameters:
    ///   - corpus: the text: a new run's, or the one a resumed or updated model goes on with (a
    ///     resumed run checks that a file corpus has the size its run started on).
    ///   - events: told what happens (see `Event`); training progress comes from worker threads.
    /// - Throws: what claiming the outputs, counting, training and writing throw (`Word2VecError`);
    ///   no output is left half-written then, though outputs written before the failure stay.
    public func run(
        on corpus: some TrainingCorpus, events: (@Sendable (Event) -> Void)? = nil
    ) throws -> Outcome {
        let writes = engine.writesFiles
        let claimed = writes ? try ClaimedOutputs(outputs) : ClaimedOutputs()
        let checkpoint = try checkpointing(writes: writes)
        events?(.started)
        var progress: (@Sendable (TrainingEvent) -> Void)?
        if let events { progress = { events(.training($0)) } }
        var warnings: [TrainingWarning] = []
        var synchronization: SynchronizationStatistics?
        let model: Model
        switch start {
        case let .new(configuration):
            try configuration.validate()
            let (vocabulary, rareWords, counts, counted) = try buildVocabulary(corpus, configuration: configuration)
            warnings += counted
            events?(.counted(vocabulary, counts, warnings: counted))
            if writes, let path = outputs.vocabulary { try vocabulary.write(to: path) }
            guard outputs.needModel else { return Outcome(model: nil, warnings: warnings) }
            switch engine {
            case .threads:
                var trainer = Trainer(configuration: configuration)
                trainer.samplesForRehearsal = outputs.model != nil
                if configuration.documentMode != nil, let documents = corpus as? any DocumentCorpus {
                    model = try trainer.train(
                        documents: documents, vocabulary: vocabulary, progress: progress, checkpoint: checkpoint)
                } else {
                    model = try trainer.train(
                        corpus: corpus, vocabulary: vocabulary, rareWords: rareWords, progress: progress,
                        checkpoint: checkpoint)
                }
            case let .dataParallel(parallel):
                let result = try parallel.train(
                    corpus: corpus, vocabulary: vocabulary, rareWords: rareWords, progress: progress)
                model = result.model
                synchronization = result.synchronization
            }
        case let .resume(saved):
            guard case .threads = engine else { throw Self.dataParallelRunsAreNew }
            var trainer = Trainer(configuration: saved.configuration)
            trainer.samplesForRehearsal = outputs.model != nil
            model = try trainer.resume(saved, corpus: corpus, progress: progress, checkpoint: checkpoint)
        case let .update(saved, epochs, learningRate):
            guard case .threads = engine else { throw Self.dataParallelRunsAreNew }
            var trainer = Trainer(configuration: saved.configuration)
            trainer.samplesForRehearsal = outputs.model != nil
            if saved.documents != nil, let documents = corpus as? any DocumentCorpus {
                model = try trainer.update(saved, documents: documents, epochs: epochs, learningRate: learningRate, progress: progress)
            } else {
                model = try trainer.update(saved, corpus: corpus, epochs: epochs, learningRate: learningRate, progress: progress)
            }
        }
        var outcome = Outcome(model: model, warnings: warnings + resultWarnings(model), synchronization: synchronization)
        events?(.trained(outcome))
        guard writes else { return outcome }
        outcome.wordClasses = try claimed.write(model, outputs: outputs, events: events)
        return outcome
    }

    private static let dataParallelRunsAreNew = Word2VecError.invalidConfiguration(
        setting: "TrainingSession.engine", problem: "data-parallel sessions start new runs only")

    /// Checkpoints to the model file every `checkpointInterval` seconds.
    private func checkpointing(writes: Bool) throws -> Checkpointing? {
        guard let interval = checkpointInterval, writes else { return nil }
        guard interval > 0, interval.isFinite else {
            throw Word2VecError.invalidConfiguration(
                setting: "TrainingSession.checkpointInterval", problem: "must be a positive number of seconds (got \(interval))")
        }
        guard let path = outputs.model else {
            throw Word2VecError.invalidConfiguration(
                setting: "TrainingSession.checkpointInterval", problem: "needs TrainingSession.outputs.model (where checkpoints go)")
        }
        return Checkpointing(path: path, interval: interval)
    }

    /// The vocabulary of a new run, the words left out of it, the counts it was built from, and the
    /// warnings about the text.
    private func buildVocabulary(
        _ corpus: some TrainingCorpus, configuration: TrainingConfiguration
    ) throws -> (Vocabulary, CountedWords?, WordCounts?, [TrainingWarning]) {
        if let path = vocabularyFile {
            let vocabulary = try Vocabulary.read(
                from: path, minCount: configuration.minCount, maxSize: configuration.maxVocabularySize)
            guard vocabulary.count > 0 else {
                throw Word2VecError.noWordReachesMinCount(path, minCount: configuration.minCount)
            }
            return (vocabulary, nil, nil, [])
        }
        let counts: WordCounts
        switch engine {
        case .threads:
            counts = try corpus.countWords(threads: configuration.threads)
        case let .dataParallel(parallel):
            guard let text = corpus as? TextFileCorpus else {
                throw Word2VecError.invalidOption("corpus '\(corpus.name)'", "is not a text file: data-parallel runs read one")
            }
            counts = try parallel.countWords(text)
        }
        let (vocabulary, rareWords) = try Trainer(configuration: configuration).buildVocabulary(
            counts: counts, source: corpus.name)
        let source = (corpus as? TextFileCorpus)?.source ?? (corpus as? DocumentFileCorpus)?.source
        let warnings = TrainingWarning.counting(
            counts, vocabulary: vocabulary, configuration: configuration, name: corpus.name, source: source)
        return (vocabulary, rareWords, counts, warnings)
    }

    /// What the trained model itself tells: tags that learnt nothing, word vectors written untrained.
    private func resultWarnings(_ model: Model) -> [TrainingWarning] {
        var warnings: [TrainingWarning] = []
        if let documents = model.documents {
            let zero = (0..<documents.count).filter { documents.vectors.row($0).allSatisfy { $0 == 0 } }.count
            if zero > 0 { warnings.append(.tagsWithoutWords(count: zero)) }
        }
        let configuration = model.configuration
        if configuration.documentMode == .dbow, !configuration.dbowWords, outputs.wordVectors != nil {
            warnings.append(.untrainedWordVectors)
        }
        return warnings
    }
}

extension TrainingSession.Engine {
    /// Whether this process writes the session's files: the only one, or rank 0.
    var writesFiles: Bool {
        switch self {
        case .threads: true
        case let .dataParallel(parallel): parallel.collective.rank == 0
        }
    }
}

/// The session's output files, claimed before any long work (see `AtomicFile`): each exists only
/// once complete.
private struct ClaimedOutputs {
    var documentVectors: EmbeddingsWriter?
    var wordVectors: EmbeddingsWriter?
    var wordClasses: WordClassesWriter?

    init() {}

    /// Claims in the order errors should name them: vectors, classes, then the model.
    init(_ outputs: TrainingSession.Outputs) throws {
        documentVectors = try outputs.documentVectors.map { try EmbeddingsWriter(path: $0.path, format: $0.format) }
        wordVectors = try outputs.wordVectors.map { try EmbeddingsWriter(path: $0.path, format: $0.format) }
        wordClasses = try outputs.wordClasses.map { try WordClassesWriter(path: $0.path) }
        if let model = outputs.model { _ = try AtomicFile(path: model) }
    }

    /// Writes the model, the word classes, the document vectors and the word vectors, in that order.
    func write(
        _ model: Model, outputs: TrainingSession.Outputs, events: (@Sendable (TrainingSession.Event) -> Void)?
    ) throws -> WordClasses? {
        if let path = outputs.model {
            try model.save(to: path)
            events?(.wrote(path))
        }
        var classes: WordClasses?
        if let wordClasses, let output = outputs.wordClasses {
            try output.clustering.validate(points: model.vocabulary.count)
            let found = try WordClasses(embeddings: model.embeddings, configuration: output.clustering)
            try wordClasses.write(found)
            classes = found
            events?(.wrote(output.path))
        }
        if let documentVectors, let path = outputs.documentVectors?.path, let documents = model.documents {
            try documentVectors.write(documents.embeddings)
            events?(.wrote(path))
        }
        if let wordVectors, let path = outputs.wordVectors?.path {
            try wordVectors.write(model.embeddings)
            events?(.wrote(path))
        }
        return classes
    }
}
