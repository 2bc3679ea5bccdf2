/// A bounded uniform sample of the sentences a model has been trained on, over all its runs, kept in
/// the model file so that `Trainer.update` can rehearse earlier text while it learns a new batch.
///
/// Without rehearsal an update trains on the new batch alone, and what the old text taught fades
/// (catastrophic forgetting): an update then scores well below training on all the text at once
/// (docs/incremental.md). Interleaving earlier sentences with the new ones keeps every word's old
/// contexts in the gradient at a cost proportional to the batch, not to the history.
///
/// Each sentence gets a uniform random key when it is read; the reservoir keeps the sentences with the
/// smallest keys whose words add up to at most `capacity`. Keys travel with the sentences, so a later
/// batch's sentences compete with the kept ones on equal terms and the sample stays uniform over
/// every sentence seen, whatever the batches' sizes. Sentences hold the words of the vocabulary at
/// the time they were read (rarer words were never trained, so nothing of them is rehearsed).
///
/// A paragraph-vector model's sample keeps each sentence's document tags (numbers of the model's
/// `DocumentTags`, which an update only appends to, so they stay valid), so that an update rehearses
/// earlier documents with their own vectors.
public struct SentenceReservoir: Sendable, Equatable {
    /// At most this many words are kept (about 6 bytes each in the model file): enough for the
    /// rehearsal of a batch of `capacity / rehearsalRatio` words without repeating a sentence.
    public static let capacity = 2_000_000
    /// Rehearsed words per word of the new batch. An update costs `1 + rehearsalRatio` times a run
    /// over its batch; with 0.5 a stream of updates costs at most 1.5 runs over all the text.
    public static let rehearsalRatio = 0.5

    /// Sort keys, one per sentence, in ascending order.
    var keys: [UInt64] = []
    /// `ends[i]` is the end of sentence `i` in `bytes`; its words are separated by single spaces.
    var ends: [Int] = []
    var bytes: [UInt8] = []
    /// The tag numbers of each sentence's document, for a paragraph-vector model (`count` lists,
    /// each non-empty); empty for a word model.
    var tags: [[Int32]] = []

    public init() {}

    /// Whether the sentences carry document tags.
    var hasTags: Bool { !tags.isEmpty }

    /// Number of sentences kept.
    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    func sentenceBytes(_ i: Int) -> ArraySlice<UInt8> {
        bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
    }

