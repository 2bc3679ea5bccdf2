/// What a running training reports, through the callback given to `Trainer.train`.
public enum TrainingEvent: Sendable {
    /// Sent a few times per second while training.
    case progress(TrainingProgress)
    /// Sent once at the end of each epoch.
    case epochFinished(EpochSummary)
}

public struct TrainingProgress: Sendable {
    /// 0-based epoch being trained.
    public var epoch: Int
    public var epochs: Int
    /// Fraction of the whole run (all epochs) done, in `0...1`.
    public var fraction: Double
    public var learningRate: Float
    /// Mean loss per prediction so far in this epoch, as seen by the first worker thread (0 before its
    /// first prediction).
    public var meanLoss: Double
    /// Corpus words processed per second of wall time so far.
    public var wordsPerSecond: Double
    public var elapsedSeconds: Double

    /// Estimated seconds until the run ends, assuming the current speed.
    public var remainingSeconds: Double {
        fraction > 0 ? elapsedSeconds * (1 - fraction) / fraction : .infinity
    }
}

public struct EpochSummary: Sendable {
    /// 0-based epoch that finished.
    public var epoch: Int
    public var epochs: Int
    /// Mean loss per prediction over the epoch (natural log; summed over both objectives when
    /// hierarchical softmax and negative sampling run together).
    public var meanLoss: Double
    /// Predictions made in the epoch (centre-word predictions for CBOW, word pairs for skip-gram).
    public var predictions: Int
    public var wordsPerSecond: Double
    public var elapsedSeconds: Double
}
