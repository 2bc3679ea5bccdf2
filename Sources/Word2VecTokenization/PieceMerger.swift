import Word2Vec

/// Puts back together what ICU's dictionary cut apart, from the statistics of the text itself.
///
/// Words missing from the dictionary (names, new words, a number with its unit: `1998 年`, a word
/// with a suffix: `委员 会`) come out of ICU as a piece followed by single characters. A pair of
/// adjacent pieces whose right one is a single character is joined when the pair occurs together
/// far more often than chance: word2phrase's score `(count(ab) - minCount) / (count(a) count(b)) * N`
/// (Mikolov et al. 2013), N the number of pieces, above `threshold`. Within a line the best-scoring
/// pairs are joined first and a piece joins at most once: in `a b c` with both pairs above the
/// threshold, the stronger pair wins rather than the leftmost (on the PKU gold, F1 0.788 against
/// 0.784 when joining greedily from the left).
///
/// Used in two passes over segmented text: `count` sees every line, `learn` scores the pairs,
/// `merge` rewrites each line. Lines are whitespace-separated pieces; two pieces with more than one
/// space between them were not adjacent in the text (ICU dropped punctuation or a space between
/// them, see `ICUWordBreaker`) and are never counted or joined as a pair. With `keepsTagField` the
/// text before a line's first TAB is neither counted nor changed. Memory: one entry per distinct
/// piece and per distinct pair whose right piece is a single character.
final class PieceMerger {
    /// Pairs seen fewer times are never joined (word2phrase's `min_count` discount).
    static let minCount = 3
    /// The score above which a pair is joined. On the PKU gold corpus (Benchmarks/segmentation.py)
    /// F1 is 0.786 to 0.788 for thresholds from 50 to 150 (ICU alone: 0.751).
    static let threshold = 100.0

    private let keepsTagField: Bool
    private var pieceCounts: [UInt64: Int] = [:]
    private var pairCounts: [UInt64: Int] = [:]
    /// Keys of pieces longer than one character, numbered from `longKeyBase`.
    private var longPieces: [String: UInt64] = [:]
    private var total = 0
    /// The pairs that may join, with their scores.
    private var scores: [UInt64: Double] = [:]
    /// The end of the text counted or merged so far, when it stops in the middle of a line.
    private var pending: [UInt8] = []
    /// Scratch for one line: its pieces' keys and byte ranges, the joinable pairs (score, position)
    /// and which positions start a joined pair.
    private var keys: [UInt64] = []
    private var ranges: [Range<Int>] = []
    /// Whether each piece directly follows the one before it in the text (one space between).
    private var adjacent: [Bool] = []
    private var candidates: [(score: Double, at: Int)] = []
    private var joinsNext: [Bool] = []

    /// Keys of single characters are their scalar values (below 2^21); longer pieces come after.
    private static let longKeyBase: UInt64 = 1 << 21

    init(keepsTagField: Bool) {
        self.keepsTagField = keepsTagField
    }

    // MARK: Counting

    /// Counts the pieces and candidate pairs of `text`, which continues the text of earlier calls
    /// (a line may be split between calls).
    func count(_ text: UnsafeRawBufferPointer) {
        forEachLine(of: text) { line in countLine(line) }
    }

    /// Scores the pairs, after the last `count`; the counts are released.
    func learn() {
        if !pending.isEmpty {
            pending.withUnsafeBytes { countLine($0) }
            pending.removeAll()
        }
        let n = Double(total)
        for (pair, count) in pairCounts where count >= Self.minCount {
            let left = pieceCounts[pair >> 21] ?? 1, right = pieceCounts[pair & 0x1F_FFFF] ?? 1
            let score = Double(count - Self.minCount) / (Double(left) * Double(right)) * n
            if score > Self.threshold { scores[pair] = score }
        }
        pieceCounts = [:]
        pairCounts = [:]
    }

    private func countLine(_ line: UnsafeRawBufferPointer) {
        pieces(of: UnsafeRawBufferPointer(rebasing: line[textStart(of: line)...]), numbering: true)
        total += keys.count
        for i in keys.indices {
            pieceCounts[keys[i], default: 0] += 1
            if i + 1 < keys.count, adjacent[i + 1], let pair = Self.pair(keys[i], keys[i + 1]) { pairCounts[pair, default: 0] += 1 }
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
        pieces(of: UnsafeRawBufferPointer(rebasing: line[start...]), numbering: false)
        candidates.removeAll(keepingCapacity: true)
        for i in keys.indices.dropLast() where adjacent[i + 1] {
            if let pair = Self.pair(keys[i], keys[i + 1]), let score = scores[pair] { candidates.append((score, i)) }
        }
        joinsNext.removeAll(keepingCapacity: true)
        joinsNext.append(contentsOf: repeatElement(false, count: keys.count))
        if !candidates.isEmpty {
            // Best first; equal scores leftmost first, so the result does not depend on the sort.
            candidates.sort { $0.score != $1.score ? $0.score > $1.score : $0.at < $1.at }
            for (_, i) in candidates where !joinsNext[i] && !joinsNext[i + 1] && (i == 0 || !joinsNext[i - 1]) {
                joinsNext[i] = true
            }
        }
        for i in keys.indices {
            if i > 0 && !joinsNext[i - 1] { output.append(0x20) }
            output.append(contentsOf: line[(start + ranges[i].lowerBound)..<(start + ranges[i].upperBound)])
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

    /// Fills `keys` and `ranges` with the pieces of `text`. A piece longer than one character that
    /// was not counted gets `unknownKey` unless `numbering`.
    private func pieces(of line: UnsafeRawBufferPointer, numbering: Bool) {
        keys.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        adjacent.removeAll(keepingCapacity: true)
        var i = 0
        while i < line.count {
            while i < line.count && TokenReader.isWhitespace(line[i]) { i += 1 }
            let start = i
            while i < line.count && !TokenReader.isWhitespace(line[i]) { i += 1 }
            if i > start {
                adjacent.append(ranges.last.map { start - $0.upperBound == 1 } ?? false)
                ranges.append(start..<i)
                keys.append(key(of: UnsafeRawBufferPointer(rebasing: line[start..<i]), numbering: numbering))
            }
        }
    }

    /// A piece never counted (only while merging): it joins nothing.
    private static let unknownKey = UInt64.max

    /// A single character's scalar value, or a longer piece's number.
    private func key(of piece: UnsafeRawBufferPointer, numbering: Bool) -> UInt64 {
        if let scalar = Self.singleScalar(piece) { return UInt64(scalar) }
        // Pieces of up to 15 bytes (five CJK characters) are small strings: no allocation.
        let text = String(decoding: piece, as: UTF8.self)
        if let key = longPieces[text] { return key }
        guard numbering else { return Self.unknownKey }
        let key = Self.longKeyBase + UInt64(longPieces.count)
        longPieces[text] = key
        return key
    }

    /// The key of the pair `left right` if it may be joined: the right piece is a single non-ASCII
    /// character (ASCII letters and digits are whole words or numbers already).
    private static func pair(_ left: UInt64, _ right: UInt64) -> UInt64? {
        guard right >= 0x80, right < longKeyBase, left < 1 << 43 else { return nil }
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
}
