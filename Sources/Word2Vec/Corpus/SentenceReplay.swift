import Foundation
import Synchronization

/// The sentences (and tags) of each part of a corpus as one complete pass yielded them, replayed
/// by later epochs instead of reading and tokenising the text again.
///
/// Reading a part is a vocabulary lookup per token (hashing and comparing its bytes), which costs
/// 10-15% of an epoch of subword skip-gram and more of the cheaper whole-word steps; the word
/// numbers of the bench text take 20 MB. Only corpora whose passes repeat (`TrainingCorpus.repeatsItsPasses`)
/// are replayed, so training computes exactly what it computes reading the text each time.
///
/// Contract: each part is read by one thread at a time (a training run's worker `p` reads part `p`
/// of a fixed number of parts). A pass that ends early (a thrown error or a checkpoint's pause) is
/// discarded; the next complete pass over the part is kept.
///
/// Memory: 4 bytes per word and per tag, and 8 per sentence, for as many words as `budget` allows
/// in all parts together; parts past the budget are read from the corpus every time.
package final class SentenceReplay: @unchecked Sendable {
    /// One part's sentences back to back: sentence `i` is `words[wordEnds[i - 1]..<wordEnds[i]]`
    /// (from 0 for the first), its tags likewise. Not changed once published, so threads share it
    /// without locks afterwards.
    final class Pass: @unchecked Sendable {
        var words: [Int32] = []
        var wordEnds: [Int32] = []
        var tags: [Int32] = []
        var tagEnds: [Int32] = []

        /// The memory held, growth room included.
        var byteCount: Int { 4 * (words.capacity + wordEnds.capacity + tags.capacity + tagEnds.capacity) }

        func append(_ sentence: UnsafeBufferPointer<Int32>, tags sentenceTags: UnsafeBufferPointer<Int32>) {
            words.append(contentsOf: sentence)
            wordEnds.append(Int32(truncatingIfNeeded: words.count))
            tags.append(contentsOf: sentenceTags)
            tagEnds.append(Int32(truncatingIfNeeded: tags.count))
        }

        /// Calls `body` with each sentence in the order it was appended.
        func forEach(
            _ body: (_ words: UnsafeBufferPointer<Int32>, _ tags: UnsafeBufferPointer<Int32>) throws -> Void
        ) rethrows {
            try words.withUnsafeBufferPointer { words in
                try tags.withUnsafeBufferPointer { tags in
                    var wordStart = 0, tagStart = 0
                    for i in 0..<wordEnds.count {
                        let wordEnd = Int(wordEnds[i]), tagEnd = Int(tagEnds[i])
                        try body(UnsafeBufferPointer(rebasing: words[wordStart..<wordEnd]),
                                 UnsafeBufferPointer(rebasing: tags[tagStart..<tagEnd]))
                        wordStart = wordEnd
                        tagStart = tagEnd
                    }
                }
            }
        }
    }

    /// Bytes kept at most: 1 GiB, and no more than a sixteenth of the machine's memory.
    static var defaultBudget: Int { Int(min(UInt64(1) << 30, ProcessInfo.processInfo.physicalMemory / 16)) }

    /// The kept pass of each part, if any (taken once per part and epoch: one lock will do).
    private let passes: Mutex<[Pass?]>
    private let parts: Int
    /// Bytes not yet promised to a part's pass.
    private let available: Atomic<Int>

    /// - Parameters:
    ///   - parts: the number of parts the corpus is read in.
    ///   - budget: bytes of replayed passes at most.
    package init(parts: Int, budget: Int = SentenceReplay.defaultBudget) {
        self.parts = parts
        passes = Mutex(Array(repeating: nil, count: parts))
        available = Atomic(budget)
    }

    /// Replays part `part` if a complete pass over it is kept; otherwise reads it from `corpus`,
    /// keeping the pass (with `keep`: a later pass will come) if it completes and fits what is left
    /// of the budget. Either way `body` sees the same sentences and tags in the same order.
    package func forEachDocument<Corpus: TrainingCorpus>(
        of corpus: Corpus, part: Int, vocabulary: Vocabulary, maxLength: Int, keep: Bool,
        _ body: (_ words: UnsafeBufferPointer<Int32>, _ tags: UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        if let kept = passes.withLock({ $0[part] }) {
            try kept.forEach(body)
            return
        }
        var recording: Pass? = keep ? Pass() : nil
        try corpus.forEachDocument(part: part, of: parts, vocabulary: vocabulary, maxLength: maxLength) { words, tags in
            if let pass = recording {
                pass.append(words, tags: tags)
                // A part too large for the budget stops recording at once rather than holding its
                // words to the end of the pass.
                if pass.byteCount > available.load(ordering: .relaxed) { recording = nil }
            }
            try body(words, tags)
        }
        guard let pass = recording else { return }
        let bytes = pass.byteCount
        var left = available.load(ordering: .relaxed)
        while left >= bytes {
            let (exchanged, now) = available.compareExchange(
                expected: left, desired: left - bytes, ordering: .relaxed)
            if exchanged {
                passes.withLock { $0[part] = pass }
                return
            }
            left = now
        }
    }
}
