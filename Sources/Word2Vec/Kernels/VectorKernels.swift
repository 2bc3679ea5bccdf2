import RealModule

/// The dense-vector primitives every training objective and query is built from.
///
/// All hot loops of the library go through these functions, so they are the one place to optimise.
/// They take raw pointers and never allocate. `Relaxed` arithmetic lets the compiler reassociate and
/// fuse the reductions, which is what turns them into wide FMA loops when the build targets the host
/// CPU (`-Xcc -march=native`); results may therefore differ from a strict left-to-right sum in the
/// last bits, but are identical from run to run for the same binary.
public enum VectorKernels {
    /// Returns `sum(x[i] * y[i])` for `i` in `0..<count`. O(count).
    @inlinable @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var sum: Float = 0
        for i in 0..<count {
            sum = Relaxed.multiplyAdd(x[i], y[i], sum)
        }
        return sum
    }

    /// `y[i] += a * x[i]` for `i` in `0..<count`. O(count). `x` and `y` may not overlap partially.
    @inlinable @inline(__always)
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            y[i] = Relaxed.multiplyAdd(a, x[i], y[i])
        }
    }

    /// `x[i] *= a` for `i` in `0..<count`. O(count).
    @inlinable @inline(__always)
    public static func scale(_ x: UnsafeMutablePointer<Float>, by a: Float, count: Int) {
        for i in 0..<count {
            x[i] = Relaxed.product(x[i], a)
        }
    }

    /// `y[i] += x[i]` for `i` in `0..<count`. O(count).
    @inlinable @inline(__always)
    public static func add(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            y[i] = Relaxed.sum(y[i], x[i])
        }
    }

    /// Sets `x[i] = 0` for `i` in `0..<count`.
    @inlinable @inline(__always)
    public static func zero(_ x: UnsafeMutablePointer<Float>, count: Int) {
        x.update(repeating: 0, count: count)
    }
}
