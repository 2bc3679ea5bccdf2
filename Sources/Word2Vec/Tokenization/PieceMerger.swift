/// Puts back together what ICU's dictionary cut apart, from the statistics of the text itself.
///
/// Words missing from the dictionary (names, new words, a number with its unit: `1998 年`) come out
/// of ICU as runs of single characters. A pair of adjacent pieces is joined when the left one is a
/// single character or a number, the right one a single character, and the pair occurs together far
/// more often than chance: word2phrase's score `(count(ab) - minCount) / (count(a) count(b)) * N`
/// (Mikolov et al. 2013), N the number of pieces, above `threshold`. Pieces the dictionary already
/// made into words are never joined, so its decisions stand; only its leftovers are regrouped.
///
/// Used in two passes over segmented text: `count` sees every line, `learn` decides which pairs
/// join, `merge` rewrites each line. Lines are whitespace-separated pieces; with `keepsTagField`
/// the text before a line's first TAB is neither counted nor changed.
final class PieceMerger {
    /// Pairs seen fewer times are never joined (word2phrase's `min_count` discount).
    static let minCount = 3
    /// The score above which a pair is joined. On the PKU gold corpus (Benchmarks/segmentation.py)
    /// F1 rises from ICU's 0.751 for thresholds from about 10 to 100; 30 is the best there.
    static let threshold = 30.0

    private let keepsTagField: Bool
    /// Pieces that can take part in a pair, by key (see `key(of:)`).
    private var pieceCounts: [UInt64: Int] = [:]
    private var pairCounts: [UInt64: Int] = [:]
    /// Numbers seen as pieces, numbered from `numberKeyBase`.
    private var numbers: [String: UInt64] = [:]
    private var total = 0
    private var joined: Set<UInt64> = []
    /// The end of the text counted or merged so far, when it stops in the middle of a line.
    private var pending: [UInt8] = []
    /// Scratch: the keys of one line's pieces and their byte ranges.
    private var keys: [UInt64] = []
    private var ranges: [Range<Int>] = []

    /// Keys of single characters are their scalar values (below 2^21); numbers come after.
    private static let numberKeyBase: UInt64 = 1 << 21
    /// A piece that is neither a single non-ASCII character nor a number.
    private static let noKey = UInt64.max

    init(keepsTagField: Bool) {
        self.keepsTagField = keepsTagField
    }

    // MARK: Counting

    /// Counts the pieces and candidate pairs of `text`, which continues the text of earlier calls
    /// (a line may be split between calls).
    func count(_ text: UnsafeRawBufferPointer) {
        forEachLine(of: text) { line in countLine(line) }
    }

    /// Decides which pairs join, after the last `count`; the counts are released.
    func learn() {
        if !pending.isEmpty {
            pending.withUnsafeBytes { countLine($0) }
            pending.removeAll()
        }
        let n = Double(total)
        for (pair, count) in pairCounts where count >= Self.minCount {
            let left = pieceCounts[pair >> 21] ?? 1, right = pieceCounts[pair & 0x1F_FFFF] ?? 1
            if Double(count - Self.minCount) / (Double(left) * Double(right)) * n > Self.threshold {
                joined.insert(pair)
            }
        }
        pieceCounts = [:]
        pairCounts = [:]
    }

    private func countLine(_ line: UnsafeRawBufferPointer) {
        pieces(of: UnsafeRawBufferPointer(rebasing: line[textStart(of: line)...]))
        total += keys.count
        for i in keys.indices where keys[i] != Self.noKey {
            pieceCounts[keys[i], default: 0] += 1
            if i + 1 < keys.count, let pair = Self.pair(keys[i], keys[i + 1]) { pairCounts[pair, default: 0] += 1 }
        }
    }

    // MARK: Merging

    /// Appends `text` (continuing the text of earlier calls) with the learnt pairs joined; lines
    /// that are complete are appended with their newline, the rest waits for the next call or
    /// `finishMerging`.
    func merge(_ text: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        forEachLine(of: text) { line in
            mergeLine(line, into: &output)
            output.append(0x0A)
        }
    }

    /// Appends the last line if the text did not end with a newline.
    func finishMerging(into output: inout [UInt8]) {
        guard !pending.isEmpty else { return }
        let line = pending
        pending.removeAll()
        line.withUnsafeBytes { mergeLine($0, into: &output) }
    }

