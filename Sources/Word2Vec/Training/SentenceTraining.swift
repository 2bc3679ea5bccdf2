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
    let input: Matrix
    let window: Int
    let shrinkWindow: Bool
    let architecture: TrainingConfiguration.Architecture
    let mean: Bool
    let documentMode: DocumentMode?
    let dbowWords: Bool
    let documents: Matrix?
    let padding: UnsafeMutablePointer<Float>?
    /// Set for skip-gram with shared negatives (`TrainingConfiguration.sharedNegatives`).
    let scratch: WindowScratch?

    /// Trains `kept` (the sentence after subsampling) with its document `tags`.
    @inline(__always)
    func train<O: Objective>(
        kept: UnsafeBufferPointer<Int32>, tags: UnsafeBufferPointer<Int32>,
        objective: inout O, state: inout WorkerState, learningRate: Float
    ) {
        switch documentMode {
        case nil:
            switch architecture {
            case .cbow:
                CBOW.train(sentence: kept, input: input, window: window, shrinkWindow: shrinkWindow, mean: mean,
                           objective: &objective, state: &state, learningRate: learningRate)
            case .skipGram:
                if let scratch {
                    WindowedSkipGram.train(
                        sentence: kept, input: input, window: window, shrinkWindow: shrinkWindow,
                        objective: &objective, state: &state, scratch: scratch, learningRate: learningRate)
                } else {
                    SkipGram.train(sentence: kept, input: input, window: window, shrinkWindow: shrinkWindow,
                                   objective: &objective, state: &state, learningRate: learningRate)
                }
            }
        case .dbow?:
            if dbowWords {
                SkipGram.train(sentence: kept, input: input, window: window, shrinkWindow: shrinkWindow,
                               objective: &objective, state: &state, learningRate: learningRate)
            }
            DistributedBagOfWords.train(
                sentence: kept, documents: DocumentRows(documents!, tags: tags),
                objective: &objective, state: &state, learningRate: learningRate)
        case .dmMean?, .dmSum?:
            CBOW.train(sentence: kept, input: input, window: window, shrinkWindow: shrinkWindow,
                       mean: documentMode == .dmMean, documents: DocumentRows(documents!, tags: tags),
                       objective: &objective, state: &state, learningRate: learningRate)
        case .dmConcat?:
            ConcatenatedContext.train(
                sentence: kept, input: input, window: window, documents: DocumentRows(documents!, tags: tags),
                documentSlot: true, padding: padding!, objective: &objective, state: &state,
                learningRate: learningRate)
        }
    }
}
