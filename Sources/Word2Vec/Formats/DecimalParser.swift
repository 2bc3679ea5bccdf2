/// Parses the decimal numbers of text vector files straight from bytes.
///
/// Values are converted exactly as numpy (and so gensim) reads them: the decimal string is rounded
/// once to the nearest `Double`, which is then rounded to `Float`. Most values written by the C tool,
/// gensim or fastText (at most 19 significant digits, small exponents) take Clinger's fast path: the
/// digits form an integer `m < 2^53` and the power of ten `10^e` with `|e| <= 22` is exact in a
/// double, so one IEEE multiplication or division rounds correctly. Everything else falls back to the
/// standard library's correctly rounded parser.
package enum DecimalParser {
    /// Powers of ten that are exact in a `Double`.
    private static let exactPowers: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The value of the token `bytes[start..<end]`, or `nil` if it is not a number: an optional sign,
    /// digits with an optional decimal point (at least one digit in total), an optional exponent, or
    /// `inf`, `infinity`, `nan` in any case. O(length), allocates only on the slow path.
    package static func parse(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Double? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var sawDigit = false
        var truncated = false
        // Integer part, then fraction; digits beyond 19 significant ones only move the exponent.
        while i < end, bytes[i] &- UInt8(ascii: "0") < 10 {
            sawDigit = true
            accumulate(bytes[i], &mantissa, &significantDigits, &exponent, &truncated, fraction: false)
            i += 1
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, bytes[i] &- UInt8(ascii: "0") < 10 {
                sawDigit = true
                accumulate(bytes[i], &mantissa, &significantDigits, &exponent, &truncated, fraction: true)
                i += 1
            }
        }
        guard sawDigit else { return special(bytes, from: start, to: end) }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end else { return nil }
            var written = 0
            while i < end, bytes[i] &- UInt8(ascii: "0") < 10 {
                // Saturate: anything this large is 0 or infinity anyway, and the slow path decides.
                written = min(written * 10 + Int(bytes[i] &- UInt8(ascii: "0")), 100_000)
                i += 1
            }
            guard i == end else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard i == end else { return nil }
        if !truncated, mantissa < (1 << 53), exponent >= -22, exponent <= 22 {
            let m = Double(mantissa)
            let value = exponent < 0 ? m / exactPowers[-exponent] : m * exactPowers[exponent]
            return negative ? -value : value
        }
        return slowPath(bytes, from: start, to: end)
    }

    @inline(__always)
    private static func accumulate(
        _ byte: UInt8, _ mantissa: inout UInt64, _ significantDigits: inout Int, _ exponent: inout Int,
        _ truncated: inout Bool, fraction: Bool
    ) {
        let digit = UInt64(byte &- UInt8(ascii: "0"))
        if significantDigits < 19 {
            mantissa = mantissa &* 10 &+ digit
            if mantissa != 0 { significantDigits += 1 }  // leading zeros are not significant
            if fraction { exponent -= 1 }
        } else {
            if digit != 0 { truncated = true }
            if !fraction { exponent += 1 }
        }
    }

    private static func special(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Double? {
        var i = start
        var negative = false
        if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        // "infinity" is the longest spelling; longer tokens need no lowercased copy to be refused.
        guard end - i <= 8 else { return nil }
        let word = String(decoding: UnsafeBufferPointer(start: bytes + i, count: end - i), as: UTF8.self).lowercased()
        switch word {
        case "inf", "infinity": return negative ? -.infinity : .infinity
        case "nan": return .nan
        default: return nil
        }
    }

    private static func slowPath(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Double? {
        Double(String(decoding: UnsafeBufferPointer(start: bytes + start, count: end - start), as: UTF8.self))
    }
}
