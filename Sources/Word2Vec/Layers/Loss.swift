extension TrainingConfiguration {
    /// The training objective, one setting with its parameters: which output layers a model has and
    /// how each prediction is scored (fastText's `-loss`, the original tool's `-hs` and `-negative`).
    public enum Loss: Sendable, Equatable {
        /// Negative sampling (Mikolov et al. 2013): the target against `negatives` words drawn from
        /// the noise distribution.
        case negativeSampling(negatives: Int)
        /// Hierarchical softmax (Morin & Bengio 2005) over the Huffman tree of the vocabulary.
        case hierarchicalSoftmax
        /// Both on one hidden vector, their gradients summed (the original tool's `-hs 1 -negative N`).
        case hierarchicalSoftmaxAndNegativeSampling(negatives: Int)
        /// The exact softmax over the whole vocabulary: `O(vocabulary)` per prediction, so refused
        /// above `softmaxVocabularyLimit` words unless `allowLargeSoftmax`.
        case softmax

        /// The loss the original tool's two flags select: hierarchical softmax with `hierarchicalSoftmax`,
        /// negative sampling with `negatives > 0`, both with both; `nil` when neither is on.
        public init?(hierarchicalSoftmax: Bool, negatives: Int) {
            switch (hierarchicalSoftmax, negatives > 0) {
            case (true, true): self = .hierarchicalSoftmaxAndNegativeSampling(negatives: negatives)
            case (true, false): self = .hierarchicalSoftmax
            case (false, true): self = .negativeSampling(negatives: negatives)
            case (false, false): return nil
            }
        }

        /// Noise words per prediction; 0 without negative sampling.
        public var negatives: Int {
            switch self {
            case let .negativeSampling(n), let .hierarchicalSoftmaxAndNegativeSampling(n): n
            case .hierarchicalSoftmax, .softmax: 0
            }
        }

        /// Whether hierarchical softmax is part of the loss.
        public var usesHierarchicalSoftmax: Bool {
            switch self {
            case .hierarchicalSoftmax, .hierarchicalSoftmaxAndNegativeSampling: true
            case .negativeSampling, .softmax: false
            }
        }

        /// The output layers this loss trains, in the order their steps run (hierarchical softmax
        /// before negative sampling, as in the original tool). The one place where the objective
        /// becomes layers.
        public var outputKinds: [OutputLayer.Kind] {
            switch self {
            case .negativeSampling: [.negativeSampling]
            case .hierarchicalSoftmax: [.hierarchicalSoftmax]
            case .hierarchicalSoftmaxAndNegativeSampling: [.hierarchicalSoftmax, .negativeSampling]
            case .softmax: [.softmax]
            }
        }
    }

    /// The output layers `loss` trains (see `Loss.outputKinds`).
    public var outputKinds: [OutputLayer.Kind] { loss.outputKinds }

    /// Noise words per prediction (`loss.negatives`); 0 without negative sampling.
    public var negatives: Int { loss.negatives }
}
