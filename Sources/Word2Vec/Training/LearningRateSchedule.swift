/// The learning rate over a run: linear from `initial` to `final` in the run's progress, the
/// schedule of the original tool and of gensim. Training, `update` and document inference all take
/// their rates from it.
struct LearningRateSchedule: Sendable {
    let initial: Float
    let final: Float

    /// The schedule `configuration` asks for, starting at `initial` (a resumed or updated run
    /// starts where its state says): down to `minLearningRate` if set, else to
    /// `defaultFinalLearningRateFraction` of the start.
    init(_ configuration: TrainingConfiguration, initial: Float) {
        self.initial = initial
        final = configuration.minLearningRate ?? initial * configuration.defaultFinalLearningRateFraction
    }

    init(initial: Float, final: Float) {
        self.initial = initial
        self.final = final
    }

    /// The rate at `progress`, the fraction of the run done (clamped to 1).
    @inline(__always)
    func rate(progress: Double) -> Float {
        initial - (initial - final) * Float(min(progress, 1))
    }
}

/// Subsampling of frequent words (Mikolov et al. 2013, as the original tool computes it): word `w`
/// is kept with probability `keep[w]`, 1 for words below the threshold. Training and inference both
/// filter sentences through it, so they drop the same words for the same draws.
struct Subsampling: Sendable {
    /// Per word of the vocabulary; empty when subsampling is off.
    let keep: [Float]

    init(_ vocabulary: Vocabulary, sample: Double) {
        keep = sample > 0 ? vocabulary.keepProbabilities(sample: sample) : []
    }

    /// Copies the words of `sentence` that survive to `kept`, drawing from `random` for each word
    /// that may be dropped; returns how many were kept.
    @inline(__always)
    func filter(_ sentence: some Sequence<Int32>, into kept: UnsafeMutablePointer<Int32>,
                random: inout LinearCongruentialGenerator) -> Int {
        var length = 0
        keep.withUnsafeBufferPointer { keep in
            let subsample = !keep.isEmpty
            for word in sentence {
                if subsample && keep[Int(word)] < 1 && keep[Int(word)] < random.nextUnit() { continue }
                kept[length] = word
                length += 1
            }
        }
        return length
    }
}
