/// A trained (or training) word2vec model: the vocabulary, all weight matrices, and where training
/// stands, so that a run can be resumed and a model updated with new text.
///
/// `input` holds the word vectors proper; the output matrices belong to the objectives and are kept
/// so that training can continue from the model. A model read with `Model(contentsOf:)` uses the
/// file's matrices in place through a private memory map: reading it costs page faults, not parsing,
/// and training it further never writes to the file.
///
/// Sharing a model between threads is safe for queries and saving. Training changes it in place
/// (`Trainer.resume`): its matrices and `state` must then not be read by other threads until the call
/// returns. That rule, which the compiler cannot check, is why the type is `@unchecked Sendable`.
public final class Model: @unchecked Sendable {
    public let vocabulary: Vocabulary
    public let configuration: TrainingConfiguration
    /// The word rows (and the padding row of a concatenated CBOW) that form the hidden vector.
    public let inputs: InputLayer
    /// `vocabulary.count x dimension`: row `i` is `vocabulary.words[i]`'s own input row, its vector
    /// unless the model has subwords (see `wordVectors`).
    public var input: Matrix { inputs.words }
    /// `vocabulary.count x dimension`: row `i` is the vector of `vocabulary.words[i]`: its input row,
    /// or with subwords the mean of that row and its n-grams' rows (made at the first use, then
    /// shared until training changes the rows).
    public var wordVectors: Matrix { composed?.matrix ?? inputs.words }
    /// The output weights of each loss the model trains (`configuration.outputKinds`, in that
    /// order); empty for a model made from word vectors alone, or opened without them.
    public let outputs: [OutputLayer]
    /// CBOW with concatenation (`configuration.cbowConcat`): one row, the vector that stands for
    /// context positions beyond a sentence's ends.
    package var padding: Matrix? { inputs.padding }
    /// Words of the training text that occur fewer than `configuration.minCount` times, with their
    /// counts. An update adds new counts to them, so that a word reaching the threshold over several
    /// batches enters the vocabulary exactly as if all the text had been counted at once.
    public let rareWords: CountedWords
    /// Paragraph-vector models (`configuration.documentMode`): the document vectors.
    public let documents: DocumentVectors?
    /// A bounded sample of the sentences every run of this model trained on, which `Trainer.update`
    /// rehearses while it learns new text (with their document tags for paragraph vectors). Empty
    /// for data-parallel runs, unfinished runs, models made from vectors and models that no run
    /// saved (the sample is drawn only when a session writes a model file).
    public internal(set) var reservoir: SentenceReservoir
    /// How far training has got.
    public internal(set) var state: TrainingState
    /// Bytes another module keeps with the model (the items target's user tower): saved as the
    /// model file's `ATCH` section, checksummed and loaded back as they were, never interpreted by
    /// the core. Their owner validates them when it decodes them and must tag and version its own
    /// content. A model built by `update` starts without them (its vocabulary changed); training a
    /// loaded model further keeps them, stale, unless the caller replaces them.
    public var attachment: [UInt8]?
    /// `input` rows scaled to unit length for queries: the model file's stored copy when it has one,
    /// else made at the first query; shared by every `embeddings` value of the model, dropped when
    /// training changes `input`.
    let queryRows: UnitRows
    /// Subword models: the word vectors composed of several rows.
    private let composed: ComposedVectors?

    init(vocabulary: Vocabulary, configuration: TrainingConfiguration, inputs: InputLayer,
         outputs: [OutputLayer], rareWords: CountedWords = CountedWords(),
         documents: DocumentVectors? = nil, reservoir: SentenceReservoir = SentenceReservoir(), state: TrainingState,
         unitVectors: Matrix? = nil) {
        self.vocabulary = vocabulary
        self.configuration = configuration
        self.inputs = inputs
        self.outputs = outputs
        self.rareWords = rareWords
        self.documents = documents
        self.reservoir = reservoir
        self.state = state
        composed = inputs.subwords.map { ComposedVectors(words: inputs.words, subwords: $0) }
        queryRows = composed.map { UnitRows(composed: $0, precomputed: unitVectors) }
            ?? UnitRows(vectors: inputs.words, precomputed: unitVectors)
    }

    /// The output weights of `kind`, or `nil` if the model does not train that loss.
    public func output(_ kind: OutputLayer.Kind) -> Matrix? {
        outputs.first { $0.kind == kind }?.weights
    }

    /// Every matrix that training changes, in model-file order: the word vectors, the output
    /// layers, the padding row and the document vectors. Saving, data-parallel rounds and the
    /// check that replicas agree all walk this list, so a new layer is covered by all of them.
    var trainedMatrices: [WeightMatrix] {
        // The padding row follows the output layers, where earlier builds wrote it, so that model
        // files stay byte-identical.
        let input = inputs.matrices
        var list = [input[0]]
        list += outputs.map { WeightMatrix(tag: $0.tag, matrix: $0.weights, rows: $0.rowUse) }
        list += input.dropFirst()
        if let documents { list.append(WeightMatrix(tag: .documentVectors, matrix: documents.weights, rows: .shared)) }
        return list
    }

