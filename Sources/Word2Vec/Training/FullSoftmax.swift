#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The full softmax over the vocabulary (the output layer word2vec approximates): scores
/// `s_j = h·v_j` for every word `j`, `p = softmax(s)`, loss `-log p_target`. The step moves every
/// output row, `v_j -= rate (p_j - [j = target]) h`, and adds `-rate Σ_j (p_j - [j = target]) v_j` to
/// the gradient for `h`. Exact, and `O(words x width)` per prediction: see
/// `TrainingConfiguration.softmaxVocabularyLimit`.
///
/// Scores are shifted by their maximum before `exp`, so large scores do not overflow. `l2 > 0` also
/// scales every output row by `1 - rate x l2` at each step (the softmax touches them all).
package struct FullSoftmax: Objective {
    package let output: UnsafeMutablePointer<Float>
    /// Width of an output row (the hidden layer's width).
    package let dimension: Int
    package let words: Int
    /// False while inferring: the output weights stay as trained.
    package var learnsOutput = true
    package var l2: Float = 0
    /// The loss costs one logarithm here, next to `words` exponentials: measured or not, the same.
    package var measuresLoss = true
    /// One score per word; owned by `buffer`, private to the worker that holds this objective.
    @usableFromInline let scores: UnsafeMutablePointer<Float>
    private let buffer: ScoreBuffer

    /// `output`: `words x width` weights, row `j` for word `j`.
    package init(output: Matrix) {
        self.output = output.storage
        dimension = output.columns
        words = output.rows
        buffer = ScoreBuffer(count: output.rows)
        scores = buffer.storage
    }

    @inline(__always)
    package mutating func update(
        hidden: UnsafePointer<Float>, target: Int, gradient: UnsafeMutablePointer<Float>,
        learningRate: Float, random: inout LinearCongruentialGenerator
    ) -> Float {
        var highest = -Float.infinity
        for j in 0..<words {
            let s = VectorKernels.dot(hidden, output + j * dimension, count: dimension)
            scores[j] = s
            highest = max(highest, s)
        }
        let targetScore = scores[target]
        var sum: Float = 0
        for j in 0..<words {
            let e = expf(scores[j] - highest)
            scores[j] = e
            sum += e
        }
        let loss = logf(sum) + highest - targetScore
        let normaliser = 1 / sum
        let decay = 1 - learningRate * l2
        for j in 0..<words {
            let row = output + j * dimension
            let g = ((j == target ? 1 : 0) - scores[j] * normaliser) * learningRate
            VectorKernels.stepOutputRow(g, hidden: hidden, row: row, gradient: gradient, dimension: dimension,
                                        updateRow: learnsOutput, keep: decay)
        }
        return measuresLoss ? loss : 0
    }
}

/// Scratch memory that lives as long as the objectives copied from one `FullSoftmax`.
private final class ScoreBuffer {
    let storage: UnsafeMutablePointer<Float>
    init(count: Int) {
        storage = .allocate(capacity: max(count, 1))
        storage.initialize(repeating: 0, count: max(count, 1))
    }
    deinit { storage.deallocate() }
}
