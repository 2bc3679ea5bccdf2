import Dispatch

/// How vectors of new documents are inferred from a paragraph-vector model.
public struct InferenceOptions: Sendable {
    /// Passes over each document; `nil`: the model's training epochs.
    public var epochs: Int?
    /// Starting learning rate, decaying linearly to 1e-4 of it by the last pass; `nil`: the model's.
    public var learningRate: Float?
    /// With equal seeds, equal texts get bit-identical vectors, whatever the thread count.
    public var seed: UInt64 = 1
    /// Documents are inferred in parallel on this many threads.
    public var threads = 1

    public init() {}
}

extension Model {
    /// The vector of a new document, learnt as training learnt the document vectors but with every
    /// other weight frozen (Le & Mikolov 2014): the document vector starts at a value drawn from its
    /// words and `options.seed`, then gradient descent on predicting its words moves it alone.
    ///
    /// Unknown words are left out; a document without known words gets the zero vector.
    ///
    /// - Throws: `Word2VecError.invalidOption` if the model holds no document vectors, was opened
    ///   without its output weights, or an option is out of range.
    /// - Complexity: O(epochs x words x cost of one prediction).
    public func inferVector(words: [String], options: InferenceOptions = InferenceOptions()) throws -> [Float] {
        try inferVectors(documents: [words], options: options).row(0)
    }

    /// The vectors of new documents (row `i` for `documents[i]`), in parallel on `options.threads`.
    /// See `inferVector(words:options:)`.
    public func inferVectors(documents: [[String]], options: InferenceOptions = InferenceOptions()) throws -> Matrix {
        try inferVectors(indices: documents.map { $0.compactMap { vocabulary.index(of: $0).map(Int32.init) } }, options: options)
    }

    /// The vectors of the documents of a file, one per line; a line's leading tag field (text
    /// before a TAB in its first `DocumentFileCorpus.maximumTagFieldBytes` bytes) is skipped, so a
    /// training file can be given as it is. Row `i` is the vector of line `i` (0-based).
    /// - Throws: also `Word2VecError.unreadableFile`.
    public func inferVectors(fileAt path: String, options: InferenceOptions = InferenceOptions()) throws -> Matrix {
        try inferVectors(of: .file(path), options: options)
    }

    func inferVectors(indices documents: [[Int32]], options: InferenceOptions) throws -> Matrix {
        guard let documentVectors = self.documents else {
            throw Word2VecError.invalidOption("model", "holds no document vectors (it was not trained with a document mode)")
        }
        guard isTrainable else {
            throw Word2VecError.invalidOption("model", "was opened without its output weights, which inference needs")
        }
        let epochs = options.epochs ?? configuration.epochs
        guard epochs >= 1, epochs <= TrainingConfiguration.limits.epochs else {
            throw Word2VecError.invalidOption("epochs", "must be between 1 and \(TrainingConfiguration.limits.epochs) (got \(epochs))")
        }
        let alpha = options.learningRate ?? state.initialLearningRate
        guard alpha > 0, alpha <= TrainingConfiguration.limits.learningRate else {
            throw Word2VecError.invalidOption("learning rate", "must be in (0, \(TrainingConfiguration.limits.learningRate)] (got \(alpha))")
        }
        guard options.threads >= 1, options.threads <= 1024 else {
            throw Word2VecError.invalidOption("threads", "must be between 1 and 1024 (got \(options.threads))")
        }
        let inference = DocumentInference(
            model: self, documentVectors: documentVectors, epochs: epochs, learningRate: alpha, seed: options.seed)
        let result = Matrix(rows: documents.count, columns: dimension)
        let threads = min(options.threads, max(documents.count, 1))
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            inference.infer(documents, stride: t, of: threads, into: result)
        }
        return result
    }

}

/// The frozen parts of a model that inference reads, shared by the threads.
///
/// `@unchecked Sendable` for `padding`, a raw pointer into the model's document matrix that inference
/// only reads; everything else is constant and Sendable.
struct DocumentInference: @unchecked Sendable {
    let model: Model
    let mode: DocumentMode
    let tree: HuffmanTree?
    let noise: NoiseDistribution?
    let subsampling: Subsampling
    let epochs: Int
    let learningRate: Float
    let seed: UInt64
    let padding: UnsafeMutablePointer<Float>?

    init(model: Model, documentVectors: DocumentVectors, epochs: Int, learningRate: Float, seed: UInt64) {
        self.model = model
        let configuration = model.configuration
        mode = configuration.documentMode!
        tree = model.output(.hierarchicalSoftmax) != nil ? HuffmanTree(sortedCounts: model.vocabulary.counts) : nil
        noise = model.output(.negativeSampling) != nil
            ? NoiseDistribution(counts: model.vocabulary.counts, exponent: configuration.noiseExponent) : nil
        subsampling = Subsampling(model.vocabulary, sample: configuration.sample)
        self.epochs = epochs
        self.learningRate = learningRate
        self.seed = seed
        padding = documentVectors.hasPadding ? documentVectors.padding : nil
    }

    /// Infers documents `stride`, `stride + threads`, ... into their rows of `result`: each one's row
    /// is the only document vector its sentences train, and the step is training's, with the word
    /// and output weights frozen.
    func infer(_ documents: [[Int32]], stride: Int, of threads: Int, into result: Matrix) {
        let configuration = model.configuration
        let dimension = model.dimension
        let maxLength = configuration.maxSentenceLength
        let settings = SentenceTraining(
            input: model.inputs, window: configuration.window, shrinkWindow: configuration.shrinkWindow,
            architecture: configuration.architecture, mean: configuration.cbowMean, concatenatesWords: false,
            documentMode: mode, dbowWords: false, learnsWords: false, documents: result, padding: padding, scratch: nil)
        var state = WorkerState(seed: seed, hiddenWidth: configuration.hiddenWidth, maxSentenceLength: maxLength)
        defer { state.deallocate() }
        var tag: Int32 = 0
        // Down to 1e-4 of the start by the last epoch, each epoch at one rate.
        let schedule = LearningRateSchedule(initial: learningRate, final: learningRate * 1e-4)
        settings.withStep(model: model, tree: tree, noise: noise, learnsOutput: false) { step in
            withUnsafeMutablePointer(to: &tag) { tag in
                let tags = UnsafeBufferPointer(start: tag, count: 1)
                for d in Swift.stride(from: stride, to: documents.count, by: threads) {
                    let words = documents[d]
                    let vector = result.pointer(row: d)
                    guard !words.isEmpty else {
                        VectorKernels.zero(vector, count: dimension)
                        continue
                    }
                    tag.pointee = Int32(d)
                    // Seeded by the text, so that a document's vector does not depend on its
                    // position or on which thread infers it.
                    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
                    for word in words { hash = (hash ^ UInt64(UInt32(bitPattern: word))) &* 0x0000_0100_0000_01B3 }
                    state.random = LinearCongruentialGenerator(seed: hash ^ seed)
                    Trainer.initialize(vector, count: dimension, generator: &state.random)
                    for epoch in 0..<epochs {
                        let rate = schedule.rate(progress: epochs > 1 ? Double(epoch) / Double(epochs - 1) : 0)
                        var start = 0
                        while start < words.count {
                            let end = min(start + maxLength, words.count)
                            let length = subsampling.filter(words[start..<end], into: state.kept, random: &state.random)
                            step(UnsafeBufferPointer(start: state.kept, count: length), tags, &state, rate)
                            start = end
                        }
                    }
                }
            }
        }
    }
}
