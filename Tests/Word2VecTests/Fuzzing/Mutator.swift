/// A seeded mutation engine for fuzzing file readers: from valid example files it makes damaged
/// variants of the kinds hostile or corrupted input has.
///
/// It knows nothing about any format, so it serves text and binary readers alike: text numbers are
/// found as runs of number characters, binary fields are overwritten at 4- and 8-byte aligned
/// offsets with the integer and float patterns that break size computations. Mutant `i` depends only
/// on the examples, the seed and `i`, so one failing case can be rebuilt with `mutant(_:)` from the
/// seed and index a report prints.
///
/// ```swift
/// for (index, bytes) in Mutator(examples: [valid], seed: 42).mutants(count: 1000).enumerated() { ... }
/// let same = Mutator(examples: [valid], seed: 42).mutant(17)
/// ```
struct Mutator {
    let examples: [[UInt8]]
    let seed: UInt64

    /// - Parameter examples: valid files to start from; at least one, none empty.
    init(examples: [[UInt8]], seed: UInt64) {
        precondition(!examples.isEmpty && examples.allSatisfy { !$0.isEmpty }, "the mutator needs non-empty examples")
        self.examples = examples
        self.seed = seed
    }

    /// Numbers that overflow sizes, counts and floats when spliced into text headers and fields.
    static let hostileNumbers: [String] = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "4611686018427387904",
        "2305843009213693952", "1073741824", "10000000000", "4294967296", "2147483648", "2147483647",
        "18446744073709551616", "99999999999999999999999999", "-1", "0", "-0", "1e39", "-1e39",
        "3.5e38", "1e-50", "1e999999", "nan", "-nan", "NaN", "inf", "-inf", "Infinity", "0x10", "1_0",
        "+1", "1.", ".5", "1e", "--1", "",
    ]

    /// Byte sequences that readers must survive inside words and lines: controls, separators, NUL,
    /// invalid UTF-8 (lone lead and continuation bytes, overlong forms, surrogates, beyond U+10FFFF),
    /// and valid but awkward Unicode (U+FFFD, a combining accent, NEL, line separator, BOM).
    static let hostileBytes: [[UInt8]] = [
        [0x00], [0x0A], [0x0D], [0x0D, 0x0A], [0x09], [0x0B], [0x0C], [0x20], [0x1B], [0x1B, 0x5B, 0x32, 0x4A],
        [0x7F], [0xFF], [0xFE], [0x80], [0xC3], [0xE2, 0x82], [0xC0, 0x80], [0xED, 0xA0, 0x80],
        [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBF, 0xBD], [0xCC, 0x81], [0xC2, 0x85], [0xE2, 0x80, 0xA8],
        [0xEF, 0xBB, 0xBF], [0x3A, 0x20], [0x23],
    ]

    /// Little-endian patterns for binary fields: extreme integers of both widths, and the float bit
    /// patterns of NaN, infinities, the largest float and a subnormal.
    static let hostileWords: [[UInt8]] = {
        func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value.littleEndian >> (8 * $0)) }
        }
        return [
            bytes(UInt32.max), bytes(Int32.max), bytes(Int32.min), bytes(UInt32(1) << 31), bytes(UInt32(0)),
            bytes(Float.nan.bitPattern), bytes(Float.infinity.bitPattern), bytes((-Float.infinity).bitPattern),
            bytes(Float.greatestFiniteMagnitude.bitPattern), bytes(Float.leastNonzeroMagnitude.bitPattern),
            bytes(UInt64.max), bytes(Int64.max), bytes(Int64.min), bytes(UInt64(1) << 62), bytes(UInt64(1) << 32),
            bytes(Double.nan.bitPattern), bytes(Double.infinity.bitPattern),
        ]
    }()

    /// `count` mutants, computed one at a time as the sequence is walked.
    func mutants(count: Int) -> LazyMapSequence<Range<Int>, [UInt8]> {
        (0..<count).lazy.map { mutant($0) }
    }

    /// Mutant number `index`: a randomly chosen example with one to four mutations stacked.
    func mutant(_ index: Int) -> [UInt8] {
        var random = TestRandom(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
        var bytes = examples[Int.random(in: 0..<examples.count, using: &random)]
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            mutate(&bytes, using: &random)
        }
        return bytes
    }

    private func mutate(_ bytes: inout [UInt8], using random: inout TestRandom) {
        func position() -> Int { Int.random(in: 0...bytes.count, using: &random) }
        switch Int.random(in: 0..<12, using: &random) {
        case 0:  // truncation
            bytes.removeLast(bytes.count - position())
        case 1:  // bit flip
            guard !bytes.isEmpty else { return }
            bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        case 2:  // random bytes inserted
            let inserted = (0..<Int.random(in: 1...4, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            bytes.insert(contentsOf: inserted, at: position())
        case 3:  // a few bytes deleted
            let start = position()
            bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...4, using: &random)))
        case 4:  // a chunk duplicated elsewhere
            let chunk = self.chunk(of: bytes, using: &random)
            bytes.insert(contentsOf: bytes[chunk], at: position())
        case 5:  // a chunk removed
            bytes.removeSubrange(self.chunk(of: bytes, using: &random))
        case 6, 7:  // a hostile number replacing a number (the first one, a header, half the time)
            let number = Array(Self.hostileNumbers.randomElement(using: &random)!.utf8)
            let numbers = numberRuns(in: bytes)
            if numbers.isEmpty {
                bytes.insert(contentsOf: number, at: position())
            } else {
                let target = Bool.random(using: &random) ? numbers[0] : numbers.randomElement(using: &random)!
                bytes.replaceSubrange(target, with: number)
            }
        case 8:  // control bytes, separators or invalid UTF-8 inserted
            bytes.insert(contentsOf: Self.hostileBytes.randomElement(using: &random)!, at: position())
        case 9:  // a binary field overwritten, at an aligned offset half the time
            let word = Self.hostileWords.randomElement(using: &random)!
            guard bytes.count >= word.count else { return }
            var start = Int.random(in: 0...(bytes.count - word.count), using: &random)
            if Bool.random(using: &random) { start -= start % word.count }
            bytes.replaceSubrange(start..<(start + word.count), with: word)
        case 10:  // a byte replaced by one that means something to readers
            guard !bytes.isEmpty else { return }
            let meaningful: [UInt8] = [0x00, 0x0A, 0x0D, 0x09, 0x20, 0x2D, 0x2E, 0x30, 0x39, 0x65, 0x3A, 0x23, 0xFF, 0x80]
            bytes[Int.random(in: 0..<bytes.count, using: &random)] = meaningful.randomElement(using: &random)!
        default:  // two lines swapped, or one repeated: duplicate words, misplaced headers
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            guard lines.count >= 2 else { return }
            let i = Int.random(in: 0..<lines.count, using: &random)
            let j = Int.random(in: 0..<lines.count, using: &random)
            if Bool.random(using: &random) { lines.swapAt(i, j) } else { lines.insert(lines[i], at: j) }
            bytes = Array(lines.joined(separator: [0x0A]))
        }
    }

    /// A random range of up to a quarter of `bytes` (at least one byte if there is any).
    private func chunk(of bytes: [UInt8], using random: inout TestRandom) -> Range<Int> {
        guard !bytes.isEmpty else { return 0..<0 }
        let length = Int.random(in: 1...max(1, bytes.count / 4), using: &random)
        let start = Int.random(in: 0...(bytes.count - length), using: &random)
        return start..<(start + length)
    }

    /// The maximal runs of number characters (digits, sign, point, exponent letter).
    private func numberRuns(in bytes: [UInt8]) -> [Range<Int>] {
        func isNumberByte(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x2B || byte == 0x2E || byte == 0x65
        }
        var runs: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            guard isNumberByte(bytes[i]) else { i += 1; continue }
            let start = i
            while i < bytes.count, isNumberByte(bytes[i]) { i += 1 }
            if bytes[start..<i].contains(where: { (0x30...0x39).contains($0) }) { runs.append(start..<i) }
        }
        return runs
    }
}

/// `count` mutants of `bytes` (see `Mutator`).
func mutants(of bytes: [UInt8], count: Int, seed: UInt64) -> [[UInt8]] {
    Array(Mutator(examples: [bytes], seed: seed).mutants(count: count))
}
