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
        return finishDot(wide, x, y, from: i, count: count)
    }

    /// The end of `dot`: reduces the 16-lane sums `wide` of the elements before `i` and adds the rest.
    @inlinable @inline(__always)
    static func finishDot(
        _ wide: Wide, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, from start: Int, count: Int
    ) -> Float {
        var i = start
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

    /// `scores[r] = dot(rows[r], y, count: dimension)` for `r` in `0..<count`, each equal bit for bit
    /// to `dot`. O(count x dimension). Four rows at a time share each load of `y`, which a window of
    /// rows scored against one output row (`NegativeSampling.updateWindow`) would otherwise reload.
    @inlinable @inline(__always)
    package static func dots(
        _ y: UnsafePointer<Float>, rows: UnsafePointer<UnsafeMutablePointer<Float>>, count: Int, dimension: Int,
        into scores: UnsafeMutablePointer<Float>
    ) {
        var r = 0
        while r &+ 4 <= count {
            let x0 = UnsafePointer(rows[r]), x1 = UnsafePointer(rows[r &+ 1])
            let x2 = UnsafePointer(rows[r &+ 2]), x3 = UnsafePointer(rows[r &+ 3])
            var w0 = Wide(), w1 = Wide(), w2 = Wide(), w3 = Wide()
            var i = 0
            while i &+ 16 <= dimension {
                let v = load(y + i, as: Wide.self)
                w0 += load(x0 + i, as: Wide.self) * v
                w1 += load(x1 + i, as: Wide.self) * v
                w2 += load(x2 + i, as: Wide.self) * v
                w3 += load(x3 + i, as: Wide.self) * v
                i &+= 16
            }
            scores[r] = finishDot(w0, x0, y, from: i, count: dimension)
            scores[r &+ 1] = finishDot(w1, x1, y, from: i, count: dimension)
            scores[r &+ 2] = finishDot(w2, x2, y, from: i, count: dimension)
            scores[r &+ 3] = finishDot(w3, x3, y, from: i, count: dimension)
            r &+= 4
        }
        while r < count {
            scores[r] = dot(rows[r], y, count: dimension)
            r &+= 1
        }
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
