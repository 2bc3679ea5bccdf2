import Foundation
import Synchronization
import Testing
import Word2Vec

/// The one training pipeline: outputs claimed first, vocabulary and warnings, training, files
/// written whole or not at all.
@Suite
struct TrainingSessionTests {
    let directory = TestDirectory()

    static var configuration: TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.threads = 1
        configuration.dimension = 8
        configuration.epochs = 2
        configuration.minCount = 1
        return configuration
    }

    static let text = topicCorpus(groups: 3, wordsPerGroup: 6, sentences: 300, length: 8, seed: 5)
        .map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n"

    /// Counts and trains as `TextFileCorpus`, records whether it was read, and fails while training
    /// when told to.
    final class RecordingCorpus: TrainingCorpus {
        let base: TextFileCorpus
        let failsInTraining: Bool
        let counted = Atomic<Bool>(false)
        var name: String { base.name }

        init(_ path: String, failsInTraining: Bool = false) {
            base = TextFileCorpus(path: path)
            self.failsInTraining = failsInTraining
        }

        func countWords() throws -> WordCounts {
            counted.store(true, ordering: .relaxed)
            return try base.countWords()
        }

        func forEachSentence(
            part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
            _ body: (UnsafeBufferPointer<Int32>) throws -> Void
        ) throws {
            if failsInTraining { throw Word2VecError.unreadableFile(name, reason: "gone") }
            try base.forEachSentence(part: part, of: parts, vocabulary: vocabulary, maxLength: maxLength, body)
        }
    }

    /// The files of `directory` whose names start with a dot: an atomic writer's temporary files.
    func temporaryFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
    }

    @Test func writesWhatTheTrainerTrains() throws {
        let input = directory.file("text.txt", Self.text)
        var session = TrainingSession(.new(Self.configuration))
        session.outputs.model = directory.path + "/s.model"
        session.outputs.wordVectors = .init(path: directory.path + "/s.vec", format: .text)
        session.outputs.vocabulary = directory.path + "/s.vocab"
        let events = Mutex<[String]>([])
        let outcome = try session.run(on: TextFileCorpus(path: input)) { event in
            let name: String
            switch event {
            case .started: name = "started"
            case .counted: name = "counted"
            case .training: return
            case .trained: name = "trained"
            case let .wrote(path): name = "wrote " + URL(fileURLWithPath: path).lastPathComponent
            }
            events.withLock { $0.append(name) }
        }
        #expect(events.withLock { $0 } == ["started", "counted", "trained", "wrote s.model", "wrote s.vec"])
        #expect(outcome.warnings.isEmpty)

        let reference = try Trainer(configuration: Self.configuration).train(corpus: TextFileCorpus(path: input))
        let model = try #require(outcome.model)
        #expect(model.input.row(0) == reference.input.row(0))
        #expect(model.weightsFingerprint == reference.weightsFingerprint)
        try reference.embeddings.write(to: directory.path + "/r.vec", format: .text)
        #expect(FileManager.default.contentsEqual(atPath: directory.path + "/s.vec", andPath: directory.path + "/r.vec"))
        #expect(try Model(contentsOf: directory.path + "/s.model").weightsFingerprint == reference.weightsFingerprint)
        #expect(try Vocabulary.read(from: directory.path + "/s.vocab").words == reference.vocabulary.words)
    }

    /// The warnings come as values: in the outcome, and with the vocabulary before training starts.
    @Test func warningsAreValues() throws {
        let input = directory.file("lines.txt", (0..<200).map { "w\($0 % 7)\n" }.joined())
        var session = TrainingSession(.new(Self.configuration))
        session.outputs.wordVectors = .init(path: directory.path + "/v.vec", format: .text)
        let early = Mutex<[TrainingWarning]>([])
        let outcome = try session.run(on: TextFileCorpus(path: input)) { event in
            if case let .counted(_, counts, warnings) = event {
                #expect(counts?.sentenceCount == 200)
                early.withLock { $0 = warnings }
            }
        }
        #expect(outcome.warnings == [.singleWordLines(source: input, percent: "100%")])
        #expect(early.withLock { $0 } == outcome.warnings)
        #expect(outcome.warnings[0].isAboutTheText)
        #expect(!"\(outcome.warnings[0])".contains("--"))

        var documents = Self.configuration
        documents.documentMode = .dbow
        var dbow = TrainingSession(.new(documents))
        dbow.outputs.wordVectors = .init(path: directory.path + "/w.vec", format: .text)
        let docs = directory.file("docs.txt", "a\ta b c a b\nb\t\nc\tb c a\n")
        let result = try dbow.run(on: DocumentFileCorpus(path: docs))
        #expect(result.warnings == [.tagsWithoutWords(count: 1), .untrainedWordVectors])
    }

    @Test func aFailedRunLeavesNoOutput() throws {
        let input = directory.file("text.txt", Self.text)
        var session = TrainingSession(.new(Self.configuration))
        let model = directory.path + "/m.model", vectors = directory.path + "/m.vec"
        session.outputs.model = model
        session.outputs.wordVectors = .init(path: vectors, format: .binary)
        session.checkpointInterval = 3600
        #expect(throws: Word2VecError.unreadableFile(input, reason: "gone")) {
            try session.run(on: RecordingCorpus(input, failsInTraining: true))
        }
        #expect(!FileManager.default.fileExists(atPath: model))
        #expect(!FileManager.default.fileExists(atPath: vectors))
        #expect(try temporaryFiles().isEmpty)
    }

    /// An output that cannot be written fails before the corpus is read, and before anything is said.
    @Test func anUnwritableOutputFailsFirst() throws {
        let input = directory.file("text.txt", Self.text)
        var session = TrainingSession(.new(Self.configuration))
        session.outputs.model = directory.path + "/m.model"
        session.outputs.wordVectors = .init(path: directory.path + "/missing/v.vec", format: .text)
        let corpus = RecordingCorpus(input)
        let told = Atomic<Bool>(false)
        #expect(throws: Word2VecError.self) {
            try session.run(on: corpus) { _ in told.store(true, ordering: .relaxed) }
        }
        let (counted, wasTold) = (corpus.counted.load(ordering: .relaxed), told.load(ordering: .relaxed))
        #expect(!counted)
        #expect(!wasTold)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/m.model"))

        session.outputs.wordVectors = nil
        session.checkpointInterval = 0
        #expect(throws: Word2VecError.self) { try session.run(on: corpus) }
        let countedLater = corpus.counted.load(ordering: .relaxed)
        #expect(!countedLater)
    }

    @Test func aVocabularyAloneTrainsNothing() throws {
        let input = directory.file("text.txt", Self.text)
        var session = TrainingSession(.new(Self.configuration))
        session.outputs.vocabulary = directory.path + "/only.vocab"
        let outcome = try session.run(on: TextFileCorpus(path: input))
        #expect(outcome.model == nil)
        #expect(try Vocabulary.read(from: directory.path + "/only.vocab").count == 18)
    }

    /// `resume` and `update` go through the same steps and end where `Trainer`'s do.
    @Test func resumeAndUpdateAreSessionsToo() throws {
        let input = directory.file("text.txt", Self.text)
        let more = directory.file("more.txt", "g0w1 g0w2 fresh fresh fresh\n" + Self.text)
        let base = directory.path + "/base.model"
        try Trainer(configuration: Self.configuration).train(corpus: TextFileCorpus(path: input)).save(to: base)

        var update = TrainingSession(.update(try Model(contentsOf: base), epochs: 1))
        update.outputs.model = directory.path + "/updated.model"
        let updated = try #require(try update.run(on: TextFileCorpus(path: more)).model)
        let reference = try Trainer(configuration: Self.configuration).update(
            try Model(contentsOf: base), corpus: TextFileCorpus(path: more), epochs: 1)
        #expect(updated.vocabulary.index(of: "fresh") != nil)
        #expect(updated.weightsFingerprint == reference.weightsFingerprint)
        #expect(try Model(contentsOf: directory.path + "/updated.model").weightsFingerprint == reference.weightsFingerprint)

        // A complete run resumes to itself, saved again.
        var resume = TrainingSession(.resume(try Model(contentsOf: base)))
        resume.outputs.model = directory.path + "/resumed.model"
        let resumed = try #require(try resume.run(on: TextFileCorpus(path: input)).model)
        #expect(resumed.state.isComplete)
        #expect(try Model(contentsOf: directory.path + "/resumed.model").weightsFingerprint
                == Model(contentsOf: base).weightsFingerprint)
    }
}
