import Foundation
import Synchronization
import Testing
import Word2Vec
import Word2VecPlotting
import Word2VecItems

/// Issue 12, library items: typed errors, gensim's verbs on `Embeddings` with shared unit rows, and
/// asynchronous, cancellable training.
@Suite
struct LibrarySurfaceTests {
    let directory = TestDirectory()

    // MARK: Typed errors

    /// Each invalid setting of every configuration type is named the Swift way, `Type.property`, and
    /// no library message mentions a command-line flag.
    @Test func configurationErrorsNameSettingsNotFlags() throws {
        var errors: [Word2VecError] = []
        func collect(_ body: () throws -> Void) {
            if let error = word2VecError(body) { errors.append(error) }
        }
        let bad: [(inout TrainingConfiguration) -> Void] = [
            { $0.dimension = 0 }, { $0.window = 0 }, { $0.loss = .negativeSampling(negatives: -1) }, { $0.loss = .hierarchicalSoftmaxAndNegativeSampling(negatives: 0) },
            { $0.sample = -1 }, { $0.minCount = 0 }, { $0.epochs = 0 }, { $0.threads = 0 }, { $0.maxSentenceLength = 0 },
            { $0.noiseExponent = .nan }, { $0.dbowWords = true }, { $0.learningRate = 2 }, { $0.minLearningRate = -1 },
        ]
        for change in bad {
            var configuration = TrainingConfiguration()
            change(&configuration)
            collect { try configuration.validate() }
        }
        var phrases = PhraseConfiguration()
        phrases.scoring = .npmi
        phrases.threshold = 5
        collect { try phrases.validate() }
        collect { try KMeansConfiguration(clusters: 0).validate(points: 10) }
        var tsne = TSNEConfiguration()
        tsne.perplexity = -1
        collect { try tsne.validate() }
        collect { try RecommendationSettings(top: 0).validate() }
        collect { _ = try Embeddings.load(path: directory.file("v.txt", "1 1\na 1\n"), limit: -1) }
        collect { try TextFileCorpus(path: directory.file("c.txt", "a b\n"), maxDistinctWords: 1).checkReadable() }

        #expect(errors.count == bad.count + 6)
        for error in errors {
            guard case let .invalidConfiguration(setting, _) = error else {
                Issue.record("not a configuration error: \(error)")
                continue
            }
            #expect(setting.contains("."), "\(setting)")
            #expect(!"\(error)".contains("--"), "\(error)")
        }
        #expect(errors.contains(.invalidConfiguration(
            setting: "TrainingConfiguration.loss.negatives", problem: "must be positive (got 0)")))
    }

    @Test func queriesThrowUnknownWordAndDimensionMismatch() throws {
        let vectors = try Embeddings.load(path: directory.file("v.txt", "2 2\na 1 0\nb 0 1\n"))
        #expect(throws: Word2VecError.unknownWord("zz")) { try vectors.mostSimilar(positive: ["zz"]) }
        #expect(throws: Word2VecError.unknownWord("zz")) { try vectors.doesntMatch(["a", "zz"]) }
        #expect(throws: Word2VecError.dimensionMismatch(expected: 2, actual: 3)) { try vectors.mostSimilar(to: [1, 2, 3]) }
        #expect(throws: Word2VecError.unknownWords(["x", "y"])) { try Projection.rows(for: ["a", "x", "y"], in: vectors) }
        #expect("\(Word2VecError.unknownWord("zz"))" == "word 'zz' is not in the vocabulary")
        #expect("\(Word2VecError.unknownWords(Array("abcdefg").map(String.init)))"
            == "words 'a', 'b', 'c', 'd', 'e' and 2 more are not in the vocabulary")
    }

    /// The command line names its flags where the library names settings, and picks the exit status
    /// by the kind of error: 1 for an unknown word, 64 for a bad setting.
    @Test func commandLineNamesFlagsAndExitsByKind() throws {
        let text = directory.file("text.txt", String(repeating: "a b c d e f\n", count: 20))
        let vectors = directory.file("v.txt", "3 2\na 1 0\nb 0 1\nc 1 1\n")
        let output = directory.path + "/out.txt"
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["train", "--input", text, "--output", output, "--negative", "0"]),
            status: 64, mentions: "--negative is 0 and --hs is off")
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["phrases", "--input", text, "--output", output, "--scoring", "npmi", "--threshold", "5"]),
            status: 64, mentions: "--threshold must be in [-1, 1] with --scoring npmi (got 5.0)")
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["classes", vectors, "--k", "0", "--output", output]),
            status: 64, mentions: "--k must be positive (got 0)")
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["similarity", vectors, "a", "nowhere"]),
            status: 1, mentions: "word 'nowhere' is not in the vocabulary")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    // MARK: Queries on Embeddings

    static let analogyText = "5 3\nman 1 0 0.1\nwoman 1 1 0.1\nking 2 0 1\nqueen 2 2 1\napple 0 0 -3\n"

    @Test func embeddingsAnswerAsTheIndexDoes() throws {
        let vectors = try Embeddings.load(path: directory.file("v.txt", Self.analogyText))
        let index = SimilarityIndex(vectors)
        #expect(try vectors.mostSimilar(positive: ["king", "woman"], negative: ["man"], top: 1).first?.word == "queen")
        #expect(try vectors.mostSimilar(positive: ["king"], top: 3)
            == index.mostSimilar(positive: ["king"], top: 3))
        #expect(try vectors.analogy("man", "king", "woman", method: .mul, top: 2)
            == index.analogy("man", "king", "woman", method: .mul, top: 2))
        #expect(try vectors.doesntMatch(["man", "woman", "king", "apple"]) == "apple")
        #expect(try vectors.nSimilarity(["man"], ["woman", "king"]) == index.nSimilarity(["man"], ["woman", "king"]))
        #expect(try vectors.meanVector(of: ["man", "queen"]) == index.meanVector(of: ["man", "queen"]))
        #expect(try vectors.vector(for: "king") == [2, 0, 1])
        #expect(throws: Word2VecError.unknownWord("nowhere")) { try vectors.vector(for: "nowhere") }
        #expect(vectors.index(of: "nowhere") == nil)
        #expect(try vectors.mostSimilar(to: [2, 2, 1], top: 1).first?.word == "queen")
    }

    /// Every index and query over the same embeddings (or copies of them, or their model) uses one
    /// matrix of unit rows, made once even when the first queries come from many threads at once.
    @Test func unitRowsAreMadeOnceAndShared() async throws {
        let vectors = try Embeddings.load(path: directory.file("v.txt", Self.analogyText))
        let seen = Mutex<Set<ObjectIdentifier>>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let copy = vectors
            let index = SimilarityIndex(copy)
            seen.withLock { _ = $0.insert(ObjectIdentifier(index.unit)) }
        }
        #expect(seen.withLock { $0.count } == 1)
        #expect(SimilarityIndex(vectors).unit === SimilarityIndex(vectors).unit)
        let other = try Embeddings.load(path: directory.file("w.txt", Self.analogyText))
        #expect(SimilarityIndex(other).unit !== SimilarityIndex(vectors).unit)

        let model = try await Trainer(configuration: Self.configuration(epochs: 1)).train(corpus: Self.corpus)
        let before = model.similarityIndex().unit
        #expect(SimilarityIndex(model.embeddings).unit === before)
        #expect(model.similarityIndex(limit: 3).unit.storage == before.storage)
        // Training in place changes the vectors: queries must not answer from the old unit rows.
        var configuration = Self.configuration(epochs: 2)
        configuration.threads = 1
        let stopped = try await Self.stopAfterFirstEpoch(configuration)
        let stale = stopped.similarityIndex().unit
        _ = try await Trainer(configuration: configuration).resume(stopped, corpus: Self.corpus)
        let fresh = stopped.similarityIndex()
        #expect(fresh.unit !== stale)
        let row = stopped.embeddings.vectors.row(0)
        let length = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(fresh.unit.row(0).enumerated().allSatisfy { abs($0.element - row[$0.offset] / length) < 1e-6 })
    }

    // MARK: Asynchronous training

    static let corpus = InMemoryCorpus(sentences: topicCorpus(groups: 4, wordsPerGroup: 10, sentences: 300, length: 12, seed: 7))

    static func configuration(epochs: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.dimension = 16
        configuration.minCount = 1
        configuration.sample = 0
        configuration.epochs = epochs
        configuration.threads = 2
        return configuration
    }

    static func stopAfterFirstEpoch(_ configuration: TrainingConfiguration) async throws -> Model {
        try await Trainer(configuration: configuration).train(corpus: corpus) { event in
            if case let .epochFinished(summary) = event, summary.epoch == 0 { return .stop }
            return .proceed
        }
    }

    /// A run stopped by its progress callback returns a model that records where it stopped, and
    /// resuming it gives, with one thread, exactly the model of an uninterrupted run.
    @Test func stoppedRunResumesToTheUninterruptedModel() async throws {
        var configuration = Self.configuration(epochs: 3)
        configuration.threads = 1
        let whole = try await Trainer(configuration: configuration).train(corpus: Self.corpus)
        let stopped = try await Self.stopAfterFirstEpoch(configuration)
        #expect(!stopped.state.isComplete)
        #expect(stopped.state.epoch == 1)
        // Saved and read back, it is a checkpoint like any other.
        let path = directory.path + "/stopped.model"
        try stopped.save(to: path)
        let loaded = try Model(contentsOf: path)
        #expect(loaded.state == stopped.state)
        let resumed = try await Trainer(configuration: configuration).resume(loaded, corpus: Self.corpus)
        #expect(resumed.state.isComplete)
        #expect(rows(of: resumed.embeddings) == rows(of: whole.embeddings))
    }

    /// Cancelling the task ends a long run early with `CancellationError`. The callback holds the
    /// run after its second epoch until the task is cancelled, so the test does not race the trainer.
    @Test func cancellationStopsTheRun() async throws {
        let epochs = 2_000
        let finished = Mutex<[Int]>([])
        let fractions = Mutex<[Double]>([])
        let reached = Mutex(false)
        let cancelled = Mutex(false)
        let run = Task {
            try await Trainer(configuration: Self.configuration(epochs: epochs)).train(corpus: Self.corpus) { event in
                switch event {
                case let .epochFinished(summary):
                    finished.withLock { $0.append(summary.epoch) }
                    if summary.epoch == 1 {
                        reached.withLock { $0 = true }
                        let deadline = Date().addingTimeInterval(60)
                        while !cancelled.withLock({ $0 }), Date() < deadline { usleep(1_000) }
                    }
                case let .progress(progress):
                    fractions.withLock { $0.append(progress.fraction) }
                }
                return .proceed
            }
        }
        while !reached.withLock({ $0 }) { try await Task.sleep(nanoseconds: 1_000_000) }
        run.cancel()
        cancelled.withLock { $0 = true }
        let outcome = await run.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        let epochsDone = finished.withLock { $0 }
        #expect(epochsDone.count >= 2 && epochsDone.count < epochs)
        #expect(epochsDone == Array(0..<epochsDone.count))
        let seen = fractions.withLock { $0 }
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 <= $1 } && seen.allSatisfy { (0...1).contains($0) })
    }

    /// The stream variant delivers every epoch in order, with progress that never goes back, and
    /// ends when the run does.
    @Test func eventStreamFollowsTheRun() async throws {
        let epochs = 3
        let (events, continuation) = AsyncStream.makeStream(of: TrainingEvent.self)
        let run = Task {
            try await Trainer(configuration: Self.configuration(epochs: epochs)).train(corpus: Self.corpus, events: continuation)
        }
        var finished: [Int] = []
        var fractions: [Double] = []
        for await event in events {
            switch event {
            case let .epochFinished(summary): finished.append(summary.epoch)
            case let .progress(progress): fractions.append(progress.fraction)
            }
        }
        let model = try await run.value
        #expect(model.state.isComplete)
        #expect(finished == Array(0..<epochs))
        #expect(zip(fractions, fractions.dropFirst()).allSatisfy { $0 <= $1 } && fractions.allSatisfy { (0...1).contains($0) })
    }

    /// A cancelled `resume` leaves the model a checkpoint of where it stopped, wherever that was: a
    /// further resume ends, with one thread, exactly where an uninterrupted run ends.
    @Test func cancelledResumeLeavesAResumableModel() async throws {
        var configuration = Self.configuration(epochs: 40)
        configuration.threads = 1
        let corpus = InMemoryCorpus(sentences: topicCorpus(groups: 4, wordsPerGroup: 50, sentences: 2000, length: 12, seed: 3))
        let trainer = Trainer(configuration: configuration)
        let whole = try await trainer.train(corpus: corpus)
        let stopped = try await trainer.train(corpus: corpus) { event in
            if case .epochFinished = event { return .stop }
            return .proceed
        }
        #expect(stopped.state.epoch == 1)
        // Wherever the cancellation lands (mid-epoch, between epochs, or after the end on a fast
        // machine), the model must go on to the same end.
        let run = Task { try await trainer.resume(stopped, corpus: corpus) }
        try await Task.sleep(for: .milliseconds(30))
        run.cancel()
        if case let .failure(error) = await run.result {
            #expect(error is CancellationError)
            #expect(!stopped.state.isComplete)
        }
        let finished = try await trainer.resume(stopped, corpus: corpus)
        #expect(finished.state.isComplete)
        #expect(rows(of: finished.embeddings) == rows(of: whole.embeddings))
    }

    @Test func alreadyCancelledTaskTrainsNothing() async throws {
        let run = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await Trainer(configuration: Self.configuration(epochs: 1)).train(corpus: Self.corpus)
        }
        let outcome = await run.result
        #expect(throws: CancellationError.self) { try outcome.get() }
    }

    /// Any sequence of token sequences makes a corpus, counted as the arrays it holds would be.
    @Test func corpusFromAnySequence() throws {
        let lines = ["a b c", "b c", "", "c"]
        let corpus = InMemoryCorpus(lines.lazy.map { $0.split(separator: " ") })
        #expect(corpus.sentences == [["a", "b", "c"], ["b", "c"], [], ["c"]])
        let vocabulary = Vocabulary(counts: try corpus.countWords(), minCount: 1)
        #expect(vocabulary.words == ["c", "b", "a"])
        #expect(vocabulary.counts == [3, 2, 1])
    }
}
