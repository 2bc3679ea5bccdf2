import Foundation
import Testing
import Word2Vec

/// Updates that rehearse a sample of earlier text (`SentenceReservoir`).
@Suite struct IncrementalTests {
    static var configuration: TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.dimension = 16
        configuration.minCount = 5
        configuration.threads = 1
        configuration.epochs = 3
        return configuration
    }

    @Test func reservoirIsBoundedAndSamplesEveryBatchInProportion() throws {
        // Batch one: 1,000 sentences of g0 words; batch two: 3,000 of g1 words; 5 words each.
        let first = topicCorpus(groups: 1, wordsPerGroup: 10, sentences: 1000, length: 5, seed: 1)
        let second = topicCorpus(groups: 1, wordsPerGroup: 10, sentences: 3000, length: 5, seed: 2)
            .map { $0.map { $0.replacingOccurrences(of: "g0", with: "g1") } }
        let vocabulary = Vocabulary(entries: (0..<10).flatMap { [(word: "g0w\($0)", count: 1), (word: "g1w\($0)", count: 1)] })
        let capacity = 2000
        let once = try SentenceReservoir().adding(
            InMemoryCorpus(sentences: first), vocabulary: vocabulary, maxLength: 1000, seed: 1, capacity: capacity)
        let both = try once.adding(
            InMemoryCorpus(sentences: second), vocabulary: vocabulary, maxLength: 1000, seed: 2, capacity: capacity)
        #expect(once.wordCount == capacity && both.wordCount == capacity)
        let sentences = (0..<both.count).map(both.sentence)
        #expect(sentences.allSatisfy { $0.count == 5 && ($0.allSatisfy { $0.hasPrefix("g0") } || $0.allSatisfy { $0.hasPrefix("g1") }) })
        // A uniform sample of the 4,000 sentences holds about 3/4 of batch two (400 sentences: 300 +- 9).
        let fromSecond = Double(sentences.filter { $0[0].hasPrefix("g1") }.count) / Double(sentences.count)
        #expect(fromSecond > 0.68 && fromSecond < 0.82, "\(fromSecond)")
        let firstSentences = Set(first.map { $0.joined(separator: " ") })
        #expect(sentences.filter { $0[0].hasPrefix("g0") }.allSatisfy { firstSentences.contains($0.joined(separator: " ")) })
    }

    @Test func reservoirTravelsInTheModelFile() throws {
        let trainer = Trainer(configuration: Self.configuration)
        let model = try trainer.train(corpus: InMemoryCorpus(
            sentences: topicCorpus(groups: 3, wordsPerGroup: 10, sentences: 300, length: 8, seed: 3)))
        #expect(model.reservoir.count == 300)
        let path = try temporaryDirectory().appendingPathComponent("m.w2v").path
        try model.save(to: path)
        #expect(try Model(contentsOf: path).reservoir == model.reservoir)
        let updated = try trainer.update(try Model(contentsOf: path), corpus: InMemoryCorpus(
            sentences: topicCorpus(groups: 3, wordsPerGroup: 10, sentences: 200, length: 8, seed: 4)))
        #expect(updated.reservoir.count == 500)
    }

    /// Batch one ties topic a to topic b (their words share sentences); batch two has only b's words,
    /// now beside a new topic c. An update that trains on batch two alone pulls b's words over to c
    /// and the a-b tie fades; rehearsing batch one keeps it, and c's words still find each other.
    @Test func updateKeepsOldRelationsAndLearnsNewWords() throws {
        var random = TestRandom(seed: 7)
        func sentence(_ topics: [String]) -> [String] {
            (0..<10).map { _ in "\(topics.randomElement(using: &random)!)\(Int.random(in: 0..<10, using: &random))" }
        }
        let first = (0..<1500).map { i in sentence(i % 3 == 2 ? ["d"] : ["a", "b"]) }
        let second = (0..<3000).map { i in sentence(i % 3 == 2 ? ["d"] : ["b", "c"]) }
        let trainer = Trainer(configuration: Self.configuration)
        let updated = try trainer.update(try trainer.train(corpus: InMemoryCorpus(sentences: first)),
                                         corpus: InMemoryCorpus(sentences: second))
        let embeddings = updated.embeddings
        func mean(_ x: String, _ y: String) throws -> Float {
            var total: Float = 0
            for i in 0..<10 { for j in 0..<10 where x != y || i != j {
                total += try embeddings.similarity("\(x)\(i)", "\(y)\(j)")
            } }
            return total / (x == y ? 90 : 100)
        }
        let ab = try mean("a", "b"), ad = try mean("a", "d"), cc = try mean("c", "c"), cd = try mean("c", "d")
        #expect(ab > ad + 0.3, "a-b \(ab), a-d \(ad)")
        #expect(cc > cd + 0.3, "c-c \(cc), c-d \(cd)")
        let neighbours = try updated.similarityIndex().mostSimilar(positive: ["c0"], top: 5)
        #expect(neighbours.allSatisfy { $0.word.hasPrefix("b") || $0.word.hasPrefix("c") })
    }

    /// Each pass over the batch rehearses the sentences after the ones the previous pass rehearsed,
    /// so a few epochs replay the whole sample instead of one slice of it again and again; each
    /// thread's part keeps its own place.
    @Test func rehearsalMovesOnEachPass() throws {
        let model = try Trainer(configuration: Self.configuration).train(
            corpus: InMemoryCorpus(sentences: topicCorpus(groups: 1, wordsPerGroup: 2, sentences: 50, length: 4, seed: 5)))
        let word = model.vocabulary.words[0]
        // 10 batch sentences of 2 words, ratio 0.5: one one-word rehearsed sentence after each.
        let batch = InMemoryCorpus(sentences: Array(repeating: [word, word], count: 10))
        let sample = (0..<80).map { [Int32(1000 + $0)] }
        let corpus = RehearsalCorpus(base: batch, rehearsed: sample, ratio: 0.5, parts: 2)
        func pass(_ part: Int) throws -> [Int32] {
            var seen: [Int32] = []
            try corpus.forEachSentence(part: part, of: 2, vocabulary: model.vocabulary, maxLength: 100) { words in
                if let first = words.first, first >= 1000 { seen.append(first) }
            }
            return seen
        }
        var part0: [Int32] = [], part1: [Int32] = []
        for _ in 0..<8 {
            part0 += try pass(0)
            part1 += try pass(1)
        }
        // Part 0 owns sample sentences 0..<40, part 1 40..<80; 8 passes of 5 each cover them once.
        #expect(part0 == (1000..<1040).map(Int32.init))
        #expect(part1 == (1040..<1080).map(Int32.init))
        // Past the end of its slice a part starts over.
        #expect(try pass(0) == (1000..<1005).map(Int32.init))
    }
}
