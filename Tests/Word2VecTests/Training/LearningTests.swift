import Foundation
import Testing
import Word2Vec

/// Training must discover planted structure: words that share topics end up closer than words that
/// never co-occur, for every architecture and objective.
@Suite struct LearningTests {
    static let corpus = topicCorpus(groups: 6, wordsPerGroup: 8, sentences: 3000, length: 12, seed: 42)

    static func configuration(_ architecture: TrainingConfiguration.Architecture, hs: Bool, negative: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.architecture = architecture
        configuration.loss = TrainingConfiguration.Loss(hierarchicalSoftmax: hs, negatives: negative)!
        configuration.dimension = 24
        configuration.window = 4
        configuration.minCount = 1
        configuration.sample = 0
        configuration.epochs = 8
        configuration.threads = 2
        return configuration
    }

    @Test(arguments: [
        (TrainingConfiguration.Architecture.cbow, false, 5),
        (.cbow, true, 0),
        (.skipGram, false, 5),
        (.skipGram, true, 0),
        (.cbow, true, 3),
    ])
    func sameTopicWordsEndUpCloser(architecture: TrainingConfiguration.Architecture, hs: Bool, negative: Int) throws {
        let model = try Trainer(configuration: Self.configuration(architecture, hs: hs, negative: negative))
            .train(corpus: InMemoryCorpus(sentences: Self.corpus))
        let embeddings = model.embeddings
        #expect(embeddings.count == 48)
        var within: [Float] = [], across: [Float] = []
        var nearestInGroup = 0
        for a in embeddings.words {
            var best: (word: String, similarity: Float) = ("", -2)
            for b in embeddings.words where b != a {
                let similarity = try embeddings.similarity(a, b)
                if a.prefix(2) == b.prefix(2) { within.append(similarity) } else { across.append(similarity) }
                if similarity > best.similarity { best = (b, similarity) }
            }
            if best.word.prefix(2) == a.prefix(2) { nearestInGroup += 1 }
        }
        let meanWithin = within.reduce(0, +) / Float(within.count)
        let meanAcross = across.reduce(0, +) / Float(across.count)
        #expect(meanWithin > meanAcross + 0.3, "within \(meanWithin), across \(meanAcross)")
        #expect(nearestInGroup >= 46, "only \(nearestInGroup) of 48 words have a same-topic nearest neighbour")
    }

    @Test func lossDecreasesAcrossEpochs() throws {
        let losses = Mutex<[Double]>([])
        _ = try Trainer(configuration: Self.configuration(.skipGram, hs: false, negative: 5))
            .train(corpus: InMemoryCorpus(sentences: Self.corpus)) { event in
                if case .epochFinished(let summary) = event { losses.withLock { $0.append(summary.meanLoss) } }
            }
        let values = losses.withLock { $0 }
        #expect(values.count == 8)
        #expect(values.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(values.last! < values.first! * 0.9, "losses \(values)")
    }

    @Test func oneThreadIsReproducibleFromTheSeed() throws {
        var configuration = Self.configuration(.cbow, hs: true, negative: 2)
        configuration.threads = 1
        configuration.sample = 1e-2
        let corpus = InMemoryCorpus(sentences: Array(Self.corpus.prefix(500)))
        let first = try Trainer(configuration: configuration).train(corpus: corpus)
        let second = try Trainer(configuration: configuration).train(corpus: corpus)
        configuration.seed = 2
        let third = try Trainer(configuration: configuration).train(corpus: corpus)
        let rows = first.input.rows * first.input.columns
        let a = Array(UnsafeBufferPointer(start: first.input.storage, count: rows))
        #expect(a == Array(UnsafeBufferPointer(start: second.input.storage, count: rows)))
        #expect(a != Array(UnsafeBufferPointer(start: third.input.storage, count: rows)))
    }

    /// Subsampling drops frequent words: with an aggressive threshold a word that is 90% of the corpus
    /// contributes far fewer predictions.
    @Test func subsamplingReducesPredictions() throws {
        var random = TestRandom(seed: 3)
        let sentences = (0..<40).map { _ in
            (0..<200).map { _ in Double.random(in: 0..<1, using: &random) < 0.9 ? "the" : "w\(Int.random(in: 0..<20, using: &random))" }
        }
        func predictions(sample: Double) throws -> Int {
            var configuration = Self.configuration(.cbow, hs: false, negative: 2)
            configuration.sample = sample
            configuration.epochs = 1
            configuration.threads = 1
            let total = Mutex(0)
            _ = try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: sentences)) { event in
                if case .epochFinished(let summary) = event { total.withLock { $0 += summary.predictions } }
            }
            return total.withLock { $0 }
        }
        let all = try predictions(sample: 0)
        let subsampled = try predictions(sample: 1e-3)
        #expect(all == 8000)
        // Keep probabilities: "the" (~7,200 of 8,000 tokens) 0.034, each rare word (~40) 0.65, so about
        // 250 + 520 words remain; every kept word but the few alone in a sentence is predicted once.
        #expect(subsampled > 600 && subsampled < 950, "kept \(subsampled) of \(all)")
    }
}

import Synchronization