    private func mergeLine(_ line: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let start = textStart(of: line)
        output.append(contentsOf: line[..<start])
        pieces(of: UnsafeRawBufferPointer(rebasing: line[start...]))
        var i = 0
        var first = true
        while i < keys.count {
            if !first { output.append(0x20) }
            first = false
            output.append(contentsOf: line[(start + ranges[i].lowerBound)..<(start + ranges[i].upperBound)])
            if i + 1 < keys.count, let pair = Self.pair(keys[i], keys[i + 1]), joined.contains(pair) {
                output.append(contentsOf: line[(start + ranges[i + 1].lowerBound)..<(start + ranges[i + 1].upperBound)])
                i += 2
            } else {
                i += 1
            }
        }
    }

    // MARK: Pieces

    /// Calls `body` with each complete line of `text` (without its newline), the first one joined
    /// to what earlier calls left pending; keeps the unfinished end.
    private func forEachLine(of text: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while let newline = text[start...].firstIndex(of: 0x0A) {
            if pending.isEmpty {
                body(UnsafeRawBufferPointer(rebasing: text[start..<newline]))
            } else {
                pending.append(contentsOf: text[start..<newline])
                let line = pending
                pending.removeAll(keepingCapacity: true)
                line.withUnsafeBytes { body($0) }
            }
            start = newline + 1
        }
        pending.append(contentsOf: text[start...])
    }

    /// Where the pieces of `line` start: after its tag field, if it has one and tags are kept.
    private func textStart(of line: UnsafeRawBufferPointer) -> Int {
        guard keepsTagField, let tab = line.firstIndex(of: 0x09) else { return 0 }
        return tab + 1
    }

    /// Fills `keys` and `ranges` with the pieces of `text`.
    private func pieces(of line: UnsafeRawBufferPointer) {
        keys.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        var i = 0
        while i < line.count {
            while i < line.count && TokenReader.isWhitespace(line[i]) { i += 1 }
            let start = i
            while i < line.count && !TokenReader.isWhitespace(line[i]) { i += 1 }
            if i > start {
                ranges.append(start..<i)
                keys.append(key(of: UnsafeRawBufferPointer(rebasing: line[start..<i])))
            }
        }
    }

    /// A single non-ASCII character's scalar value, a number's own key, or `noKey`.
    private func key(of piece: UnsafeRawBufferPointer) -> UInt64 {
        if let scalar = Self.singleScalar(piece), scalar >= 0x80 { return UInt64(scalar) }
        guard Self.isNumber(piece) else { return Self.noKey }
        let text = String(decoding: piece, as: UTF8.self)
        if let key = numbers[text] { return key }
        let key = Self.numberKeyBase + UInt64(numbers.count)
        numbers[text] = key
        return key
    }

    /// The key of the pair `left right` if it may be joined: the right piece is a single character.
    private static func pair(_ left: UInt64, _ right: UInt64) -> UInt64? {
        guard left != noKey, right < numberKeyBase, left < 1 << 42 else { return nil }
        return left << 21 | right
    }

    /// The scalar value of a piece that is exactly one valid UTF-8 scalar.
    private static func singleScalar(_ piece: UnsafeRawBufferPointer) -> UInt32? {
        guard let lead = piece.first else { return nil }
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        guard length == piece.count else { return nil }
        var decoder = UTF8()
        var iterator = piece.makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar.value }
        return nil
    }

    /// Digits (ASCII or full-width) and Chinese numerals only.
    private static func isNumber(_ piece: UnsafeRawBufferPointer) -> Bool {
        var decoder = UTF8()
        var iterator = piece.makeIterator()
        var any = false
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                guard numeral(scalar.value) else { return false }
                any = true
            case .emptyInput: return any
            case .error: return false
            }
        }
    }

    private static func numeral(_ value: UInt32) -> Bool {
        switch value {
        case 0x30...0x39, 0xFF10...0xFF19: true
        // 零 〇 一 二 三 四 五 六 七 八 九 十 百 千 万 亿 两
        case 0x96F6, 0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341,
             0x767E, 0x5343, 0x4E07, 0x4EBF, 0x4E24: true
        default: false
        }
    }
}
