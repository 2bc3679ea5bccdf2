/// L2 regularisation (`TrainingConfiguration.l2`, `lambda`), applied lazily: only rows that an SGD
/// step touches decay, each by the factor `1 - rate x lambda` of that step, which is SGD on the loss of
/// each prediction plus `lambda / 2` times the squared norm of the rows it uses. Rows that no
/// prediction uses are never scaled, and a frequent word decays more often than a rare one, so this is
/// not the same as decaying every row at every step (which costs a pass over all the matrices).
///
/// This wrapper covers the input side: it adds `-rate x lambda x h` to the gradient for `h`, which the
/// architecture then adds to the rows that formed `h`. For skip-gram, PV-DBOW and the concatenated
/// projections `h` is made of those rows themselves, so each one decays by exactly `1 - rate x lambda`.
/// For CBOW mean and sum (and PV-DM mean and sum) each context row receives `-rate x lambda x h` like
/// it receives the loss gradient: the penalty is then on the projection `h`, not on each row. The
/// output side is each objective's own `l2`: negative sampling and hierarchical softmax decay the rows
/// they update (target, noise words, path nodes; a saturated node that is not updated is not
/// decayed), the full softmax all of them.
package struct WeightDecay<Inner: Objective>: Objective {
    package var inner: Inner
    package let lambda: Float
    /// Width of the hidden vector.
    package let width: Int

    package var measuresLoss: Bool {
        get { inner.measuresLoss }
        set { inner.measuresLoss = newValue }
    }

    package init(_ inner: Inner, lambda: Float, width: Int) {
        self.inner = inner
        self.lambda = lambda
        self.width = width
    }

    @inline(__always)
    package mutating func update(
        hidden: UnsafePointer<Float>, target: Int, gradient: UnsafeMutablePointer<Float>,
        learningRate: Float, random: inout LinearCongruentialGenerator
    ) -> Float {
        let loss = inner.update(hidden: hidden, target: target, gradient: gradient, learningRate: learningRate, random: &random)
        VectorKernels.axpy(-learningRate * lambda, hidden, gradient, count: width)
        return loss
    }

    /// A window's rows are each the hidden vector of their own pair, so each decays once by
    /// `1 - rate x lambda`, as in `update`. The decay comes before the inner step rather than after
    /// it: the shared step adds all gradients at its end, from scores of the rows it was given.
    @inline(__always)
    package mutating func updateWindow(
        rows: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int, target: Int, dimension: Int,
        scratch: WindowScratch, learningRate: Float, random: inout LinearCongruentialGenerator
    ) -> Float {
        for i in 0..<count { VectorKernels.scale(rows[i], by: 1 - learningRate * lambda, count: dimension) }
        return inner.updateWindow(
            rows: rows, count: count, target: target, dimension: dimension, scratch: scratch,
            learningRate: learningRate, random: &random)
    }

    @inline(__always)
    package func prepare(target: Int) { inner.prepare(target: target) }
}