    /// The words of sentence `i`.
    public func sentence(_ i: Int) -> [String] {
        sentenceBytes(i).split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Words kept in all.
    public var wordCount: Int {
        var words = 0
        for i in 0..<count { words += Self.words(in: sentenceBytes(i)) }
        return words
    }

    static func words(in sentence: ArraySlice<UInt8>) -> Int {
        sentence.isEmpty ? 0 : 1 + sentence.lazy.filter { $0 == UInt8(ascii: " ") }.count
    }

    /// This sample and the sentences of `corpus` (words of `vocabulary`), sampled down to `capacity`.
    /// `seed` draws the new sentences' keys: the result depends on nothing else. With `keepingTags`
    /// (paragraph vectors) each sentence keeps the tag numbers `corpus.forEachDocument` gives it,
    /// which must be numbers of the model's tags; a sample without tags then gains none (its
    /// sentences cannot be rehearsed as documents) and is replaced.
    package func adding(
        _ corpus: some TrainingCorpus, vocabulary: Vocabulary, maxLength: Int, seed: UInt64, capacity: Int = Self.capacity,
        keepingTags: Bool = false
    ) throws -> SentenceReservoir {
        var random = LinearCongruentialGenerator(seed: seed)
        var candidates: [(key: UInt64, words: [Int32], tags: [Int32])] = []
        var candidateWords = 0
        // Keys above the threshold can never be kept: the sentences below it already fill the capacity.
        var threshold = UInt64.max
        if keepingTags == hasTags || isEmpty {
            let words = sentences(in: vocabulary, keepingEmpty: true)
            for i in 0..<count { candidates.append((keys[i], words[i], hasTags ? tags[i] : [])) }
        }
        func shrink() {
            candidates.sort { $0.key < $1.key }
            var words = 0
            var kept = 0
            while kept < candidates.count, words + candidates[kept].words.count <= capacity {
                words += candidates[kept].words.count
                kept += 1
            }
            if kept < candidates.count { threshold = candidates[kept].key }
            candidates.removeSubrange(kept...)
            candidateWords = words
        }
        candidateWords = candidates.reduce(0) { $0 + $1.words.count }
        try corpus.forEachDocument(part: 0, of: 1, vocabulary: vocabulary, maxLength: maxLength) { sentence, tags in
            // Drawn for every sentence, kept or not, so that the keys do not depend on the capacity.
            let key = (random.next() >> 32) << 32 | random.next() >> 32
            guard !sentence.isEmpty, key < threshold, !keepingTags || !tags.isEmpty else { return }
            candidates.append((key, Array(sentence), keepingTags ? Array(tags) : []))
            candidateWords += sentence.count
            if candidateWords > 2 * capacity { shrink() }
        }
        shrink()
        var result = SentenceReservoir()
        for (key, words, tags) in candidates {
            if keepingTags { result.tags.append(tags) }
            for (j, word) in words.enumerated() {
                if j > 0 { result.bytes.append(UInt8(ascii: " ")) }
                result.bytes.append(contentsOf: vocabulary.words[Int(word)].utf8)
            }
            result.keys.append(key)
            result.ends.append(result.bytes.count)
        }
        return result
    }

    /// The sentences as indices of `vocabulary`, words outside it left out (only a `maxVocabularySize`
    /// cut drops a word once in the vocabulary: merged counts only grow), and unless `keepingEmpty`
    /// sentences left empty dropped.
    package func sentences(in vocabulary: Vocabulary, keepingEmpty: Bool = false) -> [[Int32]] {
        rehearsal(in: vocabulary, keepingEmpty: keepingEmpty).sentences
    }

    /// `sentences(in:keepingEmpty:)` with each kept sentence's tags (empty lists without tags).
    func rehearsal(in vocabulary: Vocabulary, keepingEmpty: Bool = false) -> (sentences: [[Int32]], tags: [[Int32]]) {
        var sentences: [[Int32]] = []
        var kept: [[Int32]] = []
        for i in 0..<count {
            let words = sentenceBytes(i).split(separator: UInt8(ascii: " ")).compactMap { word in
                Array(word).withUnsafeBufferPointer { vocabulary.index(ofBytes: $0) }.map(Int32.init)
            }
            if words.isEmpty && !keepingEmpty { continue }
            sentences.append(words)
            kept.append(hasTags ? tags[i] : [])
        }
        return (sentences, kept)
    }
}

/// A new batch with earlier sentences interleaved: what `Trainer.update` trains on.
///
/// After each sentence of the batch, rehearsed sentences follow until they reach `ratio` times the
/// batch's words so far, so every stretch of the batch (and every thread's part) mixes old and new
/// text in the same proportion, as training on all the text shuffled would. Part `p` rehearses its
/// own slice of the sample (in the sample's random order, from the start again if the slice is used
/// up), so the threads rehearse different sentences. Each pass over the batch (an epoch) goes on in
/// the slice where the previous one stopped: replaying the same sentences every epoch would rehearse
/// a sliver of the history many times and the rest never, which is what lost an item stream most of
/// its history (docs/incremental.md).
///
/// Documents (a paragraph-vector update) pass their tags through, and rehearsed sentences carry the
/// tags they were sampled with (`rehearsedTags`, one list per sentence; empty for word models).
package struct RehearsalCorpus<Base: TrainingCorpus>: TrainingCorpus {
    let base: Base
    let rehearsed: [[Int32]]
    let rehearsedTags: [[Int32]]
    let ratio: Double
    /// Where each part's next pass starts rehearsing.
    let cursors: ReplayCursors

    package init(base: Base, rehearsed: [[Int32]], rehearsedTags: [[Int32]] = [], ratio: Double, parts: Int) {
        self.base = base
        self.rehearsed = rehearsed
        self.rehearsedTags = rehearsedTags
        self.ratio = ratio
        cursors = ReplayCursors(parts: parts)
    }

    package var name: String { base.name }

    package func countWords() throws -> WordCounts { try base.countWords() }
    package func countWords(threads: Int) throws -> WordCounts { try base.countWords(threads: threads) }

    package func forEachSentence(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        try forEachDocument(part: part, of: parts, vocabulary: vocabulary, maxLength: maxLength) { words, _ in try body(words) }
    }

    package func forEachDocument(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (_ words: UnsafeBufferPointer<Int32>, _ tags: UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        var slice = (rehearsed.count * part / parts)..<(rehearsed.count * (part + 1) / parts)
        if slice.isEmpty { slice = 0..<rehearsed.count }
        var next = cursors.start(part: part, in: slice)
        defer { cursors.stop(part: part, at: next) }
        var owed = 0.0
        let none: [Int32] = []
        try base.forEachDocument(part: part, of: parts, vocabulary: vocabulary, maxLength: maxLength) { sentence, tags in
            try body(sentence, tags)
            guard !slice.isEmpty else { return }
            owed += ratio * Double(sentence.count)
            while owed > 0 {
                let words = rehearsed[next]
                owed -= Double(words.count)
                try (rehearsedTags.isEmpty ? none : rehearsedTags[next]).withUnsafeBufferPointer { tags in
                    try words.prefix(maxLength).withUnsafeBufferPointer { try body($0, tags) }
                }
                next = next + 1 == slice.upperBound ? slice.lowerBound : next + 1
            }
        }
    }
}

/// The replay position of each part of a `RehearsalCorpus`, kept from one pass to the next. Part `p`
/// is read by one thread at a time (the run's worker `p`, epochs one after another), so each slot
/// has one writer and needs no lock; a part outside the slots starts at its slice's beginning.
final class ReplayCursors: @unchecked Sendable {
    private let positions: UnsafeMutablePointer<Int>
    private let count: Int

    init(parts: Int) {
        count = max(parts, 0)
        positions = .allocate(capacity: max(count, 1))
        positions.initialize(repeating: -1, count: max(count, 1))
    }

    deinit { positions.deallocate() }

    func start(part: Int, in slice: Range<Int>) -> Int {
        guard part >= 0, part < count, slice.contains(positions[part]) else { return slice.lowerBound }
        return positions[part]
    }

    func stop(part: Int, at position: Int) {
        if part >= 0, part < count { positions[part] = position }
    }
}
