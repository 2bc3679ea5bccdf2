extension Trainer {
    /// Trains a finished `model` further on new text, growing its vocabulary: gensim's
    /// `build_vocab(update=True)` followed by `train`, as one consistent step.
    ///
    /// 1. The counts of `corpus` are added to the model's (vocabulary and rare words alike), so words
    ///    that now reach `minCount` enter the vocabulary: it is exactly the vocabulary of counting all
    ///    the text at once, in the same order.
    /// 2. Old words keep their input vectors and the output rows that belong to words
    ///    (`OutputLayer.rowsAreWords`: negative sampling's, the full softmax's); new
    ///    words start like a fresh run's (input uniform in [-1/dim, 1/dim), output 0). A concatenated
    ///    CBOW model keeps its padding row.
    /// 3. The Huffman tree and the noise distribution are rebuilt from the merged counts. The tree's
    ///    inner nodes then group other words than before, so no old inner-node vector has a
    ///    counterpart: they restart at 0. With zero output weights the first steps move only the
    ///    output layer (the input gradient is the output row), so the old word vectors act as fixed
    ///    features while the tree's decisions are relearned, instead of being pushed around by random
    ///    ones (see `Benchmarks/` for what this costs against negative sampling).
    /// 4. Training runs over `corpus` with sentences of the model's `reservoir` interleaved
    ///    (`SentenceReservoir.rehearsalRatio` rehearsed words per new word; each pass goes on in the
    ///    sample where the previous one stopped), for `epochs` passes
    ///    (default: the model's); subsampling and noise use the merged counts. The learning rate
    ///    decays linearly from `learningRate`, by default the model's starting rate times the new
    ///    text's share of the merged counts but at least half of it (the full rate without a
    ///    reservoir: a model of an earlier build). The new text then joins the reservoir.
    ///
    /// The model's configuration (dimension, window, objectives, threads, seed) is kept; this
    /// trainer's own configuration is not used. Returns a new model; `model` is not changed.
    ///
    /// - Throws: `Word2VecError.invalidOption` if `model` is an unfinished checkpoint or an option is
    ///   out of range; `.emptyCorpus`; errors of reading `corpus`.
    public func update(
        _ model: Model, corpus: some TrainingCorpus, epochs: Int? = nil, learningRate: Float? = nil,
        progress: (@Sendable (TrainingEvent) -> Void)? = nil
    ) throws -> Model {
        try Self.checkUpdatable(model)
        guard model.documents == nil else {
            throw Word2VecError.invalidOption(
                "model", "holds paragraph vectors: update it with documents (doc2vec update, Trainer.update(_:documents:))")
        }
        return try update(model, corpus: corpus, documentTags: nil, epochs: epochs, learningRate: learningRate, progress: progress)
    }

    /// Trains a finished paragraph-vector `model` further on new documents: `update(_:corpus:)`'s
    /// steps, with the document vectors grown.
    ///
    /// Tags of `documents` that the model has keep their number and their vector, and train further
    /// on their new text; new tags are numbered after the old ones, and their vectors start like a
    /// fresh run's (a new tag whose documents hold no word of the vocabulary gets a zero vector).
    /// The rehearsal sample holds earlier documents with their tags, so the replayed documents train
    /// their own vectors along with the shared weights: old vectors follow the changes to the words
    /// and the output layer that the new documents cause, and stay comparable with the new ones.
    /// Old documents outside the sample keep their vectors unchanged. A model written by a build
    /// that kept no sample for paragraph vectors trains on the new documents alone.
    ///
    /// - Throws: what `update(_:corpus:)` throws; `Word2VecError.invalidOption` if `model` has no
    ///   document vectors, or for a tag of `documents` that cannot be a tag.
    /// - Complexity: as `update(_:corpus:)`, plus O(tags) to merge and copy the document vectors.
    public func update(
        _ model: Model, documents: some DocumentCorpus, epochs: Int? = nil, learningRate: Float? = nil,
        progress: (@Sendable (TrainingEvent) -> Void)? = nil
    ) throws -> Model {
        try Self.checkUpdatable(model)
        guard let old = model.documents else {
            throw Word2VecError.invalidOption("model", "holds no paragraph vectors: update it with text (update(_:corpus:))")
        }
        let retagged = try RetaggedDocuments(documents, after: old.tags)
        return try update(
            model, corpus: retagged, documentTags: retagged.merged, epochs: epochs, learningRate: learningRate,
            progress: progress)
    }

    private static func checkUpdatable(_ model: Model) throws {
        guard model.isTrainable else {
            throw Word2VecError.invalidOption("model", "has no output weights (it was made from word vectors): it cannot be trained further")
        }
        guard model.state.isComplete else {
            throw Word2VecError.invalidOption(
                "model", "is a checkpoint of an unfinished run (epoch \(model.state.epoch + 1) of \(model.state.epochs)): resume it first")
        }
    }

    /// The update of either kind of model; `documentTags`: a paragraph-vector model's old tags
    /// followed by the new ones, which `corpus` numbers.
    private func update(
        _ model: Model, corpus: some TrainingCorpus, documentTags: DocumentTags?, epochs: Int?, learningRate: Float?,
        progress: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> Model {
        var configuration = model.configuration
        if let epochs {
            configuration.epochs = epochs
            try configuration.validate()
        }
        if let learningRate {
            configuration.learningRate = learningRate
            try configuration.validate()
        }
        let newCounts = try corpus.countWords(threads: configuration.threads)
        guard newCounts.tokenCount > 0 else { throw Word2VecError.emptyCorpus(corpus.name) }

        // Merge by bytes, the identity every vocabulary uses.
        var table = ByteStringTable(minimumCapacity: model.vocabulary.count + model.rareWords.count + newCounts.distinctCount)
        var merged: [Int] = []
        func add(_ bytes: some Collection<UInt8>, _ count: Int) {
            var bytes = Array(bytes)
            let (id, inserted) = bytes.withUnsafeMutableBufferPointer { table.insert(UnsafeBufferPointer($0)) }
            if inserted { merged.append(count) } else { merged[id] += count }
        }
        for (word, count) in zip(model.vocabulary.words, model.vocabulary.counts) { add(word.utf8, count) }
        for i in 0..<model.rareWords.count { add(model.rareWords.wordBytes(i), model.rareWords.counts[i]) }
        let newEntries = newCounts.entries
        for (word, count) in newEntries { add(word.utf8, count) }
        let entries = (0..<table.count).map { (word: String(decoding: table.key($0), as: UTF8.self), count: merged[$0]) }
        let vocabulary = Vocabulary(entries: entries, minCount: configuration.minCount, maxSize: configuration.maxVocabularySize)
        let rare = CountedWords(entries, outside: vocabulary)

        try configuration.checkSoftmaxVocabulary(vocabulary.count)
        // Output rows are as wide as the hidden layer (wider than a word vector with --cbow-concat).
        let width = configuration.hiddenWidth
        let generation = model.state.generation + 1
        let outputs = model.outputs.map { $0.carried(to: vocabulary.words, width: width, oldIndex: model.vocabulary.index(of:)) }
        let inputs = model.inputs.carried(
            to: vocabulary.words, oldIndex: model.vocabulary.index(of:),
            seed: configuration.seed ^ (UInt64(generation) &* 0x9E37_79B9_7F4A_7C15))
        let tree = model.output(.hierarchicalSoftmax) != nil ? HuffmanTree(sortedCounts: vocabulary.counts) : nil
        var newWords = 0
        for (word, count) in newEntries where vocabulary.index(of: word) != nil { newWords += count }
        var documents: DocumentVectors?
        if let old = model.documents, let documentTags {
            let weights = Matrix(rows: documentTags.count + (old.hasPadding ? 1 : 0), columns: old.weights.columns)
            weights.pointer(row: 0).update(from: old.vectors.storage, count: old.count * old.vectors.columns)
            if old.hasPadding { weights.pointer(row: documentTags.count).update(from: old.padding, count: weights.columns) }
            // The seed of a new run's document vectors, moved by the generation: new tags do not
            // start as the rows of the tags numbered the same in the first run.
            Self.initialize(weights, rows: old.count..<documentTags.count,
                            seed: configuration.seed ^ 0xD0C5_EED5 ^ (UInt64(generation) &* 0x9E37_79B9_7F4A_7C15))
            documents = DocumentVectors(tags: documentTags, weights: weights)
        }
        // A paragraph-vector model's sample is rehearsed only with its tags (an earlier build kept none).
        let (rehearsed, rehearsedTags) = documents == nil || model.reservoir.hasTags
            ? model.reservoir.rehearsal(in: vocabulary) : ([], [])
        let ratio = rehearsed.isEmpty ? 0 : SentenceReservoir.rehearsalRatio
        let wordsPerEpoch = newWords + Int(ratio * Double(newWords))
        // Rehearsing, a full starting rate lets the batch outweigh the history it rehearses; the new
        // text's share of the merged counts scales it down, but never below half: scaled further, a
        // stream of many small batches is never trained enough (docs/incremental.md).
        let share = Float(Double(newWords) / Double(max(vocabulary.totalCount, 1)))
        let startingRate = learningRate == nil && ratio > 0
            ? configuration.initialLearningRate * max(share, 0.5) : configuration.initialLearningRate
        let state = TrainingState(
            epochs: configuration.epochs, wordsPerEpoch: wordsPerEpoch,
            initialLearningRate: startingRate, corpusName: corpus.name,
            corpusBytes: Trainer.byteSize(of: corpus), generation: generation)
        let updated = Model(
            vocabulary: vocabulary, configuration: configuration, inputs: inputs,
            outputs: outputs, rareWords: rare, documents: documents, reservoir: model.reservoir, state: state)
        guard newWords > 0 else {
            updated.state.epoch = updated.state.epochs
            if let documents, let old = model.documents {
                // Nothing trained them: zero, as a run gives tags without words.
                for tag in old.count..<documents.count { VectorKernels.zero(documents.vectors.pointer(row: tag), count: documents.vectors.columns) }
            }
            return updated
        }
        try TrainingRun(
            model: updated, corpus: RehearsalCorpus(
                base: corpus, rehearsed: rehearsed, rehearsedTags: rehearsedTags, ratio: ratio,
                parts: configuration.threads),
            tree: tree, progress: progress, checkpoint: nil, trainedTags: model.documents?.count ?? 0
        ).run()
        if samplesForRehearsal { try Trainer.sampleReservoir(of: updated, from: corpus) }
        return updated
    }
}

/// A document corpus whose tags are numbered after a model's own: the update's view of new
/// documents. A tag the model has keeps its number, a new one gets the next free number.
struct RetaggedDocuments<Base: DocumentCorpus>: DocumentCorpus {
    let base: Base
    /// The model's tags, then the new ones in order of first appearance.
    let merged: DocumentTags
    /// `numbers[t]`: the merged number of `base`'s tag `t`.
    let numbers: [Int32]

    /// Reads `base`'s tags (for a file, the pass that also counts its words).
    init(_ base: Base, after old: DocumentTags) throws {
        let own = try base.tags()
        var merged = old
        var numbers: [Int32] = []
        numbers.reserveCapacity(own.count)
        for t in 0..<own.count { numbers.append(Int32(try merged.insert(own[t]))) }
        self.base = base
        self.merged = merged
        self.numbers = numbers
    }

    var name: String { base.name }

    func tags() throws -> DocumentTags { merged }
    func countWords() throws -> WordCounts { try base.countWords() }
    func countWords(threads: Int) throws -> WordCounts { try base.countWords(threads: threads) }

    func forEachDocument(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (_ words: UnsafeBufferPointer<Int32>, _ tags: UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        var mapped: [Int32] = []
        try base.forEachDocument(part: part, of: parts, vocabulary: vocabulary, maxLength: maxLength) { words, tags in
            mapped.removeAll(keepingCapacity: true)
            for tag in tags {
                // A corpus is user code: a number outside its tags is passed on as one outside the
                // merged tags, which training refuses.
                mapped.append(tag >= 0 && Int(tag) < numbers.count ? numbers[Int(tag)] : -1)
            }
            try mapped.withUnsafeBufferPointer { try body(words, $0) }
        }
    }
}
