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