    /// FNV-1a over the bits of every trained matrix: equal for models whose weights are equal bit
    /// for bit (used to check that data-parallel replicas ended alike).
    package var weightsFingerprint: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for entry in trainedMatrices {
            let matrix = entry.matrix
            for i in 0..<(matrix.rows * matrix.columns) {
                hash = (hash ^ UInt64(matrix.storage[i].bitPattern)) &* 0x100_0000_01b3
            }
        }
        return hash
    }

    public var dimension: Int { input.columns }

    /// The word vectors, sharing storage with `wordVectors` (no copy).
    public var embeddings: Embeddings {
        Embeddings(words: vocabulary.words, vectors: wordVectors, vocabulary: vocabulary, unitRows: queryRows,
                   subwords: inputs.subwords)
    }

    /// The vectors of the `limit` most frequent words (all when `nil`), sharing storage with `wordVectors`.
    public func embeddings(limit: Int?) -> Embeddings {
        let rows = min(vocabulary.count, max(0, limit ?? vocabulary.count))
        guard rows < vocabulary.count else { return embeddings }
        let words = Array(vocabulary.words.prefix(rows))
        let whole = wordVectors
        let vectors = Matrix(rows: rows, columns: dimension, borrowing: whole.storage, owner: whole)
        return Embeddings(words: words, vectors: vectors, vocabulary: Vocabulary(sortedPrefix: rows, of: vocabulary),
                          unitRows: UnitRows(prefix: rows, of: queryRows), subwords: inputs.subwords)
    }

    /// A similarity index over the vectors of the `limit` most frequent words (all when `nil`). For a
    /// model file that stores unit rows this copies nothing; otherwise the rows are normalised into
    /// new memory at the first query of the model, once.
    public func similarityIndex(limit: Int? = nil) -> SimilarityIndex {
        SimilarityIndex(embeddings(limit: limit))
    }
}

/// Where a training run stands: the learning-rate schedule it follows and, for a run stopped at a
/// checkpoint, each worker's position and random state, which is all a resumed run needs to continue
/// as if it had never stopped.
public struct TrainingState: Sendable, Equatable {
    /// 0-based epoch in progress; equals `epochs` when the run is complete.
    public var epoch: Int
    /// Epochs of this run (for an update, the update's epochs).
    public var epochs: Int
    /// In-vocabulary corpus words per epoch that the learning-rate schedule was planned with.
    public var wordsPerEpoch: Int
    /// Words processed by all threads together since the run started; the learning rate decays
    /// linearly in it.
    public var processedWords: Int
    /// The learning rate the run started with.
    public var initialLearningRate: Float
    /// Names the training text (its path), so that a resumed run can refuse a different one.
    public var corpusName: String
    /// Size in bytes of the training text when the run started, or -1 if unknown.
    public var corpusBytes: Int
    /// Runs (training, then each update) that produced the model; 1 for a freshly trained one.
    public var generation: Int
    /// One per worker thread while an epoch is in progress; empty between epochs.
    var workers: [WorkerPosition]

    /// Whether every epoch of the run has been trained.
    public var isComplete: Bool { epoch >= epochs }

    init(epochs: Int, wordsPerEpoch: Int, initialLearningRate: Float, corpusName: String, corpusBytes: Int,
         generation: Int = 1) {
        epoch = 0
        self.epochs = epochs
        self.wordsPerEpoch = wordsPerEpoch
        processedWords = 0
        self.initialLearningRate = initialLearningRate
        self.corpusName = corpusName
        self.corpusBytes = corpusBytes
        self.generation = generation
        workers = []
    }
}

/// A worker's place in its part of the corpus during an epoch.
struct WorkerPosition: Sendable, Equatable {
    /// Sentences of the part already trained in this epoch.
    var sentencesDone: Int
    /// The worker has trained its whole part in this epoch.
    var finished: Bool
    var random: UInt64
    /// Words trained since the worker last added to the shared count.
    var unreported: Int
    var learningRate: Float
    var loss: Double
    var predictions: Int
}

/// Words with counts, stored compactly (one byte arena, no `String` until asked for).
public struct CountedWords: Sendable, Equatable {
    var bytes: [UInt8] = []
    /// `ends[i]` is the end of word `i` in `bytes`; word `i` starts at `ends[i - 1]` (or 0).
    var ends: [Int] = []
    public internal(set) var counts: [Int] = []

    public init() {}

    public init(_ entries: [(word: String, count: Int)]) {
        for (word, count) in entries { append(word.utf8, count: count) }
    }

    public var count: Int { counts.count }

    mutating func append(_ word: some Collection<UInt8>, count: Int) {
        bytes.append(contentsOf: word)
        ends.append(bytes.count)
        counts.append(count)
    }

    func wordBytes(_ i: Int) -> ArraySlice<UInt8> {
        bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
    }

    /// The `i`th word.
    public func word(_ i: Int) -> String { String(decoding: wordBytes(i), as: UTF8.self) }

    /// The entries whose word is not in `vocabulary`: what a model keeps beside its vocabulary.
    init(_ entries: [(word: String, count: Int)], outside vocabulary: Vocabulary) {
        self.init(entries.filter { vocabulary.index(of: $0.word) == nil })
    }

    /// All (word, count) pairs.
    public var entries: [(word: String, count: Int)] { (0..<count).map { (word($0), counts[$0]) } }
}
