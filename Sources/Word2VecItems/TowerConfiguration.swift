import Word2Vec

/// What the user tower is built from and how it is trained (`UserTower`, `TowerTrainer`).
///
/// The architecture (`inputs`, `hidden`) is stored with the tower in the model file; the training
/// settings are not, since they do not change what a trained tower computes.
public struct TowerConfiguration: Sendable, Equatable {
    /// The history summaries the first layer sees, each a vector of the item dimension,
    /// concatenated in the order of the properties.
    public struct Inputs: Sendable, Equatable {
        /// The last item's embedding.
        public var last: Bool
        /// The mean of the history's embeddings with an item `age` positions before the last one
        /// weighted `0.5^(age / halfLife)`; `nil` leaves it out. Items older than `12 halfLife`
        /// (weight below 2^-12) are not read.
        public var halfLife: Double?
        /// The plain mean of the whole history's embeddings.
        public var mean: Bool

        public init(last: Bool = true, halfLife: Double? = 1, mean: Bool = true) {
            self.last = last
            self.halfLife = halfLife
            self.mean = mean
        }

        /// Summaries present, each `dimension` wide.
        public var count: Int { (last ? 1 : 0) + (halfLife == nil ? 0 : 1) + (mean ? 1 : 0) }
    }

    /// The training objective over the catalogue.
    public enum Loss: Sendable, Equatable {
        /// Cross-entropy of the softmax over every item: exact, O(items x dimension) per example.
        case softmax
        /// Sampled softmax (Jean et al. 2015): the target and `samples` items drawn from the
        /// training counts raised to 0.75, their scores corrected by the log of their expected
        /// count so that the estimate is of the full softmax. O(samples x dimension) per example,
        /// for catalogues where the full softmax is too slow. With `samples` at least the number
        /// of items the full softmax is trained instead.
        case sampledSoftmax(samples: Int)
    }

    /// How each step turns gradients into parameter changes (`TowerUpdate`).
    public enum Optimizer: Sendable, Equatable {
        /// `parameter -= rate x gradient` (the default before Adam; about 0.05 is its rate).
        case sgd
        /// Adam (Kingma & Ba 2015): the running mean of each parameter's gradient over the root of
        /// the running mean of its square; rows are updated only when they have a gradient.
        case adam
    }

    public var inputs = Inputs()
    /// The side fields' means read the tokens of the last this many events of the history only:
    /// recent queries say most about the next item, and a user's constant features (age, gender)
    /// are the same in any window; it also bounds their cost per example. Stored with the tower.
    public var sideWindow = 20
    /// Widths of the ReLU layers, 1 to 3 of them; a linear layer maps the last to the user vector
    /// (the item dimension).
    public var hidden: [Int] = [256]
    /// Sampled softmax over 200 items beat the full softmax on MovieLens-100k's 1,682 items at less
    /// than half the time.
    public var loss: Loss = .sampledSoftmax(samples: 200)
    /// Passes over the training examples (every position of every sequence but the first). With
    /// Adam 4 were as good as 6 on MovieLens-100k at two thirds of the time (Benchmarks/README.md,
    /// "User tower").
    public var epochs = 4
    /// The rate at the start; it falls linearly to 1e-4 of it by the end. Adam's 5e-4 ranked the
    /// held-out items higher than 1e-3 (NDCG) on MovieLens-100k; 3e-3 was worse than SGD.
    public var learningRate: Float = 0.0005
    /// Adam: on MovieLens-100k (validation split) 4 passes reached HR@10 0.238 against SGD's 0.215
    /// at 6 and Adagrad's 0.229 at 4.
    public var optimizer: Optimizer = .adam
    /// Probability that a hidden unit is dropped in a training step (Srivastava et al. 2014; the
    /// kept ones are scaled by `1 / (1 - dropout)`, so that answering needs no change). The tower
    /// overfits a data set of MovieLens-100k's size; 0.2 raised HR@10 by 0.008 at rate 1e-3 and
    /// NDCG@10 by 0.002 at 5e-4 (within the noise there, kept for the first).
    public var dropout: Float = 0.2
    /// Leave the history's items (other than the target) out of the training softmax: answers
    /// never include them, so ranking them is wasted effort. On MovieLens-100k it was the largest
    /// single gain (HR@10 +0.008, NDCG@10 +0.010 over Adam alone).
    public var maskHistory = true
    /// Hogwild threads over the examples.
    public var threads = 2
    public var seed: UInt64 = 1
    /// Train the item embeddings the tower reads (`true`) or keep them as initialised.
    public var trainEmbeddings = true
    /// Start the embeddings the tower reads from the model's item vectors (item2vec, scaled to unit
    /// length) rather than from random rows.
    public var startFromItemVectors = true

    public init() {}

    /// Throws `Word2VecError.invalidConfiguration` naming the first setting out of range.
    public func validate() throws {
        func fail(_ setting: String, _ problem: String) -> Word2VecError {
            .invalidConfiguration(setting: "TowerConfiguration.\(setting)", problem: problem)
        }
        guard inputs.count >= 1 else { throw fail("inputs", "needs at least one of last, halfLife, mean") }
        if let halfLife = inputs.halfLife, !(halfLife > 0 && halfLife <= 1_000) {
            throw fail("inputs.halfLife", "must be in (0, 1000] items (got \(halfLife))")
        }
        guard (1...100_000).contains(sideWindow) else { throw fail("sideWindow", "must be 1 to 100000 events (got \(sideWindow))") }
        guard (1...3).contains(hidden.count) else { throw fail("hidden", "must have 1 to 3 layers (got \(hidden.count))") }
        for width in hidden where !(1...8_192).contains(width) {
            throw fail("hidden", "widths must be 1 to 8192 (got \(width))")
        }
        if case let .sampledSoftmax(samples) = loss, !(1...100_000).contains(samples) {
            throw fail("loss.samples", "must be 1 to 100000 (got \(samples))")
        }
        guard (1...10_000).contains(epochs) else { throw fail("epochs", "must be 1 to 10000 (got \(epochs))") }
        guard learningRate > 0, learningRate.isFinite, learningRate <= 10 else {
            throw fail("learningRate", "must be in (0, 10] (got \(learningRate))")
        }
        guard dropout >= 0, dropout < 1 else { throw fail("dropout", "must be in [0, 1) (got \(dropout))") }
        guard (1...1_024).contains(threads) else { throw fail("threads", "must be 1 to 1024 (got \(threads))") }
    }
}
