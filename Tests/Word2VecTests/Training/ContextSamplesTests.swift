import Foundation
import Synchronization
import Testing
import Word2Vec

/// Skip-gram predicting each word from a few context words drawn from its window
/// (`TrainingConfiguration.contextSamples`): how many predictions it makes, that windows no larger
/// than the draw train as before, and that it still learns what co-occurs.
@Suite struct ContextSamplesTests {
    static func configuration(samples: Int, sharedNegatives: Bool = false) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.architecture = .skipGram
        configuration.dimension = 12
        configuration.minCount = 1
        configuration.sample = 0
        configuration.threads = 1
        configuration.epochs = 2
        configuration.contextSamples = samples
        configuration.sharedNegatives = sharedNegatives
        return configuration
    }

    static func vectors(_ model: Model) -> [String: [Float]] {
        Dictionary(uniqueKeysWithValues: model.vocabulary.words.enumerated().map { ($1, model.input.row($0)) })
    }

    /// Predictions in the first epoch.
    static func predictions(_ configuration: TrainingConfiguration, _ sentences: [[String]]) throws -> Int {
        let counted = Mutex([Int]())
        _ = try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: sentences)) { event in
            if case .epochFinished(let summary) = event { counted.withLock { $0.append(summary.predictions) } }
        }
        return counted.withLock { $0[0] }
    }

    /// With the whole sequence as window a word of a sequence of length L has L - 1 context words: it
    /// is predicted from min(samples, L - 1) of them, so a sequence costs L x min(samples, L - 1)
    /// predictions instead of L x (L - 1).
    @Test(arguments: [false, true])
    func predictionsGrowWithTheSamplesNotTheSquareOfTheLength(sharedNegatives: Bool) throws {
        let lengths = [1, 2, 4, 9, 40, 120]
        var random = TestRandom(seed: 5)
        let sentences = lengths.map { length in (0..<length).map { _ in "i\(Int.random(in: 0..<30, using: &random))" } }
        for samples in [0, 3, 8] {
            var configuration = Self.configuration(samples: samples, sharedNegatives: sharedNegatives)
            configuration.useWholeSequenceWindow()
            let expected = lengths.reduce(0) { total, length in
                total + length * (samples == 0 ? length - 1 : min(samples, length - 1))
            }
            #expect(try Self.predictions(configuration, sentences) == expected, "samples \(samples)")
        }
    }

    /// A window holding no more context words than the draw is used whole, in order, without a draw:
    /// the vectors equal those trained without sampling, bit for bit.
    @Test(arguments: [false, true])
    func windowsNoLargerThanTheDrawTrainAsBefore(sharedNegatives: Bool) throws {
        let sentences = topicCorpus(groups: 3, wordsPerGroup: 6, sentences: 60, length: 7, seed: 2)
        var plain = Self.configuration(samples: 0, sharedNegatives: sharedNegatives)
        plain.window = 3
        plain.shrinkWindow = false
        var sampled = plain
        sampled.contextSamples = 6
        let a = try Trainer(configuration: plain).train(corpus: InMemoryCorpus(sentences: sentences))
        let b = try Trainer(configuration: sampled).train(corpus: InMemoryCorpus(sentences: sentences))
        #expect(Self.vectors(a) == Self.vectors(b))
        // One fewer than the widest window draws, and the vectors differ.
        sampled.contextSamples = 5
        let c = try Trainer(configuration: sampled).train(corpus: InMemoryCorpus(sentences: sentences))
        #expect(Self.vectors(a) != Self.vectors(c))
    }

    /// Long histories from disjoint communities of items, trained with the whole history as window
    /// and a handful of context items per position: items still end up nearest their community's.
    @Test(arguments: [false, true])
    func fewDrawsFromTheWholeHistoryRecoverPlantedCommunities(sharedNegatives: Bool) throws {
        let sequences = ItemsTests.communities(5, items: 12, users: 200, length: 30...80, seed: 11)
        var configuration = TrainingConfiguration.items
        configuration.threads = 1
        configuration.dimension = 16
        configuration.epochs = 10
        configuration.contextSamples = 4
        configuration.sharedNegatives = sharedNegatives
        let model = try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: sequences))
        let index = model.similarityIndex()
        var same = 0, total = 0
        for item in index.words {
            for neighbour in try index.mostSimilar(positive: [item], top: 5) {
                total += 1
                if ItemsTests.community(neighbour.word) == ItemsTests.community(item) { same += 1 }
            }
        }
        #expect(Double(same) / Double(total) > 0.95, "\(same) of \(total) neighbours in the same community")
    }

    @Test func onlySkipGramSamplesItsContext() throws {
        var configuration = Self.configuration(samples: 4)
        configuration.architecture = .cbow
        #expect(throws: Word2VecError.self) { try configuration.validate() }
        do {
            try configuration.validate()
        } catch {
            #expect("\(error)".contains("contextSamples"), "\(error)")
        }
        configuration.contextSamples = -1
        configuration.architecture = .skipGram
        #expect(throws: Word2VecError.self) { try configuration.validate() }
    }

    @Test func theFlagIsCheckedAndKeptInTheModel() throws {
        let directory = TestDirectory()
        let input = directory.file("seq.txt", String(repeating: "a b c d e f g\nb c e a\n", count: 10))
        try CommandLineTests.expectFailure(
            ["items", "train", "--input", input, "--output", directory.path + "/v.txt", "--context-samples", "-2"],
            mentions: "--context-samples")
        try CommandLineTests.expectFailure(
            ["train", "--input", input, "--output", directory.path + "/v.txt", "--context-samples", "3"],
            mentions: "--context-samples")
        let model = directory.path + "/m.w2v"
        let run = try runWord2Vec(["items", "train", "--input", input, "--save-model", model, "--context-samples", "3",
                                   "--dim", "8", "--epochs", "1", "--threads", "1", "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try Model(contentsOf: model).configuration.contextSamples == 3)
        // The item defaults draw 20; CBOW, which draws nothing, is not refused for them.
        let cbow = try runWord2Vec(["items", "train", "--input", input, "--save-model", directory.path + "/c.w2v",
                                    "--model", "cbow", "--dim", "8", "--epochs", "1", "--threads", "1", "--quiet"])
        #expect(cbow.status == 0, "\(cbow.standardError)")
        #expect(try Model(contentsOf: directory.path + "/c.w2v").configuration.contextSamples == 0)
        #expect(TrainingConfiguration.items.contextSamples > 0)
    }
}
