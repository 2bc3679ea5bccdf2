/// Skip-gram steps taken a window at a time, so that the context words of one centre word can share
/// one set of noise words (Ji et al. 2016, "Parallelizing Word2Vec in Shared and Distributed
/// Memory": pWord2Vec).
///
/// In the original tool each (context, centre) pair draws its own negatives: a window of `k` context
/// words touches `k * negatives` random rows of the output matrix, most of them cache misses, and
/// draws as many random numbers. Sharing one draw per window touches `negatives` of them, and the
/// window's `k` input rows and `1 + negatives` output rows form two small matrices whose product
/// gives every score at once. The gradients are computed from the values before the step (a
/// mini-batch of the window's pairs) rather than pair by pair.
///
/// Hierarchical softmax keeps the pair-by-pair step: its pairs in a window share the centre word's
/// path, but a window at a time cost accuracy or gained no speed (docs/performance-notes.md,
/// "Skip-gram with hierarchical softmax a window at a time").
///
/// Windows larger than `WindowScratch.blockRows` context words are processed in blocks of that
/// many, each with its own draw, which bounds the scratch space for `--window full`.
package struct WindowScratch {
    /// Context rows processed together, at most.
    package static let blockRows = 16

    package let rows: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    let outputs: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    /// `blockRows x (1 + negatives)` step sizes, row-major by context row.
    let steps: UnsafeMutablePointer<Float>
    /// `blockRows x dimension`: each context row's update, applied after the output rows moved.
    let gradients: UnsafeMutablePointer<Float>
    let maxOutputs: Int
    /// The window's scores against one output row (`blockRows`).
    let scores: UnsafeMutablePointer<Float>

    package init(dimension: Int, negatives: Int) {
        maxOutputs = negatives + 1
        rows = .allocate(capacity: Self.blockRows)
        scores = .allocate(capacity: Self.blockRows)
        outputs = .allocate(capacity: maxOutputs)
        steps = .allocate(capacity: Self.blockRows * maxOutputs)
        gradients = UnsafeMutableRawPointer.allocate(
            byteCount: Self.blockRows * max(dimension, 1) * MemoryLayout<Float>.stride, alignment: 64
        ).bindMemory(to: Float.self, capacity: Self.blockRows * max(dimension, 1))
    }

    package func deallocate() {
        rows.deallocate()
        scores.deallocate()
        outputs.deallocate()
        steps.deallocate()
        UnsafeMutableRawPointer(gradients).deallocate()
    }
}

extension Objective {
    /// One SGD step on predicting `target` from each of the `count` input rows `rows[0..<count]`,
    /// updating the rows themselves (`count <= WindowScratch.blockRows`); returns the summed loss.
    ///
    /// This default steps pair by pair, exactly as `SkipGram` does; objectives that can share work
    /// across a window (negative sampling) provide their own.
    @inline(__always)
    package mutating func updateWindow(
        rows: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int, target: Int, dimension: Int,
        scratch: WindowScratch, learningRate: Float, random: inout LinearCongruentialGenerator
    ) -> Float {
        var loss: Float = 0
        for i in 0..<count {
            VectorKernels.zero(scratch.gradients, count: dimension)
            loss += update(hidden: rows[i], target: target, gradient: scratch.gradients,
                           learningRate: learningRate, random: &random)
            VectorKernels.add(scratch.gradients, to: rows[i], count: dimension)
        }
        return loss
    }
}

extension Objective {
    @inline(__always)
    package func prepare(target: Int) {}
}

extension NegativeSampling {
    /// Negative sampling over a window with one shared draw of `negatives` noise words (a draw equal
    /// to the target is dropped, as in `update`). Loss, per row `r`: `-log σ(r·v_t) - Σ_n log σ(-r·v_n)`.
    ///
    /// Steps use the scores of the values before the step; each output row then moves by the sum of
    /// its steps over the window's rows, and each input row by the sum over the shared outputs.
    @inline(__always)
    package mutating func updateWindow(
        rows: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int, target: Int, dimension: Int,
        scratch: WindowScratch, learningRate: Float, random: inout LinearCongruentialGenerator
    ) -> Float {
        let outputs = scratch.outputs
        outputs[0] = output + target * dimension
        VectorKernels.prefetch(outputs[0], count: dimension)
        var m = 1
        for _ in 0..<negatives {
            let word = noise.sample(using: &random)
            if word == target { continue }
            outputs[m] = output + word * dimension
            m += 1
        }
        for j in 0..<m { VectorKernels.prefetch(outputs[j], count: dimension) }
        let steps = scratch.steps
        var loss: Float = 0
        // Scores and steps: the output row in the outer loop stays in L1 while the window's rows,
        // which already are, pass under it.
        let scores = scratch.scores
        for j in 0..<m {
            let label: Float = j == 0 ? 1 : 0
            VectorKernels.dots(outputs[j], rows: rows, count: count, dimension: dimension, into: scores)
            for i in 0..<count {
                let f = scores[i]
                loss -= sigmoid.logSigmoid(j == 0 ? f : -f)
                steps[i &* m &+ j] = (label - sigmoid.sigmoid(f)) * learningRate
            }
        }
        // Input updates from the output rows as they were, then the output updates from the input
        // rows as they were, then the input rows move.
        for i in 0..<count {
            let g = scratch.gradients + i &* dimension
            VectorKernels.zero(g, count: dimension)
            for j in 0..<m { VectorKernels.axpy(steps[i &* m &+ j], outputs[j], g, count: dimension) }
        }
        if learnsOutput {
            // With L2 a row decays once per prediction that uses it (`WeightDecay`): here `count` of them.
            var keep: Float = 1
            if l2 > 0 { for _ in 0..<count { keep *= 1 - learningRate * l2 } }
            for j in 0..<m {
                if keep != 1 { VectorKernels.scale(outputs[j], by: keep, count: dimension) }
                for i in 0..<count { VectorKernels.axpy(steps[i &* m &+ j], rows[i], outputs[j], count: dimension) }
            }
        }
        for i in 0..<count { VectorKernels.add(scratch.gradients + i &* dimension, to: rows[i], count: dimension) }
        return loss
    }
}

extension CombinedObjective {
    /// Both objectives' window steps, one after the other: with `-hs 1 -negative N` and shared
    /// negatives the noise draw is still shared, and hierarchical softmax steps pair by pair.
    @inline(__always)
    package mutating func updateWindow(
        rows: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int, target: Int, dimension: Int,
        scratch: WindowScratch, learningRate: Float, random: inout LinearCongruentialGenerator
    ) -> Float {
        first.updateWindow(
            rows: rows, count: count, target: target, dimension: dimension, scratch: scratch,
            learningRate: learningRate, random: &random)
            + second.updateWindow(
                rows: rows, count: count, target: target, dimension: dimension, scratch: scratch,
                learningRate: learningRate, random: &random)
    }
}
