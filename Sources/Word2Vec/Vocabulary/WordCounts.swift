/// Occurrence counts of the distinct words of a corpus, gathered in one streaming pass.
///
/// Memory grows with the number of distinct words, not with the corpus length, and is bounded for
/// corpora read from files: when more than `maxDistinctWords` distinct words are held, the rarest are
/// dropped, as the original tool (`ReduceVocab`) and gensim (`max_vocab_size`) do. Each pruning drops
/// every word seen fewer than `prunedBelow` times so far, and the threshold only rises, so that the
/// next pruning is not due at once. A word dropped and seen again restarts from 0: counts of words
/// near the threshold come out low, while frequent words, which are never dropped, keep exact counts
/// if they are seen at least `prunedBelow` times before the first pruning.
public struct WordCounts: Sendable {
    var table = ByteStringTable(minimumCapacity: 1 << 16)
    var counts: [Int] = []
    /// Number of word occurrences seen.
    public private(set) var tokenCount = 0
    /// Number of sentences (lines, or sequences given) seen.
    public private(set) var sentenceCount = 0
    /// Words of the longest sentence seen, to tell whether `maxSentenceLength` split any.
    public private(set) var longestSentence = 0
    /// Sentences of exactly one word, which give no word a context (a file of one word per line).
    public private(set) var singleWordSentenceCount = 0
    /// Words seen fewer times than this were dropped to stay within the limit; 0 if none were.
    public private(set) var prunedBelow = 0
    /// Distinct words held before the rarest are dropped. Keys longer than `averageKeyBytes` count for
    /// more than one word, so that memory stays bounded whatever the words' lengths.
    let maxDistinctWords: Int
    private var keyBytes = 0

    /// The default limit on distinct words held while counting a file. Counting 50 million distinct
    /// 8-byte tokens peaked at 0.49 GB resident with it (1.1 GB at 20 million, 2.2 GB at 30 million,
    /// 4.9 GB unlimited); keys of the 32-byte average the limit allows would add about 0.5 GB. The
    /// original tool keeps up to 21 million.
    public static let defaultMaxDistinctWords = 10_000_000
    /// Smaller limits would prune so often that counting slows to a crawl.
    public static let minimumDistinctWordLimit = 1_000
    static let averageKeyBytes = 32

    public init() { maxDistinctWords = .max }

    init(maxDistinctWords: Int) {
        self.maxDistinctWords = max(maxDistinctWords, Self.minimumDistinctWordLimit)
    }

    /// Number of distinct words.
    public var distinctCount: Int { counts.count }

    @inline(__always)
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        let (id, inserted) = table.insert(bytes)
        tokenCount += 1
        if inserted {
            counts.append(1)
            keyBytes += bytes.count
            if counts.count > maxDistinctWords || keyBytes / Self.averageKeyBytes > maxDistinctWords { prune() }
        } else {
            counts[id] += 1
        }
    }

    /// Drops the rarest words until at most 3/4 of the limit is used.
    private mutating func prune() {
        let target = maxDistinctWords / 4 * 3
        // How many words have each small count, to pick the threshold in one pass.
        let buckets = 1 << 16
        var histogram = [Int](repeating: 0, count: buckets + 1)
        var bytesAt = [Int](repeating: 0, count: buckets + 1)
        for id in counts.indices {
            let bucket = min(counts[id], buckets)
            histogram[bucket] += 1
            bytesAt[bucket] += table.key(id).count
        }
        var threshold = max(prunedBelow, 1)
        var keptWords = counts.count, keptBytes = keyBytes
        for count in 0..<threshold where count <= buckets {
            keptWords -= histogram[count]
            keptBytes -= bytesAt[count]
        }
        while (keptWords > target || keptBytes / Self.averageKeyBytes > target) && threshold <= buckets {
            keptWords -= histogram[threshold]
            keptBytes -= bytesAt[threshold]
            threshold += 1
        }
        // Survivors are packed first and the old table freed before the new one is built, so memory
        // peaks at one table plus a compact copy rather than two tables.
        var survivorKeys: [UInt8] = []
        var survivorEnds: [Int] = []
        var survivorCounts: [Int] = []
        survivorKeys.reserveCapacity(keptBytes)
        survivorEnds.reserveCapacity(keptWords)
        survivorCounts.reserveCapacity(keptWords)
        for id in counts.indices where counts[id] >= threshold {
            survivorKeys.append(contentsOf: table.key(id))
            survivorEnds.append(survivorKeys.count)
            survivorCounts.append(counts[id])
        }
        table = ByteStringTable(minimumCapacity: 1024)
        counts = []
        table = ByteStringTable(minimumCapacity: survivorCounts.count)
        survivorKeys.withUnsafeBufferPointer { keys in
            var start = 0
            for end in survivorEnds {
                _ = table.insert(UnsafeBufferPointer(rebasing: keys[start..<end]))
                start = end
            }
        }
        counts = survivorCounts
        keyBytes = survivorKeys.count
        prunedBelow = threshold
    }

    /// Counts one occurrence of `word`.
    public mutating func add(_ word: String) {
        var word = word
        word.withUTF8 { add($0) }
    }

    /// Counts every word of `sentence` and the sentence itself.
    public mutating func add<S: Sequence>(sentence: S) where S.Element == String {
        var words = 0
        for word in sentence {
            add(word)
            words += 1
        }
        endSentence(words: words)
    }

    mutating func endSentence(words: Int) {
        sentenceCount += 1
        longestSentence = max(longestSentence, words)
        if words == 1 { singleWordSentenceCount += 1 }
    }

    /// The count of `word`, 0 if unseen.
    public func count(of word: String) -> Int {
        var word = word
        return word.withUTF8 { table.id(of: $0).map { counts[$0] } ?? 0 }
    }

    /// Counts the words of a whitespace-separated UTF-8 text file in one streaming pass, holding at
    /// most about `maxDistinctWords` distinct words. The path may be `-`, a pipe or a gzip file.
    /// - Throws: `Word2VecError.unreadableFile` if the file cannot be read or is not text.
    public static func count(
        fileAt path: String, maxDistinctWords: Int = defaultMaxDistinctWords
    ) throws -> WordCounts {
        try count(input: try InputFile.open(path), maxDistinctWords: maxDistinctWords)
    }

    static func count(input: InputFile, maxDistinctWords: Int) throws -> WordCounts {
        var counts = WordCounts(maxDistinctWords: maxDistinctWords)
        let reader = TokenReader(input: input)
        var lineWords = 0
        loop: while true {
            switch try reader.next() {
            case .word(let bytes):
                counts.add(bytes)
                lineWords += 1
            case .endOfLine:
                if lineWords > 0 { counts.endSentence(words: lineWords) }
                lineWords = 0
            case .endOfInput:
                if lineWords > 0 { counts.endSentence(words: lineWords) }
                break loop
            }
        }
        return counts
    }

    /// All (word, count) pairs, in no particular order.
    var entries: [(word: String, count: Int)] { entries(minCount: 1) }

    /// The (word, count) pairs of words seen at least `minCount` times, in no particular order; only
    /// those become strings, which matters when most of millions of distinct words are rare.
    func entries(minCount: Int) -> [(word: String, count: Int)] {
        counts.indices.compactMap { id in
            counts[id] >= minCount ? (String(decoding: table.key(id), as: UTF8.self), counts[id]) : nil
        }
    }
}
