import Foundation
import Synchronization
import Testing
import Word2Vec

/// Later epochs replay the first complete pass over each part (`SentenceReplay`): they must see
/// exactly what reading the corpus again gives, and train exactly as a run that reads it.
@Suite struct SentenceReplayTests {
    /// Forwards to `base` and counts the passes made over it; its passes do not repeat unless told.
    struct CountedPasses<Base: TrainingCorpus>: TrainingCorpus {
        let base: Base
        let repeats: Bool
        let counter = PassCounter()
        /// Throws after this many sentences of a pass (never when negative).
        var failAfter = -1

        struct Failure: Error {}

        var name: String { base.name }
        var repeatsItsPasses: Bool { repeats }
        func countWords() throws -> WordCounts { try base.countWords() }

        func forEachSentence(
            part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
            _ body: (UnsafeBufferPointer<Int32>) throws -> Void
        ) throws {
            try forEachDocument(part: part, of: parts, vocabulary: vocabulary, maxLength: maxLength) { words, _ in try body(words) }
        }

        func forEachDocument(
            part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
            _ body: (_ words: UnsafeBufferPointer<Int32>, _ tags: UnsafeBufferPointer<Int32>) throws -> Void
        ) throws {
            counter.passes.add(1, ordering: .relaxed)
            var seen = 0
            try base.forEachDocument(part: part, of: parts, vocabulary: vocabulary, maxLength: maxLength) { words, tags in
                if seen == failAfter { throw Failure() }
                seen += 1
                try body(words, tags)
            }
        }
    }

    final class PassCounter: Sendable {
        let passes = Atomic<Int>(0)
    }

    static func sentences(_ count: Int, seed: UInt64) -> [[String]] {
        topicCorpus(groups: 4, wordsPerGroup: 12, sentences: count, length: 9, seed: seed)
    }

    /// Each part's sentences and tags, in order, as `Array`s.
    static func collect(
        _ read: (_ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>) throws -> Void) throws -> Void
    ) rethrows -> [[Int32]] {
        var seen: [[Int32]] = []
        try read { words, tags in seen.append(Array(words) + [-1] + Array(tags)) }
        return seen
    }

    @Test func laterPassesReplayTheFirstWithoutReadingAgain() throws {
        let documents = try InMemoryDocumentCorpus(documents: Self.sentences(60, seed: 3).enumerated().map {
            TaggedDocument(words: $1, tags: ["d\($0 % 7)", "all"])
        })
        let corpus = CountedPasses(base: documents, repeats: true)
        let vocabulary = try Trainer(configuration: { var c = TrainingConfiguration(); c.minCount = 1; return c }())
            .buildVocabulary(from: corpus)
        let parts = 3
        let replay = SentenceReplay(parts: parts)
        for part in 0..<parts {
            let direct = try Self.collect { try documents.forEachDocument(part: part, of: parts, vocabulary: vocabulary, maxLength: 5, $0) }
            #expect(!direct.isEmpty)
            for pass in 0..<3 {
                let replayed = try Self.collect {
                    try replay.forEachDocument(of: corpus, part: part, vocabulary: vocabulary, maxLength: 5, keep: true, $0)
                }
                #expect(replayed == direct, "part \(part), pass \(pass)")
            }
        }
        // One read per part; the other passes came from memory.
        #expect(corpus.counter.passes.load(ordering: .relaxed) == parts)
    }

    @Test func unfinishedPassesAndPassesOverBudgetAreNotKept() throws {
        let base = InMemoryCorpus(sentences: Self.sentences(40, seed: 4))
        var failing = CountedPasses(base: base, repeats: true)
        failing.failAfter = 10
        var configuration = TrainingConfiguration()
        configuration.minCount = 1
        let vocabulary = try Trainer(configuration: configuration).buildVocabulary(from: base)
        let replay = SentenceReplay(parts: 1)
        #expect(throws: CountedPasses<InMemoryCorpus>.Failure.self) {
            try replay.forEachDocument(of: failing, part: 0, vocabulary: vocabulary, maxLength: 100, keep: true) { _, _ in }
        }
        let counted = CountedPasses(base: base, repeats: true)
        _ = try Self.collect { try replay.forEachDocument(of: counted, part: 0, vocabulary: vocabulary, maxLength: 100, keep: true, $0) }
        #expect(counted.counter.passes.load(ordering: .relaxed) == 1, "the failed pass was not kept: this one read")

        let small = SentenceReplay(parts: 1, budget: 64)
        let direct = try Self.collect { try base.forEachDocument(part: 0, of: 1, vocabulary: vocabulary, maxLength: 100, $0) }
        for _ in 0..<2 {
            let read = try Self.collect { try small.forEachDocument(of: counted, part: 0, vocabulary: vocabulary, maxLength: 100, keep: true, $0) }
            #expect(read == direct)
        }
        #expect(counted.counter.passes.load(ordering: .relaxed) == 3, "over the budget: read every time")
    }

    /// Training on a corpus whose passes repeat (replayed) and on the same sentences read every
    /// epoch gives the same weights, bit for bit, for words and for documents.
    @Test(arguments: [false, true])
    func replayedTrainingEqualsReadingEveryEpoch(documents: Bool) throws {
        var configuration = TrainingConfiguration()
        configuration.dimension = 10
        configuration.minCount = 1
        configuration.threads = 1
        configuration.epochs = 4
        configuration.sample = 1e-2
        if documents { configuration.documentMode = .dbow }
        let sentences = Self.sentences(80, seed: 9)
        func train(repeats: Bool) throws -> (Model, Int) {
            let trainer = Trainer(configuration: configuration)
            if documents {
                let corpus = CountedPasses(
                    base: try InMemoryDocumentCorpus(documents: sentences.enumerated().map { TaggedDocument(words: $1, tags: ["d\($0)"]) }),
                    repeats: repeats)
                return (try trainer.train(documents: RepeatedDocuments(corpus: corpus)), corpus.counter.passes.load(ordering: .relaxed))
            }
            let corpus = CountedPasses(base: InMemoryCorpus(sentences: sentences), repeats: repeats)
            return (try trainer.train(corpus: corpus), corpus.counter.passes.load(ordering: .relaxed))
        }
        let (replayed, replayedReads) = try train(repeats: true)
        let (read, reads) = try train(repeats: false)
        #expect(replayedReads < reads, "replayed \(replayedReads) passes, read \(reads)")
        func rows(_ matrix: Matrix) -> [[Float]] { (0..<matrix.rows).map { matrix.row($0) } }
        #expect(rows(replayed.input) == rows(read.input))
        #expect(rows(replayed.outputs[0].weights) == rows(read.outputs[0].weights))
        if documents {
            #expect(rows(replayed.documents!.vectors) == rows(read.documents!.vectors))
        }
    }

    /// `CountedPasses` over documents, as a `DocumentCorpus` (its tags from the base).
    struct RepeatedDocuments: DocumentCorpus {
        let corpus: CountedPasses<InMemoryDocumentCorpus>
        var name: String { corpus.name }
        var repeatsItsPasses: Bool { corpus.repeatsItsPasses }
        func tags() throws -> DocumentTags { try corpus.base.tags() }
        func countWords() throws -> WordCounts { try corpus.countWords() }
        func forEachDocument(
            part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
            _ body: (_ words: UnsafeBufferPointer<Int32>, _ tags: UnsafeBufferPointer<Int32>) throws -> Void
        ) throws {
            try corpus.forEachDocument(part: part, of: parts, vocabulary: vocabulary, maxLength: maxLength, body)
        }
    }
}
