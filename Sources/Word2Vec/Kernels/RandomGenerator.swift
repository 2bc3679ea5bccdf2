/// The 48-bit linear congruential generator of the original word2vec tool.
///
/// Training draws several random numbers per word (window shrink, subsampling, negatives); this
/// generator costs one multiply-add per draw, keeps per-thread state in one register, and makes a
/// single-threaded run bit-reproducible from its seed.
package struct LinearCongruentialGenerator: RandomNumberGenerator, Sendable {
    package var state: UInt64

    package init(seed: UInt64) { state = seed }

    /// Advances the state and returns it. Only the upper bits are well mixed; use `next(below:)` or
    /// `nextUnit()` rather than taking the value modulo a small number.
    @inlinable @inline(__always)
    package mutating func next() -> UInt64 {
        state = state &* 25_214_903_917 &+ 11
        return state
    }

    /// The generator as `steps` calls of `next()` would leave it, in O(log steps): the step is the
    /// affine map `x -> a x + c` (mod 2^64), and its `steps`th power is composed from its squares.
    /// Lets a long stream be cut into parts drawn on several threads with the same values.
    package func advanced(by steps: UInt64) -> LinearCongruentialGenerator {
        var a: UInt64 = 25_214_903_917, c: UInt64 = 11  // the map x -> a x + c, squared at each bit
        var power: (a: UInt64, c: UInt64) = (1, 0)  // the map of the bits below
        var n = steps
        while n > 0 {
            if n & 1 == 1 { power = (power.a &* a, power.c &* a &+ c) }
            (a, c) = (a &* a, c &* (a &+ 1))
            n >>= 1
        }
        var advanced = self
        advanced.state = power.a &* state &+ power.c
        return advanced
    }

    /// A uniform integer in `0..<bound` from the upper 32 bits. `bound` must be positive and < 2^32.
    @inlinable @inline(__always)
    package mutating func next(below bound: Int) -> Int {
        let high = (next() >> 16) & 0xFFFF_FFFF
        return Int((high &* UInt64(bound)) >> 32)
    }

    /// A uniform `Float` in `[0, 1)`.
    @inlinable @inline(__always)
    package mutating func nextUnit() -> Float {
        Float((next() >> 24) & 0xFF_FFFF) * (1.0 / 16_777_216.0)
    }
}
