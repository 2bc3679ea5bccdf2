#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The counts one phrase-detection pass learned: unigrams, candidate phrases and the corpus length,
/// and the score they give a candidate.
///
/// A candidate is a word, any connector words, and a word, adjacent in one sentence; its key is the
/// words joined by a space, which no token contains, so unigram `new_york` (from an earlier pass) and
/// candidate `new york` never share a count. After learning, entries below `minCount` are dropped:
/// they can never take part in a phrase, and the table then holds at most `totalWords / minCount`
/// entries.
public struct PhraseTable: Sendable {
    public let configuration: PhraseConfiguration
    var keys = ByteStringTable(minimumCapacity: 1 << 16)
    var counts: [Int] = []
    /// Tokens seen while learning, connector words included.
    public internal(set) var totalWords = 0
    /// Entries with a count up to this were dropped while learning to stay within
    /// `configuration.maxVocabularySize`; 0 if the table never had to be pruned. Counts of the
    /// entries kept are then lower bounds, as in `word2phrase`.
    public internal(set) var pruneLevel = 0

    init(configuration: PhraseConfiguration) { self.configuration = configuration }

    /// Distinct unigrams and candidates held.
    public var entryCount: Int { counts.count }

    @inline(__always)
    func count(ofKey bytes: UnsafeBufferPointer<UInt8>) -> Int {
        keys.id(of: bytes).map { counts[$0] } ?? 0
    }

    /// Counts one occurrence of `bytes`, pruning first if the table is full.
    @inline(__always)
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        let (id, inserted) = keys.insert(bytes)
        if inserted { counts.append(1) } else { counts[id] += 1 }
        if inserted && counts.count > configuration.maxVocabularySize { prune(keepingAbove: pruneLevel + 1) }
    }

    /// Keeps only the entries counted more than `level` times. O(entries).
    mutating func prune(keepingAbove level: Int) {
        pruneLevel = max(pruneLevel, level)
        retain { $0 > level }
    }

    /// Drops what can never score: entries counted fewer than `minCount` times.
    mutating func freeze() {
        let minimum = configuration.minCount
        retain { $0 >= minimum }
    }

    private mutating func retain(_ keep: (Int) -> Bool) {
        let survivors = counts.reduce(0) { keep($1) ? $0 + 1 : $0 }
        var newKeys = ByteStringTable(minimumCapacity: survivors)
        var newCounts: [Int] = []
        newCounts.reserveCapacity(survivors)
        for id in counts.indices where keep(counts[id]) {
            keys.key(id).withUnsafeBufferPointer { _ = newKeys.insert($0) }
            newCounts.append(counts[id])
        }
        keys = newKeys
        counts = newCounts
    }

    /// The score of a candidate with the given counts, or `nil` when it cannot be a phrase because a
    /// count is below `minCount` (the original tool's rule for all three counts).
    public func score(countA: Int, countB: Int, countAB: Int) -> Double? {
        let minimum = max(configuration.minCount, 1)
        guard countA >= minimum, countB >= minimum, countAB >= minimum, totalWords > 0 else { return nil }
        let total = Double(totalWords)
        switch configuration.scoring {
        case .default:
            return Double(countAB - configuration.minCount) / Double(countA) / Double(countB) * total
        case .npmi:
            let pab = Double(countAB) / total
            let value = log(pab / (Double(countA) / total * (Double(countB) / total))) / -log(pab)
            return value.isFinite ? value : nil
        }
    }

    /// The learned count of a word (`[word]`) or candidate (`[a, connectors..., b]`); 0 if unseen or
    /// dropped.
    public func count(of words: [String]) -> Int {
        Array(words.joined(separator: " ").utf8).withUnsafeBufferPointer { count(ofKey: $0) }
    }

    /// The score of joining `a`, `between` (connector words) and `b`, or `nil` if a count is below
    /// `minCount`. The candidate is a phrase when the score exceeds `configuration.threshold`.
    public func score(_ a: String, _ b: String, between: [String] = []) -> Double? {
        score(countA: count(of: [a]), countB: count(of: [b]), countAB: count(of: [a] + between + [b]))
    }

    /// Every learned candidate that scores above the threshold, best first (ties by phrase). Joining is
    /// greedy from the left, so an overlapping candidate (`york times` after `new york`) may score
    /// high here and still never be joined in a particular sentence. O(entries).
    public func phrases() -> [DetectedPhrase] {
        var result: [DetectedPhrase] = []
        for id in counts.indices {
            let key = keys.key(id)
            guard key.contains(0x20) else { continue }
            let words = key.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
            guard let first = words.first, let last = words.last,
                  let value = score(countA: count(of: [first]), countB: count(of: [last]), countAB: counts[id]),
                  value > configuration.threshold
            else { continue }
            result.append(DetectedPhrase(
                words: words, phrase: words.joined(separator: configuration.delimiter), count: counts[id], score: value))
        }
        result.sort { $0.score != $1.score ? $0.score > $1.score : $0.phrase < $1.phrase }
        return result
    }
}

/// A candidate whose score passed the threshold.
public struct DetectedPhrase: Sendable, Equatable {
    /// The words it joins, connector words included.
    public let words: [String]
    /// The token that replaces them (words joined by the delimiter).
    public let phrase: String
    /// Occurrences of the candidate in the corpus.
    public let count: Int
    public let score: Double
}
