#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The noise distribution of negative sampling: word `w` is drawn with probability proportional to
/// `count(w)^exponent` (0.75 in the literature).
///
/// Sampling uses Walker's alias method: O(1) per draw from a single random number, exact
/// probabilities, and 8 bytes per word, where the original tool's 10^8-entry table costs 400 MB.
package struct NoiseDistribution: Sendable {
    /// Per bucket: the acceptance threshold as a fraction of 2^32, and the alias taken otherwise.
    @usableFromInline let buckets: [(threshold: UInt32, alias: Int32)]

    /// - Precondition: `counts` is non-empty, counts are non-negative and not all zero.
    package init(counts: [Int], exponent: Double = 0.75) {
        let n = counts.count
        precondition(n > 0, "a noise distribution needs at least one word")
        var weights = counts.map { $0 > 0 ? pow(Double($0), exponent) : 0 }
        var total = weights.reduce(0, +)
        if !(total.isFinite && total > 0) {
            // Every power underflowed (or one overflowed): the same ratios from the logarithms,
            // shifted so that the largest weight is 1. Only then, so that ordinary exponents keep
            // the direct powers bit for bit.
            let logs = counts.map { $0 > 0 ? exponent * log(Double($0)) : -Double.infinity }
            let largest = logs.max() ?? -.infinity
            if largest > -.infinity {
                weights = logs.map { exp($0 - largest) }
                total = weights.reduce(0, +)
            }
        }
        precondition(total > 0 && total.isFinite, "a noise distribution needs a word with a positive count")
        var scaled = weights.map { $0 * Double(n) / total }
        var small: [Int] = []
        var large: [Int] = []
        for (i, p) in scaled.enumerated() { if p < 1 { small.append(i) } else { large.append(i) } }
        var buckets = [(threshold: UInt32, alias: Int32)](repeating: (UInt32.max, 0), count: n)
        for i in 0..<n { buckets[i].alias = Int32(i) }
        while let s = small.popLast() {
            guard let l = large.last else { break }
            buckets[s] = (UInt32(min(scaled[s] * 4_294_967_296, 4_294_967_295)), Int32(l))
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // Buckets left in either list hold probability 1 up to rounding: always accept.
        self.buckets = buckets
    }

    /// The probability of drawing each word.
    package var probabilities: [Double] {
        let n = Double(buckets.count)
        var p = [Double](repeating: 0, count: buckets.count)
        for (i, bucket) in buckets.enumerated() {
            let accept = bucket.threshold == UInt32.max ? 1 : Double(bucket.threshold) / 4_294_967_296
            p[i] += accept / n
            p[Int(bucket.alias)] += (1 - accept) / n
        }
        return p
    }

    /// Draws a word index. O(1).
    @inlinable @inline(__always)
    package func sample(using random: inout LinearCongruentialGenerator) -> Int {
        // The upper 32 bits of the LCG state, times the bucket count: the integer part picks the
        // bucket and the fraction, uniform in [0, 2^32), decides between it and its alias.
        let product = ((random.next() >> 16) & 0xFFFF_FFFF) &* UInt64(buckets.count)
        let index = Int(product >> 32)
        return buckets.withUnsafeBufferPointer { buckets in
            let bucket = buckets[index]
            return UInt32(truncatingIfNeeded: product) < bucket.threshold || bucket.threshold == UInt32.max
                ? index : Int(bucket.alias)
        }
    }
}
