#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Precomputed logistic function and its logarithm.
///
/// The update rule of word2vec only needs the sigmoid to a few digits, and a table lookup is several
/// times cheaper than `exp`. Following the original tool, arguments are quantised to `size` steps over
/// `[-6, 6]`; outside that range the sigmoid is taken as exactly 0 or 1. The log-sigmoid table serves
/// loss reporting only and spans a wider range so that the reported loss stays finite and close.
///
/// Immutable after creation and shared by all training threads.
package final class SigmoidTable: @unchecked Sendable {
    /// Arguments whose magnitude reaches this bound saturate.
    package static let maxArgument: Float = 6
    package static let size = 1000
    @usableFromInline static let logMaxArgument: Float = 16
    @usableFromInline static let logSize = 4096

    @usableFromInline let values: UnsafeMutablePointer<Float>
    @usableFromInline let logValues: UnsafeMutablePointer<Float>

    /// The table every trainer uses; building it costs about 5,000 `exp` calls.
    package static let shared = SigmoidTable()

    package init() {
        // One entry past the end: an argument just below the bound can round up to index `size`.
        values = .allocate(capacity: Self.size + 1)
        for i in 0...Self.size {
            let x = (Double(i) / Double(Self.size) * 2 - 1) * Double(Self.maxArgument)
            values[i] = Float(1 / (1 + exp(-x)))
        }
        logValues = .allocate(capacity: Self.logSize + 1)
        for i in 0...Self.logSize {
            let x = (Double(i) / Double(Self.logSize) * 2 - 1) * Double(Self.logMaxArgument)
            logValues[i] = Float(-log1p(exp(-x)))
        }
    }

    deinit {
        values.deallocate()
        logValues.deallocate()
    }

    /// σ(x), saturating to 0 and 1 at `±maxArgument`. NaN gives 0.
    ///
    /// The tests are written so that NaN (from weights a diverging run has overflowed) fails the
    /// first one: `Int(NaN)` would trap, and the same two comparisons as before keep the hot loop as
    /// cheap.
    @inlinable @inline(__always)
    package func sigmoid(_ x: Float) -> Float {
        guard x > -Self.maxArgument else { return 0 }
        guard x < Self.maxArgument else { return 1 }
        return values[Int((x + Self.maxArgument) * (Float(Self.size) / Self.maxArgument / 2))]
    }

    /// log σ(x): close to `x` below `-16` and to 0 above `16`. NaN gives NaN, as the loss it feeds
    /// has then no meaning.
    @inlinable @inline(__always)
    package func logSigmoid(_ x: Float) -> Float {
        guard x > -Self.logMaxArgument else { return x }
        guard x < Self.logMaxArgument else { return 0 }
        return logValues[Int((x + Self.logMaxArgument) * (Float(Self.logSize) / Self.logMaxArgument / 2) + 0.5)]
    }
}
