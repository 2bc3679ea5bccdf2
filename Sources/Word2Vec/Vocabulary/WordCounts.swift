import Dispatch
import Synchronization

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
    public internal(set) var tokenCount = 0
    /// Number of sentences (lines, or sequences given) seen.
    public private(set) var sentenceCount = 0
    /// Words of the longest sentence seen, to tell whether `maxSentenceLength` split any.
    public private(set) var longestSentence = 0
    /// Sentences of exactly one word, which give no word a context (a file of one word per line).
    public private(set) var singleWordSentenceCount = 0
    /// Words seen fewer times than this were dropped to stay within the limit; 0 if none were.
    public private(set) var prunedBelow = 0
    /// Counting a file: the byte offset of the first word that was not valid UTF-8 (counted with
    /// U+FFFD in place of the bad bytes), or `nil`. See `TextPosition.line(ofByte:inFileAt:)`.
    public internal(set) var firstInvalidUTF8Offset: Int? = nil
    /// Counting a file: whether it starts with a UTF-8 byte order mark, which became part of its
    /// first word.
    public internal(set) var startsWithByteOrderMark = false
    /// Distinct words held before the rarest are dropped. Keys longer than `averageKeyBytes` count for
    /// more than one word, so that memory stays bounded whatever the words' lengths.
    var maxDistinctWords: Int
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
    ///
    ///
    /// With `threads` above 1, the text is split into that many byte ranges on whitespace, counted in
    /// parallel and merged, however small the text (`TextFileCorpus.countWords(threads:)` uses fewer
    /// threads for small files). The result is the same as counting with one thread: the same words
    /// with the same counts in the same order, the same token and sentence counts, and the same
    /// pruning (see `count(input:maxDistinctWords:parts:)`).
    public static func count(
        fileAt path: String, maxDistinctWords: Int = defaultMaxDistinctWords, threads: Int = 1
    ) throws -> WordCounts {
        try count(input: try InputFile.open(path), maxDistinctWords: maxDistinctWords, parts: threads)
    }

    /// Below this many bytes per thread, starting threads costs more than it saves.
    static let minimumBytesPerThread = 1 << 20

    /// How many ranges to count `input` in with up to `threads` threads.
    static func parts(for input: InputFile, threads: Int) -> Int {
        max(1, min(threads, input.size / minimumBytesPerThread))
    }

    /// What counting one byte range found, beyond its words: enough about the lines at its two ends
    /// to count sentences that straddle ranges exactly once.
    private struct PartCount {
        var counts: WordCounts
        /// Whether the range holds a newline at all.
        var hasNewline = false
        /// Words before the first newline (all words, if there is none).
        var firstLineWords = 0
        /// Sentences both started and ended (by a newline) inside the range, the longest of them and
        /// how many hold one word.
        var innerSentences = 0
        var innerLongest = 0
        var innerSingleWord = 0
        /// Words after the last newline.
        var lastLineWords = 0
    }

    /// Counts `input` split into `parts` ranges (`FileSlices`) read in parallel, merged in file order.
    ///
    /// Merging the ranges' tables in file order numbers every word by its first occurrence in the
    /// file, as one sequential pass does, and counts add up exactly. Pruning cannot be split that way:
    /// which words a sequential pass drops depends on when the limit is crossed. But a sequential pass
    /// prunes exactly when the whole file has more distinct words (or key bytes) than the limit allows,
    /// since both only grow until the first pruning. So the merged table is kept only if it is within
    /// the limit; otherwise the file is counted again sequentially, which prunes as it always did. The
    /// ranges' tables together never hold more than the limit: once they would, the parallel pass is
    /// abandoned early. The result is therefore identical to `parts == 1` in every case; only corpora
    /// near or over the limit pay for a partial parallel pass before the sequential one.
    static func count(input: InputFile, maxDistinctWords: Int, parts: Int) throws -> WordCounts {
        guard parts > 1 else { return try count(input: input, maxDistinctWords: maxDistinctWords) }
        let limit = max(maxDistinctWords, minimumDistinctWordLimit)
        let ranges = try FileSlices.ranges(input: input, parts: parts)
        let budget = Budget(limit: limit)
        let results = Mutex<[Int: PartCount]>([:])
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { part in
            do {
                if let counted = try countPart(input: input, range: ranges[part], budget: budget) {
                    results.withLock { $0[part] = counted }
                }
            } catch {
                budget.abandon()
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        var partCounts = results.withLock { results in
            budget.isAbandoned ? [] : (0..<ranges.count).compactMap { results.removeValue(forKey: $0) }
        }
        guard partCounts.count == ranges.count else {
            return try count(input: input, maxDistinctWords: maxDistinctWords)
        }
        var merged = partCounts[0].counts
        partCounts[0].counts = WordCounts()
        var sentences = 0, longest = 0, singleWord = 0
        // Words of the line still open at the end of the ranges merged so far.
        var openLine = 0
        func endLine(_ words: Int) {
            guard words > 0 else { return }
            sentences += 1
            longest = max(longest, words)
            if words == 1 { singleWord += 1 }
        }
        for i in partCounts.indices {
            let part = partCounts[i]
            if i > 0 {
                merged.merge(part.counts)
                // Ranges are in file order, so the first range with one holds the earliest.
                merged.firstInvalidUTF8Offset = merged.firstInvalidUTF8Offset ?? part.counts.firstInvalidUTF8Offset
                partCounts[i].counts = WordCounts()
            }
            if part.hasNewline {
                endLine(openLine + part.firstLineWords)
                sentences += part.innerSentences
                longest = max(longest, part.innerLongest)
                singleWord += part.innerSingleWord
                openLine = part.lastLineWords
            } else {
                openLine += part.firstLineWords
            }
        }
        endLine(openLine)
        merged.sentenceCount = sentences
        merged.longestSentence = longest
        merged.singleWordSentenceCount = singleWord
        guard !merged.exceeds(limit) else {
            return try count(input: input, maxDistinctWords: maxDistinctWords)
        }
        merged.maxDistinctWords = limit
        return merged
    }

    /// The distinct words and key bytes held by all ranges' tables together, against the limit.
    private final class Budget: Sendable {
        let limit: Int
        private let words = Atomic<Int>(0)
        private let bytes = Atomic<Int>(0)
        private let abandoned = Atomic<Bool>(false)

        init(limit: Int) { self.limit = limit }

        var isAbandoned: Bool { abandoned.load(ordering: .relaxed) }

        func abandon() { abandoned.store(true, ordering: .relaxed) }

        /// Adds what a range has inserted since its last report; false once the parallel pass is off.
        func report(words newWords: Int, bytes newBytes: Int) -> Bool {
            let totalWords = words.wrappingAdd(newWords, ordering: .relaxed).newValue
            let totalBytes = bytes.wrappingAdd(newBytes, ordering: .relaxed).newValue
            if totalWords > limit || totalBytes / WordCounts.averageKeyBytes > limit { abandon() }
            return !isAbandoned
        }
    }

    /// Counts one range without pruning; nil if the pass was abandoned.
    private static func countPart(input: InputFile, range: Range<Int>, budget: Budget) throws -> PartCount? {
        var result = PartCount(counts: WordCounts())
        guard !range.isEmpty else { return result }
        let reader = TokenReader(input: input, range: range)
        // Reported in batches so that threads rarely touch the shared counters; the ranges may then
        // hold this many words each beyond the limit, which is nothing next to it.
        let batch = 256
        var unreportedWords = 0, unreportedBytes = 0
        var lineWords = 0
        loop: while true {
            switch try reader.next() {
            case .word(let bytes):
                if result.counts.addWithoutPruning(bytes) {
                    unreportedWords += 1
                    unreportedBytes += bytes.count
                    if unreportedWords == batch {
                        guard budget.report(words: unreportedWords, bytes: unreportedBytes) else { return nil }
                        unreportedWords = 0
                        unreportedBytes = 0
                    }
                }
                lineWords += 1
            case .endOfLine:
                if !result.hasNewline {
                    result.hasNewline = true
                    result.firstLineWords = lineWords
                } else if lineWords > 0 {
                    result.innerSentences += 1
                    result.innerLongest = max(result.innerLongest, lineWords)
                    if lineWords == 1 { result.innerSingleWord += 1 }
                }
                lineWords = 0
            case .endOfInput:
                if result.hasNewline {
                    result.lastLineWords = lineWords
                } else {
                    result.firstLineWords = lineWords
                }
                break loop
            }
        }
        guard budget.report(words: unreportedWords, bytes: unreportedBytes) else { return nil }
        result.counts.firstInvalidUTF8Offset = reader.firstInvalidWordOffset
        result.counts.startsWithByteOrderMark = reader.startsWithByteOrderMark
        return result
    }

    /// Counts one occurrence; true if the word is new.
    @inline(__always)
    private mutating func addWithoutPruning(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let (id, inserted) = table.insert(bytes)
        tokenCount += 1
        if inserted {
            counts.append(1)
            keyBytes += bytes.count
        } else {
            counts[id] += 1
        }
        return inserted
    }

    /// Adds `other`'s counts; its new words follow this table's, in `other`'s order.
    mutating func merge(_ other: WordCounts) {
        for id in other.counts.indices {
            let (mergedID, inserted) = other.table.withKey(id) { table.insert($0, hash: other.table.hash(ofKey: id)) }
            if inserted {
                counts.append(other.counts[id])
                keyBytes += other.table.withKey(id) { $0.count }
            } else {
                counts[mergedID] += other.counts[id]
            }
        }
        tokenCount += other.tokenCount
    }

    /// Whether a sequential pass holding these words would have pruned (the test in `add`).
    func exceeds(_ limit: Int) -> Bool {
        counts.count > limit || keyBytes / Self.averageKeyBytes > limit
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
        counts.firstInvalidUTF8Offset = reader.firstInvalidWordOffset
        counts.startsWithByteOrderMark = reader.startsWithByteOrderMark
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
