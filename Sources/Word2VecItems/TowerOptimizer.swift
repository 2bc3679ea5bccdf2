import Word2Vec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a training step of the user tower turns each parameter's gradient into its change.
///
/// `UserTower.step` computes the gradient of one example piece by piece (an output row, a layer's
/// row, an embedding row) and hands each piece to `descend`; the rule decides what the piece does to
/// the parameters. The gradient itself is the one the finite-difference tests check (plain SGD with
/// rate 1 moves every parameter by exactly minus its gradient), so an adaptive rule changes how far
/// parameters move, never which way the loss says.
///
/// Per-parameter state (Adam's moments) lives in buffers parallel to the tower's matrices
/// (`UserTower.matrices` order). Rows are updated lazily: only rows with a gradient in a step
/// (the sampled items, the history's embeddings, ReLU units that fired) have their state touched,
/// as in TensorFlow's lazy Adam for embeddings. Threads share the state without locks, like the
/// parameters (Hogwild).
struct TowerUpdate {
    /// `nil`: plain SGD, `parameter -= rate x gradient`.
    let moments: TowerMoments?
    /// The step size at this point of the run (already decayed by the schedule).
    let rate: Float
    /// Adam's bias corrections folded into the rate: `rate x sqrt(1 - beta2^t) / (1 - beta1^t)`.
    let correctedRate: Float

    /// Examples per step of the dense layers under an adaptive optimiser (`TowerScratch.layerSums`).
    static let layerBatch = 16
    static let beta1: Float = 0.9
    static let beta2: Float = 0.999
    /// Adam's `epsilon`, added under the root (`m / sqrt(v + epsilon^2)`) rather than after it,
    /// so that a step is one reciprocal root and no division.
    static let epsilon: Float = 1e-8

    /// Adam (Kingma & Ba 2015) at `rate` on its `step`-th update (1-based) of the run, or plain SGD
    /// at `rate` when `moments` is `nil`.
    init(rate: Float, moments: TowerMoments?, step: Int) {
        self.moments = moments
        self.rate = rate
        guard moments != nil else {
            correctedRate = rate
            return
        }
        let t = Double(max(step, 1))
        correctedRate = rate * Float((1 - pow(Double(Self.beta2), t)).squareRoot() / (1 - pow(Double(Self.beta1), t)))
    }

    /// Moves `count` parameters at `parameter` (inside matrix `matrix` of `UserTower.matrices`)
    /// down the gradient `a x gradient[0..<count]`. O(count); no allocation.
    @inline(__always)
    func descend(_ matrix: Int, _ parameter: UnsafeMutablePointer<Float>, _ a: Float, _ gradient: UnsafePointer<Float>, count: Int) {
        guard let moments else {
            VectorKernels.axpy(-rate * a, gradient, parameter, count: count)
            return
        }
        let offset = parameter - moments.base[matrix]
        Self.adam(parameter, first: moments.first[matrix] + offset, second: moments.second[matrix] + offset,
                  a: a, gradient: gradient, rate: correctedRate, count: count)
    }

    /// `descend` for one parameter.
    @inline(__always)
    func descend(_ matrix: Int, _ parameter: UnsafeMutablePointer<Float>, _ gradient: Float) {
        guard moments != nil else {
            parameter.pointee -= rate * gradient
            return
        }
        withUnsafePointer(to: gradient) { descend(matrix, parameter, 1, $0, count: 1) }
    }

    /// `1 / sqrt(x)` of positive normal floats to a relative error under 1e-5 (ample for a step
    /// size): the classic bit-pattern guess refined by two Newton steps, all in 16-lane vectors. Swift's
    /// `SIMD.squareRoot()` was measured here to compile to one `sqrtf` call per lane (with a
    /// branch for errno), which made Adam's step four times slower than SGD's.
    @inline(__always)
    static func reciprocalRoot(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
        var y = unsafeBitCast(SIMD16<UInt32>(repeating: 0x5F37_59DF) &- (bits &>> 1), to: SIMD16<Float>.self)
        let half = 0.5 * x
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        return y
    }

    /// One Adam update of `count` parameters with gradient `a x gradient`, in explicit 16-lane
    /// vectors (then scalars for the tail).
    @inline(__always)
    static func adam(_ p: UnsafeMutablePointer<Float>, first m: UnsafeMutablePointer<Float>, second v: UnsafeMutablePointer<Float>,
                     a: Float, gradient x: UnsafePointer<Float>, rate: Float, count: Int) {
        typealias Wide = SIMD16<Float>
        func load(_ pointer: UnsafePointer<Float>) -> Wide { UnsafeRawPointer(pointer).loadUnaligned(as: Wide.self) }
        func store(_ value: Wide, _ pointer: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Wide.self) }
        let b1 = Wide(repeating: beta1), c1 = Wide(repeating: (1 - beta1) * a)
        let b2 = Wide(repeating: beta2), c2 = Wide(repeating: (1 - beta2) * a * a)
        let eps = Wide(repeating: epsilon * epsilon), step = Wide(repeating: rate)
        var i = 0
        while i + 16 <= count {
            let g = load(x + i)
            let m1 = b1 * load(m + i) + c1 * g
            let v1 = b2 * load(v + i) + c2 * g * g
            store(m1, m + i)
            store(v1, v + i)
            store(load(p + i) - step * m1 * reciprocalRoot(v1 + eps), p + i)
            i += 16
        }
        while i < count {
            let g = a * x[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            p[i] -= rate * m[i] / (v[i] + epsilon * epsilon).squareRoot()
            i += 1
        }
    }
}

/// Adam's first and second moments of every parameter of a tower, zero at the start, in buffers
/// parallel to `UserTower.matrices`. Training state only: not stored with the tower.
final class TowerMoments: @unchecked Sendable {
    /// Each matrix's storage, to find a parameter's offset.
    let base: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    let first: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    let second: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    let sizes: [Int]

    init(_ tower: UserTower) {
        let matrices = tower.matrices
        sizes = matrices.map { $0.rows * $0.columns }
        base = .allocate(capacity: matrices.count)
        first = .allocate(capacity: matrices.count)
        second = .allocate(capacity: matrices.count)
        for (k, matrix) in matrices.enumerated() {
            base[k] = matrix.storage
            first[k] = .allocate(capacity: max(1, sizes[k]))
            first[k].initialize(repeating: 0, count: max(1, sizes[k]))
            second[k] = .allocate(capacity: max(1, sizes[k]))
            second[k].initialize(repeating: 0, count: max(1, sizes[k]))
        }
    }

    deinit {
        for k in sizes.indices {
            first[k].deallocate()
            second[k].deallocate()
        }
        base.deallocate()
        first.deallocate()
        second.deallocate()
    }
}
