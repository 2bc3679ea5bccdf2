/// The words a model knows, with their corpus counts, sorted by descending count.
///
/// Index `i` is the row of word `i` in every weight matrix. Ties in count are broken by the words'
/// UTF-8 bytes, so the order (and thus training) is deterministic for a given corpus.
public struct Vocabulary: Sendable {
    /// The words, most frequent first.
    public let words: [String]
    /// `counts[i]` is the number of occurrences of `words[i]` in the corpus it was built from.
    public let counts: [Int]
    /// Sum of `counts`: the number of corpus tokens that training will visit per epoch. Saturates at
    /// `Int.max` rather than trapping (`Vocabulary.read` rejects files whose counts come near it).
    public let totalCount: Int
    let table: ByteStringTable

    /// Number of words.
    public var count: Int { words.count }

    /// Builds a vocabulary from (word, count) pairs in any order, keeping the words that occur at least
    /// `minCount` times, then at most the `maxSize` most frequent of those. O(V log V).
    public init(entries: [(word: String, count: Int)], minCount: Int = 1, maxSize: Int? = nil) {
        var kept = entries.filter { $0.count >= minCount }
        kept.sort { a, b in
            a.count != b.count ? a.count > b.count : a.word.utf8.lexicographicallyPrecedes(b.word.utf8)
        }
        if let maxSize, kept.count > maxSize { kept.removeLast(kept.count - maxSize) }
        var table = ByteStringTable(minimumCapacity: kept.count)
        var words: [String] = []
        var counts: [Int] = []
        words.reserveCapacity(kept.count)
        counts.reserveCapacity(kept.count)
        for (word, count) in kept {
            var word = word
            let inserted = word.withUTF8 { table.insert($0).inserted }
            // Distinct byte strings can repair to the same word; keep the first (most frequent).
            guard inserted else { continue }
            words.append(word)
            counts.append(count)
        }
        self.words = words
        self.counts = counts
        var total = 0
        for count in counts {
            let (sum, overflow) = total.addingReportingOverflow(count)
            total = overflow ? Int.max : sum
        }
        self.totalCount = total
        self.table = table
    }

    /// Builds a vocabulary from counts gathered over a corpus. See `init(entries:minCount:maxSize:)`.
    public init(counts: WordCounts, minCount: Int = 5, maxSize: Int? = nil) {
        self.init(entries: counts.entries(minCount: minCount), minCount: minCount, maxSize: maxSize)
    }

    /// The index of `word`, or `nil` if it is not in the vocabulary. Expected O(length of word).
    public func index(of word: String) -> Int? {
        var word = word
        return word.withUTF8 { table.id(of: $0) }
    }

    @inline(__always)
    func index(ofBytes bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        table.id(of: bytes)
    }

    /// For each word, the probability of keeping an occurrence when subsampling frequent words with
    /// threshold `sample` (Mikolov et al. 2013, as implemented in the original tool):
    /// `(sqrt(c / (sample * N)) + 1) * sample * N / c`, capped at 1, where `c` is the word's count and
    /// `N` the total. `sample <= 0` keeps everything.
    public func keepProbabilities(sample: Double) -> [Float] {
        guard sample > 0 else { return Array(repeating: 1, count: count) }
        let threshold = sample * Double(totalCount)
        return counts.map { count in
            let c = Double(count)
            return Float(min(1, ((c / threshold).squareRoot() + 1) * threshold / c))
        }
    }
}
