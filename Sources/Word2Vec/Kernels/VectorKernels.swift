/// The dense-vector primitives every training objective and query is built from.
///
/// All hot loops of the library go through these functions, so they are the one place to optimise.
/// They take raw pointers and never allocate. Work is done in explicit `SIMD16<Float>` chunks (then
/// `SIMD4`, then scalars), which the compiler maps to the widest registers of the target: build with
/// `-Xcc -march=native` to get AVX2 or AVX-512 instead of SSE2. Explicit vectors are used because Swift
/// never reassociates a scalar floating-point sum, so a plain dot-product loop stays scalar, and
/// swift-numerics' `Relaxed` operations were measured here to compile to out-of-line calls.
///
/// The dot product sums in a fixed order (16 lanes, then 4, then the tail), so results are
/// reproducible for a given binary but may differ in the last bits from a left-to-right sum.
package enum VectorKernels {
    @usableFromInline typealias Wide = SIMD16<Float>
    @usableFromInline typealias Narrow = SIMD4<Float>

    @inlinable @inline(__always)
    static func load<V: SIMD>(_ pointer: UnsafePointer<Float>, as: V.Type) -> V where V.Scalar == Float {
        UnsafeRawPointer(pointer).loadUnaligned(as: V.self)
    }

    @inlinable @inline(__always)
    static func store<V: SIMD>(_ value: V, _ pointer: UnsafeMutablePointer<Float>) where V.Scalar == Float {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: V.self)
    }

    /// Returns `sum(x[i] * y[i])` for `i` in `0..<count`. O(count).
    @inlinable @inline(__always)
    package static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var i = 0
        var wide = Wide()
        while i &+ 16 <= count {
            wide += load(x + i, as: Wide.self) * load(y + i, as: Wide.self)
            i &+= 16
        }
        var narrow = (wide.lowHalf.lowHalf + wide.lowHalf.highHalf) + (wide.highHalf.lowHalf + wide.highHalf.highHalf)
        while i &+ 4 <= count {
            narrow += load(x + i, as: Narrow.self) * load(y + i, as: Narrow.self)
            i &+= 4
        }
        var sum = (narrow[0] + narrow[1]) + (narrow[2] + narrow[3])
        while i < count {
            sum += x[i] * y[i]
            i &+= 1
        }
        return sum
    }

    /// `y[i] += a * x[i]` for `i` in `0..<count`. O(count). `x` and `y` may not overlap partially.
    @inlinable @inline(__always)
    package static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let wideA = Wide(repeating: a)
        while i &+ 16 <= count {
            store(load(y + i, as: Wide.self) + wideA * load(x + i, as: Wide.self), y + i)
            i &+= 16
        }
        let narrowA = Narrow(repeating: a)
        while i &+ 4 <= count {
            store(load(y + i, as: Narrow.self) + narrowA * load(x + i, as: Narrow.self), y + i)
            i &+= 4
        }
        while i < count {
            y[i] += a * x[i]
            i &+= 1
        }
    }

    /// The two updates of one logistic step in one pass: `g[i] += a * y[i]` with `y` as it was, then
    /// `y[i] += a * x[i]`. O(count). Equal, bit for bit, to `axpy(a, y, g)` followed by `axpy(a, x, y)`;
    /// one pass loads each row chunk once instead of twice and keeps one loop's overhead, which
    /// matters for hierarchical softmax (about 14 such steps per prediction). `g` must not overlap
    /// `x` or `y`.
    @inlinable @inline(__always)
    package static func exchange(
        _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, into g: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        var i = 0
        let wideA = Wide(repeating: a)
        while i &+ 16 <= count {
            let row = load(y + i, as: Wide.self)
            store(load(g + i, as: Wide.self) + wideA * row, g + i)
            store(row + wideA * load(x + i, as: Wide.self), y + i)
            i &+= 16
        }
        let narrowA = Narrow(repeating: a)
        while i &+ 4 <= count {
            let row = load(y + i, as: Narrow.self)
            store(load(g + i, as: Narrow.self) + narrowA * row, g + i)
            store(row + narrowA * load(x + i, as: Narrow.self), y + i)
            i &+= 4
        }
        while i < count {
            let row = y[i]
            g[i] += a * row
            y[i] = row + a * x[i]
            i &+= 1
        }
    }

    /// `x[i] *= a` for `i` in `0..<count`. O(count).
    @inlinable @inline(__always)
    package static func scale(_ x: UnsafeMutablePointer<Float>, by a: Float, count: Int) {
        for i in 0..<count { x[i] *= a }
    }

    /// `y[i] += x[i]` for `i` in `0..<count`. O(count).
    @inlinable @inline(__always)
    package static func add(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i &+ 16 <= count {
            store(load(y + i, as: Wide.self) + load(x + i, as: Wide.self), y + i)
            i &+= 16
        }
        while i < count {
            y[i] += x[i]
            i &+= 1
        }
    }

    /// Sets `x[i] = 0` for `i` in `0..<count`.
    @inlinable @inline(__always)
    package static func zero(_ x: UnsafeMutablePointer<Float>, count: Int) {
        x.update(repeating: 0, count: count)
    }
}
