/// The settings that pick how one sentence is trained, and the step itself.
///
/// Kept apart from `TrainingRun`, which is generic over the corpus: a generic function is compiled
/// for a concrete objective only when every one of its type parameters is concrete where it is
/// called. Inside `TrainingRun<Corpus>` the corpus type stays generic (the public `Trainer.train`
/// takes `some TrainingCorpus`), so the architectures were compiled once for any objective and
/// called it through its witness table at every prediction (the profile showed the unspecialised
/// `CBOW.train` calling `NegativeSampling.update` out of line). Called from a closure in which the
/// objective's type is concrete, `train` is specialised and the objective inlined.
struct SentenceTraining {
    /// The word rows, and the same rows with the n-grams' rows when the model has subwords
    /// (`InputLayer.rows`): the architectures are specialised for each.
    let input: WordRows
    let subwords: SubwordInput?
    let window: Int
    let shrinkWindow: Bool
    /// Skip-gram: context words drawn per centre, 0 for all (`TrainingConfiguration.contextSamples`).
    let contextSamples: Int
    let architecture: TrainingConfiguration.Architecture
    let mean: Bool
    /// CBOW with a concatenated projection (`TrainingConfiguration.cbowConcat`).
    let concatenatesWords: Bool
    let documentMode: DocumentMode?
    let dbowWords: Bool
    /// False while inferring: the paragraph-vector modes leave the word rows as trained.
    let learnsWords: Bool
    let documents: Matrix?
    let padding: UnsafeMutablePointer<Float>?
    /// Set for skip-gram with shared negatives (`TrainingConfiguration.sharedNegatives`).
    let scratch: WindowScratch?

    init(
        input: InputLayer, window: Int, shrinkWindow: Bool, contextSamples: Int = 0,
        architecture: TrainingConfiguration.Architecture,
        mean: Bool, concatenatesWords: Bool, documentMode: DocumentMode?, dbowWords: Bool, learnsWords: Bool,
        documents: Matrix?, padding: UnsafeMutablePointer<Float>?, scratch: WindowScratch?
    ) {
        (self.input, subwords) = input.rows
        self.window = window
        self.shrinkWindow = shrinkWindow
        self.contextSamples = contextSamples
        self.architecture = architecture
        self.mean = mean
        self.concatenatesWords = concatenatesWords
        self.documentMode = documentMode
        self.dbowWords = dbowWords
        self.learnsWords = learnsWords
        self.documents = documents
        self.padding = padding
        self.scratch = scratch
    }

    /// Trains `kept` (the sentence after subsampling) with its document `tags`.
    @inline(__always)
    func train<O: Objective>(
        kept: UnsafeBufferPointer<Int32>, tags: UnsafeBufferPointer<Int32>,
        objective: inout O, state: inout WorkerState, learningRate: Float
    ) {
        if let subwords {
            train(kept: kept, tags: tags, input: subwords, objective: &objective, state: &state, learningRate: learningRate)
        } else {
            train(kept: kept, tags: tags, input: input, objective: &objective, state: &state, learningRate: learningRate)
        }
    }

    @inline(__always)
    private func train<O: Objective, I: InputRows>(
        kept: UnsafeBufferPointer<Int32>, tags: UnsafeBufferPointer<Int32>, input: I,
        objective: inout O, state: inout WorkerState, learningRate: Float
    ) {
        switch documentMode {
        case nil:
            switch architecture {
            case .cbow where concatenatesWords:
                ConcatenatedContext.train(
                    sentence: kept, input: input, window: window, documents: .none, documentSlot: false,
                    padding: padding!, objective: &objective, state: &state, learningRate: learningRate)
            case .cbow:
                CBOW.train(sentence: kept, input: input, window: window, shrinkWindow: shrinkWindow, mean: mean,
                           objective: &objective, state: &state, learningRate: learningRate)
            case .skipGram:
                SkipGram.train(sentence: kept, input: input, window: window, shrinkWindow: shrinkWindow,
                               contextSamples: contextSamples, objective: &objective, state: &state, scratch: scratch,
                               learningRate: learningRate)
            }
        case .dbow?:
            if dbowWords {
                SkipGram.train(sentence: kept, input: input, window: window, shrinkWindow: shrinkWindow,
                               contextSamples: contextSamples, objective: &objective, state: &state,
                               learningRate: learningRate)
            }
            DistributedBagOfWords.train(
                sentence: kept, documents: DocumentRows(documents!, tags: tags),
                objective: &objective, state: &state, learningRate: learningRate)
        case .dmMean?, .dmSum?:
            CBOW.train(sentence: kept, input: input, window: window, shrinkWindow: shrinkWindow,
                       mean: documentMode == .dmMean, documents: DocumentRows(documents!, tags: tags),
                       learnsWords: learnsWords, objective: &objective, state: &state, learningRate: learningRate)
        case .dmConcat?:
            ConcatenatedContext.train(
                sentence: kept, input: input, window: window, documents: DocumentRows(documents!, tags: tags),
                documentSlot: true, padding: padding!, learnsWords: learnsWords, objective: &objective, state: &state,
                learningRate: learningRate)
        }
    }
}

