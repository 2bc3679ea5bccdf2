/// An output layer and its loss: the seam where architectures meet objectives.
///
/// An architecture (CBOW, skip-gram, and later the paragraph-vector models) reduces its input to one
/// hidden vector `h` and asks the objective to take one SGD step towards predicting `target` from it.
/// The objective updates its own output weights and adds `-learningRate * dLoss/dh` into `gradient`;
/// the architecture then spreads `gradient` over the input rows that formed `h`. Conforming types are
/// structs over raw pointers so that the generic training loops specialise to straight-line code.
package protocol Objective {
    /// One SGD step on the loss of predicting `target` from `hidden` (`dimension` floats).
    ///
    /// - Returns: the loss before the step (natural log), for progress reporting; 0 when
    ///   `measuresLoss` is false.
    mutating func update(
        hidden: UnsafePointer<Float>, target: Int, gradient: UnsafeMutablePointer<Float>,
        learningRate: Float, random: inout LinearCongruentialGenerator
    ) -> Float

    /// One step for each of a window's `count` input rows predicting `target`, the rows updated in
    /// place; returns the summed loss. Defaults to `update` row by row (WindowSteps.swift).
    mutating func updateWindow(
        rows: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int, target: Int, dimension: Int,
        scratch: WindowScratch, learningRate: Float, random: inout LinearCongruentialGenerator
    ) -> Float

    /// A hint that `target` will be predicted soon: starts loading what that step reads first.
    /// Changes nothing observable. Defaults to nothing (WindowSteps.swift).
    func prepare(target: Int)

    /// Whether `update` computes the loss it returns. The loss serves progress reports only, and
    /// its table lookup per output row is ~10% of a hierarchical-softmax step, so the architectures
    /// measure it on a sample of predictions (`WorkerState.lossSampling`). The step is the same
    /// either way.
    var measuresLoss: Bool { get set }
}

/// Negative sampling (Mikolov et al. 2013): logistic regression of the target against `negatives`
/// words drawn from the noise distribution. Loss: `-log σ(h·v_t) - Σ_n log σ(-h·v_n)`.
///
/// A noise draw equal to the target is skipped rather than redrawn, as in the original tool.
package struct NegativeSampling: Objective {
    package let output: UnsafeMutablePointer<Float>
    package let dimension: Int
    package let negatives: Int
    package let noise: NoiseDistribution
    package let sigmoid: SigmoidTable
    /// False while inferring a document vector: the output weights stay as trained.
    package var learnsOutput = true
    /// L2 penalty on the output rows this objective updates (`WeightDecay`); 0 for none.
    package var l2: Float = 0
    package var measuresLoss = true

    package init(output: Matrix, negatives: Int, noise: NoiseDistribution, sigmoid: SigmoidTable = .shared) {
        self.output = output.storage
        self.dimension = output.columns
        self.negatives = negatives
        self.noise = noise
        self.sigmoid = sigmoid
    }

    @inlinable @inline(__always)
    package mutating func update(
        hidden: UnsafePointer<Float>, target: Int, gradient: UnsafeMutablePointer<Float>,
        learningRate: Float, random: inout LinearCongruentialGenerator
    ) -> Float {
        // The rows are random and mostly not cached: start loading all of them before the first is
        // needed (VectorKernels.prefetch). The noise words are drawn ahead on a copy of the
        // generator, so the loop below draws the same ones.
        VectorKernels.prefetch(output + target * dimension, count: dimension)
        var ahead = random
        for _ in 0..<min(negatives, 16) {
            VectorKernels.prefetch(output + noise.sample(using: &ahead) * dimension, count: dimension)
        }
        var loss: Float = 0
        for d in 0...negatives {
            let word: Int
            let label: Float
            if d == 0 {
                word = target
                label = 1
            } else {
                word = noise.sample(using: &random)
                if word == target { continue }
                label = 0
            }
            loss += sigmoid.logisticStep(
                hidden: hidden, row: output + word * dimension, label: label, gradient: gradient,
                dimension: dimension, learningRate: learningRate, updateSaturated: true, updateRow: learnsOutput,
                decay: l2, measuresLoss: measuresLoss)
        }
        return loss
    }

    @inlinable @inline(__always)
    package func prepare(target: Int) {
        VectorKernels.prefetch(output + target * dimension, count: dimension)
    }
}