extension SentenceTraining {
    /// One sentence's training step: the sentence after subsampling, its document tags, the
    /// worker's state and the learning rate.
    typealias Step = (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>, inout WorkerState, Float) -> Void

    /// Calls `body` with the training step for the objective `model` is configured with: the full
    /// softmax, hierarchical softmax, negative sampling or both, over its output weights, with its
    /// L2 penalty. Training and inference both choose their objective here, so both get a step
    /// specialised for it. `learnsOutput == false` leaves the output weights as trained (inference).
    func withStep(
        model: Model, tree: HuffmanTree?, noise: NoiseDistribution?, learnsOutput: Bool = true,
        _ body: (Step) throws -> Void
    ) rethrows {
        let configuration = model.configuration
        let l2 = configuration.l2
        let width = configuration.hiddenWidth
        if let softmax = model.output(.softmax) {
            var objective = FullSoftmax(output: softmax)
            objective.l2 = l2
            objective.learnsOutput = learnsOutput
            return try withStep(objective, l2: l2, width: width, body)
        }
        // Rows every prediction writes are copied per worker when several share the matrix.
        let replica = learnsOutput && configuration.threads > 1
            ? model.output(.hierarchicalSoftmax).map { ReplicatedRows(lastRowsOf: $0, count: 256, interval: 256) } : nil
        defer { replica?.finish() }
        switch (model.output(.hierarchicalSoftmax), model.output(.negativeSampling)) {
        case let (hs?, ns?):
            var first = HierarchicalSoftmax(output: hs, tree: tree!)
            first.replica = replica
            var second = NegativeSampling(output: ns, negatives: configuration.negatives, noise: noise!)
            first.l2 = l2
            second.l2 = l2
            first.learnsOutput = learnsOutput
            second.learnsOutput = learnsOutput
            try withStep(CombinedObjective(first, second), l2: l2, width: width, body)
        case let (hs?, nil):
            var objective = HierarchicalSoftmax(output: hs, tree: tree!)
            objective.replica = replica
            objective.l2 = l2
            objective.learnsOutput = learnsOutput
            try withStep(objective, l2: l2, width: width, body)
        case let (nil, ns?):
            var objective = NegativeSampling(output: ns, negatives: configuration.negatives, noise: noise!)
            objective.l2 = l2
            objective.learnsOutput = learnsOutput
            try withStep(objective, l2: l2, width: width, body)
        case (nil, nil):
            preconditionFailure("validated configurations have an objective")
        }
    }

    /// Calls `body` with one sentence's training step using `objective`, wrapped in `WeightDecay`
    /// when `l2` is positive (so that runs without a penalty keep the plain objective's code). Generic
    /// over the objective alone, so that a caller naming a concrete objective gets a specialised step;
    /// the step is non-escaping, so the objective stays on the stack.
    private func withStep<O: Objective>(_ objective: O, l2: Float, width: Int, _ body: (Step) throws -> Void) rethrows {
        if l2 > 0 {
            var decayed = WeightDecay(objective, lambda: l2, width: width)
            try body { kept, tags, state, rate in
                train(kept: kept, tags: tags, objective: &decayed, state: &state, learningRate: rate)
            }
        } else {
            var objective = objective
            try body { kept, tags, state, rate in
                train(kept: kept, tags: tags, objective: &objective, state: &state, learningRate: rate)
            }
        }
    }
}