/// Hierarchical softmax (Morin & Bengio 2005): a sequence of binary decisions along the target's
/// Huffman path. Loss: `-Σ_j log σ((1 - 2 c_j) h·v_{n_j})` over the path's inner nodes `n_j`, codes `c_j`.
///
/// As in the original tool, a node whose score is already saturated (|h·v| >= 6) gets no update.
package struct HierarchicalSoftmax: Objective {
    package let output: UnsafeMutablePointer<Float>
    package let dimension: Int
    @usableFromInline let codes: UnsafePointer<UInt8>
    @usableFromInline let nodes: UnsafePointer<Int32>
    @usableFromInline let offsets: UnsafePointer<Int32>
    package let sigmoid: SigmoidTable
    /// Owns the buffers behind `codes`, `nodes` and `offsets`.
    package let tree: HuffmanTree
    /// False while inferring a document vector: the output weights stay as trained.
    package var learnsOutput = true
    /// L2 penalty on the output rows this objective updates (`WeightDecay`); 0 for none.
    package var l2: Float = 0
    /// This worker's copy of the rows nearest the root, with more than one thread (`ReplicatedRows`).
    package var replica: ReplicatedRows?
    package var measuresLoss = true

    package init(output: Matrix, tree: HuffmanTree, sigmoid: SigmoidTable = .shared) {
        self.tree = tree
        self.output = output.storage
        self.dimension = output.columns
        self.codes = UnsafePointer(tree.codes)
        self.nodes = UnsafePointer(tree.nodes)
        self.offsets = UnsafePointer(tree.offsets)
        self.sigmoid = sigmoid
    }

    @inlinable @inline(__always)
    package mutating func update(
        hidden: UnsafePointer<Float>, target: Int, gradient: UnsafeMutablePointer<Float>,
        learningRate: Float, random: inout LinearCongruentialGenerator
    ) -> Float {
        var loss: Float = 0
        let path = Int(offsets[target])..<Int(offsets[target + 1])
        for j in path {
            loss += sigmoid.logisticStep(
                hidden: hidden, row: row(Int(nodes[j])), label: Float(1 - Int(codes[j])),
                gradient: gradient, dimension: dimension, learningRate: learningRate, updateSaturated: false,
                updateRow: learnsOutput, decay: l2, measuresLoss: measuresLoss)
        }
        replica?.predicted()
        return loss
    }

    @inlinable @inline(__always)
    func row(_ node: Int) -> UnsafeMutablePointer<Float> {
        replica?.row(node, of: output) ?? output + node * dimension
    }

    /// The nodes far from the root belong to few words and are rarely in cache: all the path's rows
    /// are requested one prediction ahead rather than waited on in turn (the rows near the root are
    /// cached anyway, so the extra requests cost little).
    @inlinable @inline(__always)
    package func prepare(target: Int) {
        for j in Int(offsets[target])..<Int(offsets[target + 1]) {
            VectorKernels.prefetch(row(Int(nodes[j])), count: dimension)
        }
    }
}

/// Both objectives on the same hidden vector, their gradients summed (the original tool's `-hs 1
/// -negative N`).
package struct CombinedObjective<First: Objective, Second: Objective>: Objective {
    package var first: First
    package var second: Second

    package init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    package var measuresLoss: Bool {
        get { first.measuresLoss }
        set {
            first.measuresLoss = newValue
            second.measuresLoss = newValue
        }
    }

    @inlinable @inline(__always)
    package mutating func update(
        hidden: UnsafePointer<Float>, target: Int, gradient: UnsafeMutablePointer<Float>,
        learningRate: Float, random: inout LinearCongruentialGenerator
    ) -> Float {
        first.update(hidden: hidden, target: target, gradient: gradient, learningRate: learningRate, random: &random)
            + second.update(hidden: hidden, target: target, gradient: gradient, learningRate: learningRate, random: &random)
    }

    @inlinable @inline(__always)
    package func prepare(target: Int) {
        first.prepare(target: target)
        second.prepare(target: target)
    }
}

extension SigmoidTable {
    /// One SGD step of logistic regression of `label` (0 or 1) on `hidden · row`: adds
    /// `-learningRate * dLoss/dhidden` to `gradient`, updates `row` in place, and returns the loss
    /// `-log σ(±hidden · row)` before the step. With `updateSaturated == false` a score beyond
    /// `±maxArgument` leaves everything unchanged (the original tool's rule for hierarchical softmax);
    /// otherwise the saturated sigmoid (0 or 1) is used (its rule for negative sampling). With
    /// `updateRow == false` only `gradient` changes. `decay > 0` first scales an updated row by
    /// `1 - learningRate x decay` (L2, see `WeightDecay`).
    @inlinable @inline(__always)
    func logisticStep(
        hidden: UnsafePointer<Float>, row: UnsafeMutablePointer<Float>, label: Float,
        gradient: UnsafeMutablePointer<Float>, dimension: Int, learningRate: Float, updateSaturated: Bool,
        updateRow: Bool = true, decay: Float = 0, measuresLoss: Bool = true
    ) -> Float {
        let f = VectorKernels.dot(hidden, row, count: dimension)
        let loss = measuresLoss ? -logSigmoid(label == 1 ? f : -f) : 0
        if !updateSaturated && (f <= -Self.maxArgument || f >= Self.maxArgument) { return loss }
        let g = (label - sigmoid(f)) * learningRate
        VectorKernels.stepOutputRow(
            g, hidden: hidden, row: row, gradient: gradient, dimension: dimension, updateRow: updateRow,
            keep: 1 - learningRate * decay)
        return loss
    }
}

extension VectorKernels {
    /// The output-row half of one objective step with error `g` (already times the learning rate):
    /// adds `g x row` to `gradient` and, with `updateRow`, moves `row` by `g x hidden` after scaling
    /// it by `keep` (`1 - learningRate x l2` for weight decay, 1 without), `gradient` seeing the row
    /// as it was.
    @inlinable @inline(__always)
    package static func stepOutputRow(
        _ g: Float, hidden: UnsafePointer<Float>, row: UnsafeMutablePointer<Float>,
        gradient: UnsafeMutablePointer<Float>, dimension: Int, updateRow: Bool, keep: Float
    ) {
        if updateRow && keep == 1 {
            exchange(g, hidden, row, into: gradient, count: dimension)
            return
        }
        axpy(g, row, gradient, count: dimension)
        if updateRow {
            scale(row, by: keep, count: dimension)
            axpy(g, hidden, row, count: dimension)
        }
    }
}
