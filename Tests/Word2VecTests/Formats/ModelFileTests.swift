import Foundation
import Synchronization
import Testing
import Word2Vec

/// A small model trained in-process: both objectives, so that every section is present.
func smallModel(seed: UInt64 = 3, hs: Bool = true, negative: Int = 3, epochs: Int = 2) throws -> Model {
    var configuration = TrainingConfiguration()
    configuration.dimension = 12
    configuration.minCount = 2
    configuration.threads = 1
    configuration.seed = seed
    configuration.epochs = epochs
    configuration.loss = TrainingConfiguration.Loss(hierarchicalSoftmax: hs, negatives: negative)!
    var sentences = topicCorpus(groups: 4, wordsPerGroup: 10, sentences: 300, length: 8, seed: seed)
    sentences.append(["once", "rarely"])
    return try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: sentences))
}

func rows(_ matrix: Matrix?) -> [Float] {
    guard let matrix else { return [] }
    return Array(UnsafeBufferPointer(start: matrix.storage, count: matrix.rows * matrix.columns))
}

@Suite struct ModelFileTests {
    @Test func savedModelLoadsWithEverything() throws {
        let model = try smallModel()
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("m.w2v").path
        try model.save(to: path)
        #expect(Model.isModelFile(atPath: path))
        let loaded = try Model(contentsOf: path)
        #expect(loaded.configuration == model.configuration)
        #expect(loaded.state == model.state)
        #expect(loaded.state.isComplete)
        #expect(loaded.vocabulary.words == model.vocabulary.words)
        #expect(loaded.vocabulary.counts == model.vocabulary.counts)
        #expect(loaded.rareWords == model.rareWords)
        #expect(loaded.rareWords.entries.map(\.word).sorted() == ["once", "rarely"])
        #expect(rows(loaded.input) == rows(model.input))
        #expect(rows(loaded.output(.hierarchicalSoftmax)) == rows(model.output(.hierarchicalSoftmax)))
        #expect(rows(loaded.output(.negativeSampling)) == rows(model.output(.negativeSampling)))
        for word in model.vocabulary.words.prefix(5) {
            #expect(loaded.vocabulary.index(of: word) == model.vocabulary.index(of: word))
        }
    }

    @Test func queriesOnAModelEqualQueriesOnItsVectors() throws {
        let model = try smallModel()
        let directory = try temporaryDirectory()
        let modelPath = directory.appendingPathComponent("m.w2v").path
        let binaryPath = directory.appendingPathComponent("v.bin").path
        try model.save(to: modelPath)
        try model.embeddings.write(to: binaryPath, format: .binary)
        let fromModel = try Model(contentsOf: modelPath).similarityIndex()
        let fromVectors = SimilarityIndex(try Embeddings.load(path: binaryPath))
        for word in model.vocabulary.words.prefix(8) {
            #expect(try fromModel.mostSimilar(positive: [word], top: 5) == fromVectors.mostSimilar(positive: [word], top: 5))
        }
        let (a, b, c) = (model.vocabulary.words[0], model.vocabulary.words[1], model.vocabulary.words[2])
        #expect(try fromModel.analogy(a, b, c) == fromVectors.analogy(a, b, c))
        // The generic loader detects the model file too, and --limit keeps the most frequent words.
        let limited = try Embeddings.load(path: modelPath, limit: 5)
        #expect(limited.words == Array(model.vocabulary.words.prefix(5)))
        #expect(try limited.vector(for: a) == model.embeddings.vector(for: a))
    }

    @Test func damagedFilesGetOneLineErrors() throws {
        let model = try smallModel()
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("m.w2v").path
        try model.save(to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        func error(for bytes: Data) throws -> String {
            let damaged = directory.appendingPathComponent("damaged.w2v")
            try bytes.write(to: damaged)
            do {
                _ = try Model(contentsOf: damaged.path)
                return "loaded"
            } catch let error as Word2VecError {
                let message = "\(error)"
                #expect(!message.contains("\n"))
                #expect(message.contains(damaged.path))
                return message
            }
        }
        #expect(try error(for: good.prefix(good.count - 100)).contains("truncated"))
        #expect(try error(for: good.prefix(40)).contains("truncated"))
        #expect(try error(for: good + Data([0])).contains("unexpected bytes"))
        var flipped = good
        flipped[good.count - 5000] ^= 0x10
        #expect(try error(for: flipped).contains("checksum mismatch"))
        var future = good
        future[8] = 2
        #expect(try error(for: future).contains("newer than this build"))
        #expect(try error(for: Data("2 3\nthe 1 2 3\nof 4 5 6\n".utf8)).contains("no W2VMODEL magic"))
        // A vectors file that merely starts like a model is still reported as a model problem.
        #expect(try error(for: Data("W2VMODEL".utf8) + Data(repeating: 0, count: 100)).contains("model file"))
    }

    /// Stored unit rows of another length, under valid checksums, gave cosines of `inf` and empty
    /// answers with exit status 0: they are refused when the file is opened.
    @Test func unitRowsOfAnotherLengthAreRefused() throws {
        let directory = try temporaryDirectory()
        let saved = directory.appendingPathComponent("good.w2v").path
        try smallModel(epochs: 1).save(to: saved, unitVectors: true)
        let framed = ModelFileSpec.sectionsAsText(Array(try Data(contentsOf: URL(fileURLWithPath: saved))))
        for factor: Float in [1e30, 2, 0.5] {
            let damaged = directory.appendingPathComponent("scaled.w2v").path
            try Data(ModelFileSpec.seal(ModelFileSpec.replacingSection("UNIT", in: framed) { content in
                var values = content.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                for i in 12..<24 { values[i] *= factor }  // the second row
                return values.withUnsafeBytes { Array($0) }
            })).write(to: URL(fileURLWithPath: damaged))
            for mode in [Model.LoadingMode.queries, .everything] {
                let error = word2VecError { _ = try Model(contentsOf: damaged, for: mode) }
                #expect(error.map { "\($0)".contains("UNIT row 1") } == true, "\(String(describing: error))")
            }
            let result = try runWord2Vec(["similar", damaged, "--top", "3"], input: "\(try Model(contentsOf: saved).vocabulary.words[1])\n")
            #expect(result.status == 65 && result.standardError.contains("UNIT row 1"), "\(result.standardError)")
        }
        // The file as written loads.
        _ = try Model(contentsOf: saved, for: .queries)
    }

    /// A model file written by version 1 of the format (Tests/Fixtures, made by `word2vec train
    /// --save-model` when the format was introduced) must load in every later build, with the vectors
    /// that the same run wrote as text.
    @Test func formatVersion1StillLoads() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures")
        let model = try Model(contentsOf: fixtures.appendingPathComponent("model-v1.w2v").path)
        let text = try Embeddings.load(path: fixtures.appendingPathComponent("model-v1.txt").path)
        #expect(model.vocabulary.words == text.words)
        #expect(model.configuration.dimension == 8)
        #expect(model.configuration.loss == .hierarchicalSoftmaxAndNegativeSampling(negatives: 2))
        #expect(model.configuration.seed == 7 && model.configuration.minCount == 2)
        #expect(model.state.isComplete && model.state.epochs == 3)
        #expect(model.vocabulary.words.contains("東京") && model.vocabulary.words.contains("größe"))
        #expect(model.rareWords.count == 8 && model.rareWords.counts.allSatisfy { $0 == 1 })
        for word in text.words {
            let stored = try model.embeddings.vector(for: word)
            let written = try text.vector(for: word)
            #expect(zip(stored, written).allSatisfy { abs($0 - $1) <= 1e-6 })
        }
    }

    @Test func modelsMadeFromVectorsAnswerQueriesButDoNotTrain() throws {
        let model = try smallModel()
        let query = Model(embeddings: model.embeddings)
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("q.w2v").path
        try query.save(to: path)
        let loaded = try Model(contentsOf: path)
        #expect(!loaded.isTrainable)
        #expect(loaded.vocabulary.words == model.vocabulary.words)
        #expect(rows(loaded.input) == rows(model.input))
        #expect(throws: Word2VecError.self) {
            _ = try Trainer(configuration: loaded.configuration).update(loaded, corpus: InMemoryCorpus(sentences: [["a", "b"]]))
        }
    }
}

@Suite struct CheckpointTests {
    static func corpus() -> InMemoryCorpus {
        InMemoryCorpus(sentences: topicCorpus(groups: 5, wordsPerGroup: 40, sentences: 6000, length: 12, seed: 11))
    }

    static var configuration: TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.architecture = .skipGram
        configuration.dimension = 16
        configuration.threads = 1
        configuration.seed = 5
        configuration.epochs = 3
        configuration.loss = .hierarchicalSoftmaxAndNegativeSampling(negatives: configuration.negatives)
        return configuration
    }

    /// Every checkpoint a run writes is a state a SIGKILL could leave: resuming from each must end
    /// exactly where the uninterrupted run ends.
    @Test func resumingFromAnyCheckpointMatchesAnUninterruptedRun() throws {
        let corpus = Self.corpus()
        let reference = try Trainer(configuration: Self.configuration).train(corpus: corpus)
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("ck.w2v").path
        // Copy the checkpoint whenever it changes; progress events come from the worker thread.
        final class Snapshots: @unchecked Sendable {
            var copies: [Data] = []
            var last: Data?
        }
        let snapshots = Snapshots()
        let trained = try Trainer(configuration: Self.configuration).train(
            corpus: corpus,
            progress: { _ in
                guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)), data != snapshots.last else { return }
                snapshots.last = data
                snapshots.copies.append(data)
            },
            checkpoint: Checkpointing(path: path, interval: 0.01))
        #expect(rows(trained.input) == rows(reference.input))
        #expect(snapshots.copies.count >= 2)
        var midEpoch = 0
        for (i, copy) in snapshots.copies.enumerated() {
            let copyPath = directory.appendingPathComponent("copy\(i).w2v").path
            try copy.write(to: URL(fileURLWithPath: copyPath))
            let checkpoint = try Model(contentsOf: copyPath)
            #expect(!checkpoint.state.isComplete)
            if checkpoint.state.processedWords % checkpoint.state.wordsPerEpoch != 0 { midEpoch += 1 }
            let resumed = try Trainer(configuration: TrainingConfiguration()).resume(checkpoint, corpus: corpus)
            #expect(resumed.state.isComplete)
            #expect(rows(resumed.input) == rows(reference.input))
            #expect(rows(resumed.output(.hierarchicalSoftmax)) == rows(reference.output(.hierarchicalSoftmax)))
            #expect(rows(resumed.output(.negativeSampling)) == rows(reference.output(.negativeSampling)))
        }
        #expect(midEpoch >= 1)
    }

    /// The command line: SIGKILL at a random moment after the first checkpoint, then `--resume`,
    /// gives the bytes of an uninterrupted run.
    @Test func killedRunResumesToIdenticalVectors() throws {
        let directory = try temporaryDirectory()
        let text = directory.appendingPathComponent("text.txt")
        let lines = topicCorpus(groups: 6, wordsPerGroup: 60, sentences: 60_000, length: 12, seed: 21)
        try writeFile(text, lines.map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n")
        let options = ["--input", text.path, "--model", "skipgram", "--threads", "1", "--epochs", "2", "--dim", "24",
                       "--binary", "--quiet", "--seed", "9"]
        let reference = directory.appendingPathComponent("reference.bin").path
        #expect(try runWord2Vec(["train"] + options + ["--output", reference]).status == 0)

        let checkpoint = directory.appendingPathComponent("ck.w2v").path
        let executable = try #require(word2vecExecutable())
        let process = Process()
        process.executableURL = executable
        process.arguments = ["train"] + options + ["--output", directory.appendingPathComponent("never.bin").path,
                                                   "--save-model", checkpoint, "--checkpoint-every", "0.1"]
        try process.run()
        var random = TestRandom(seed: UInt64(Date().timeIntervalSince1970))
        while !FileManager.default.fileExists(atPath: checkpoint) && process.isRunning { usleep(2_000) }
        usleep(UInt32.random(in: 0...400_000, using: &random))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try #require(FileManager.default.fileExists(atPath: checkpoint), "the run ended before its first checkpoint")

        let resumed = directory.appendingPathComponent("resumed.bin").path
        let result = try runWord2Vec(["train", "--resume", checkpoint, "--output", resumed, "--binary", "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: resumed)) == Data(contentsOf: URL(fileURLWithPath: reference)))
        #expect(try Model(contentsOf: checkpoint).state.isComplete)
    }

    @Test func resumeRefusesADifferentText() throws {
        let directory = try temporaryDirectory()
        let text = directory.appendingPathComponent("text.txt")
        let lines = topicCorpus(groups: 3, wordsPerGroup: 20, sentences: 20_000, length: 10, seed: 8)
        try writeFile(text, lines.map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n")
        let path = directory.appendingPathComponent("ck.w2v").path
        let finished = try Trainer(configuration: Self.configuration).train(
            corpus: TextFileCorpus(path: text.path), checkpoint: Checkpointing(path: path, interval: 0.001))
        #expect(finished.state.isComplete)
        // The library leaves the last checkpoint (an unfinished state) at the path.
        let checkpoint = try Model(contentsOf: path)
        #expect(!checkpoint.state.isComplete)
        #expect(checkpoint.state.corpusName == text.path)
        let size = try #require(FileManager.default.attributesOfItem(atPath: text.path)[.size] as? Int)
        #expect(checkpoint.state.corpusBytes == size)
        try writeFile(text, "a different text\n")
        #expect(throws: Word2VecError.self) {
            _ = try Trainer(configuration: Self.configuration).resume(checkpoint, corpus: TextFileCorpus(path: text.path))
        }
        let result = try runWord2Vec(["train", "--resume", path, "--quiet"])
        #expect(result.status == 64 && result.standardError.contains("bytes"))
    }

    /// A resumed run takes its settings from the model: a training option given with --resume
    /// would be ignored, so it is refused by name; standard input cannot be resumed from.
    @Test func resumeRefusesTrainingOptionsAndStandardInput() throws {
        let directory = try temporaryDirectory()
        let text = directory.appendingPathComponent("text.txt")
        try writeFile(text, String(repeating: "a b c d e f\n", count: 50))
        let model = directory.appendingPathComponent("m.w2v").path
        #expect(try runWord2Vec(["train", "--input", text.path, "--save-model", model, "--min-count", "1", "--dim", "4",
                                 "--epochs", "1", "--quiet"]).status == 0)
        for flags in [["--epochs", "10"], ["--dim=300"], ["--vector-size", "300"], ["--no-shrink-window"], ["-iter", "3"],
                      ["--save-vocab", directory.appendingPathComponent("v.txt").path]] {
            let result = try runWord2Vec(["train", "--resume", model, "--quiet"] + flags)
            let flag = ["--vector-size": "--dim", "-iter": "--epochs"][flags[0]] ?? String(flags[0].prefix { $0 != "=" })
            #expect(result.status == 64, "\(flags): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1)
            #expect(result.standardError.contains("\(flag) cannot be used with --resume"), "\(result.standardError)")
        }
        let documents = try runWord2Vec(["doc2vec", "train", "--resume", model, "--mode", "dm-mean"])
        #expect(documents.status == 64 && documents.standardError.contains("--mode cannot be used with --resume"))
        // What a resumed run may change: where it writes, its output format, --quiet.
        let vectors = directory.appendingPathComponent("v.bin").path
        let allowed = try runWord2Vec(["train", "--resume", model, "--output", vectors, "--binary", "--quiet"])
        #expect(allowed.status == 0, "\(allowed.standardError)")
        let piped = try runWord2Vec(["train", "--resume", model, "--input", "-", "--quiet"], input: "a b c\n")
        #expect(piped.status == 64)
        #expect(piped.standardError.contains("needs the same text as a file: --input FILE"), "\(piped.standardError)")
    }

    /// Words per second after a resume count the words this process trained, not those done before
    /// the checkpoint (which made a resumed run look several times faster than it was).
    @Test func resumedSpeedCountsOnlyTheWordsTrainedNow() throws {
        let directory = try temporaryDirectory()
        let text = directory.appendingPathComponent("text.txt")
        let lines = topicCorpus(groups: 3, wordsPerGroup: 20, sentences: 20_000, length: 10, seed: 8)
        try writeFile(text, lines.map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n")
        let path = directory.appendingPathComponent("ck.w2v").path
        _ = try Trainer(configuration: Self.configuration).train(
            corpus: TextFileCorpus(path: text.path), checkpoint: Checkpointing(path: path, interval: 0.001))
        let checkpoint = try Model(contentsOf: path)
        let before = checkpoint.state.processedWords
        try #require(!checkpoint.state.isComplete && before > 0)
        let summaries = Mutex<[EpochSummary]>([])
        let progress = Mutex<[TrainingProgress]>([])
        let resumed = try Trainer(configuration: Self.configuration).resume(
            checkpoint, corpus: TextFileCorpus(path: text.path),
            progress: { event in
                switch event {
                case .epochFinished(let summary): summaries.withLock { $0.append(summary) }
                case .progress(let report): progress.withLock { $0.append(report) }
                }
            })
        let trainedNow = Double(resumed.state.processedWords - before)
        let last = try #require(summaries.withLock { $0.last })
        let counted = last.wordsPerSecond * last.elapsedSeconds
        #expect(abs(counted - trainedNow) <= trainedNow * 0.01 + 1, "counted \(counted), trained \(trainedNow), before \(before)")
        for report in progress.withLock({ $0 }) {
            #expect(report.wordsPerSecond * report.elapsedSeconds <= trainedNow * 1.01 + 1)
        }
    }
}

@Suite struct UpdateTests {
    static var configuration: TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.dimension = 16
        configuration.minCount = 5
        configuration.threads = 1
        configuration.epochs = 3
        return configuration
    }

    @Test func updateMergesCountsLikeCountingEverything() throws {
        var first = topicCorpus(groups: 3, wordsPerGroup: 10, sentences: 400, length: 8, seed: 1)
        var second = topicCorpus(groups: 3, wordsPerGroup: 10, sentences: 400, length: 8, seed: 2)
        // 3 + 2 occurrences: below min-count in each batch, at it together.
        first += [["split", "split", "split"], ["onlyfirst"]]
        second += [["split", "split"], ["brand", "new", "brand", "new", "brand", "new", "brand", "new", "brand", "new"]]
        let trainer = Trainer(configuration: Self.configuration)
        let old = try trainer.train(corpus: InMemoryCorpus(sentences: first))
        #expect(old.vocabulary.index(of: "split") == nil)
        let updated = try trainer.update(old, corpus: InMemoryCorpus(sentences: second))
        let scratch = try trainer.buildVocabulary(from: InMemoryCorpus(sentences: first + second))
        #expect(updated.vocabulary.words == scratch.words)
        #expect(updated.vocabulary.counts == scratch.counts)
        #expect(updated.vocabulary.index(of: "split") != nil)
        #expect(updated.vocabulary.index(of: "brand") != nil)
        #expect(updated.rareWords.entries.map(\.word) == ["onlyfirst"])
        #expect(updated.state.generation == 2 && updated.state.isComplete)
        // The old model is untouched.
        #expect(old.vocabulary.index(of: "split") == nil)
    }

    @Test func oldWordsKeepTheirVectors() throws {
        let first = topicCorpus(groups: 3, wordsPerGroup: 10, sentences: 400, length: 8, seed: 3)
        let second = [["fresh", "words", "only"], ["fresh", "words", "only"], ["fresh", "words", "only"],
                      ["fresh", "words", "only"], ["fresh", "words", "only"]]
        let trainer = Trainer(configuration: Self.configuration)
        let old = try trainer.train(corpus: InMemoryCorpus(sentences: first))
        // With a negligible learning rate the update changes nothing but adds the new words.
        let updated = try trainer.update(old, corpus: InMemoryCorpus(sentences: second), epochs: 1, learningRate: 1e-12)
        for word in old.vocabulary.words {
            #expect(try updated.embeddings.vector(for: word) == old.embeddings.vector(for: word))
        }
        let fresh = try updated.embeddings.vector(for: "fresh")
        #expect(fresh.allSatisfy { abs($0) <= 1 / 16 } && fresh.contains { $0 != 0 })
        #expect(try updated.embeddings.vector(for: "words") != fresh)
    }

    @Test func updateLearnsTheNewText() throws {
        // Batch two brings a new topic; after the update its words are each other's neighbours.
        let first = topicCorpus(groups: 3, wordsPerGroup: 10, sentences: 1500, length: 10, seed: 4)
        let second = topicCorpus(groups: 4, wordsPerGroup: 10, sentences: 1500, length: 10, seed: 5)
            .map { $0.map { $0.hasPrefix("g3") ? "new" + $0 : $0 } }
        let trainer = Trainer(configuration: Self.configuration)
        let updated = try trainer.update(try trainer.train(corpus: InMemoryCorpus(sentences: first)),
                                         corpus: InMemoryCorpus(sentences: second))
        let index = updated.similarityIndex()
        let neighbours = try index.mostSimilar(positive: ["newg3w0"], top: 5)
        #expect(neighbours.allSatisfy { $0.word.hasPrefix("newg3") })
        let old = try index.mostSimilar(positive: ["g0w0"], top: 5)
        #expect(old.allSatisfy { $0.word.hasPrefix("g0") })
    }

    @Test func updateCommandWritesAModel() throws {
        let directory = try temporaryDirectory()
        let first = directory.appendingPathComponent("a.txt")
        let second = directory.appendingPathComponent("b.txt")
        try writeFile(first, String(repeating: "a b c d e f\n", count: 200))
        try writeFile(second, String(repeating: "a b g h\n", count: 200))
        let model = directory.appendingPathComponent("a.w2v").path
        let updated = directory.appendingPathComponent("ab.w2v").path
        let vectors = directory.appendingPathComponent("ab.txt").path
        #expect(try runWord2Vec(["train", "--input", first.path, "--save-model", model, "--quiet", "--min-count", "1"]).status == 0)
        let result = try runWord2Vec(["update", "--model", model, "--input", second.path, "--output", updated,
                                      "--vectors", vectors])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("6 -> 8 words (2 new)"))
        #expect(try Model(contentsOf: updated).vocabulary.count == 8)
        #expect(try Embeddings.load(path: vectors).count == 8)
        let missing = try runWord2Vec(["update", "--model", model, "--input", directory.appendingPathComponent("none").path,
                                       "--output", updated])
        #expect(missing.status == 66 && missing.standardError.hasPrefix("word2vec: error:"))
    }
}

@Suite struct ModelQueryCommandTests {
    /// Every command that reads vectors gives the same answers on the model file as on the binary
    /// vectors written by the same run.
    @Test func queryCommandsAcceptModelFiles() throws {
        let directory = try temporaryDirectory()
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let lines = topicCorpus(groups: 4, wordsPerGroup: 12, sentences: 2000, length: 10, seed: 17)
        try writeFile(directory.appendingPathComponent("t.txt"), lines.map { $0.joined(separator: " ") }.joined(separator: "\n"))
        try writeFile(directory.appendingPathComponent("q.txt"), ": topics\ng0w0 g0w1 g1w0 g1w1\ng0w2 g0w3 g2w2 g2w3\n")
        try writeFile(directory.appendingPathComponent("p.tsv"), "g0w0\tg0w1\t9\ng0w0\tg1w0\t1\ng2w3\tg2w5\t8\n")
        let trained = try runWord2Vec(["train", "--input", path("t.txt"), "--output", path("v.bin"), "--binary",
                                       "--save-model", path("m.w2v"), "--threads", "1", "--quiet", "--dim", "16"])
        #expect(trained.status == 0, "\(trained.standardError)")
        let frequent = try Embeddings.load(path: path("v.bin")).words[3]
        let commands: [[String]] = [
            ["similar", "FILE", "g0w0", "g1w1", "--negative", "g2w2", "--top", "5"],
            ["similar", "FILE", frequent, "--limit", "20"],
            ["analogy", "FILE", "g0w0", "g0w1", "g1w0", "--method", "mul"],
            ["evaluate", "analogies", "FILE", path("q.txt"), "--json"],
            ["evaluate", "similarity", "FILE", path("p.tsv"), "--json"],
            ["classes", "FILE", "--k", "4", "--output", "OUT", "--quiet", "--threads", "1"],
        ]
        for command in commands {
            var outputs: [String] = []
            for file in ["v.bin", "m.w2v"] {
                let arguments = command.map { $0 == "FILE" ? path(file) : $0 == "OUT" ? path(file + ".classes") : $0 }
                let result = try runWord2Vec(arguments)
                #expect(result.status == 0, "\(command): \(result.standardError)")
                outputs.append(result.standardOutput.replacingOccurrences(of: path(file), with: "FILE"))
            }
            #expect(outputs[0] == outputs[1], "\(command)")
            #expect(!outputs[0].isEmpty || command[0] == "classes")
        }
        let classes = try ["v.bin", "m.w2v"].map { try String(contentsOfFile: path($0 + ".classes"), encoding: .utf8) }
        #expect(classes[0] == classes[1] && !classes[0].isEmpty)
    }
}

@Suite struct ConvertTests {
    @Test func conversionsRoundTrip() throws {
        let model = try smallModel()
        let directory = try temporaryDirectory()
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        try model.save(to: path("m.w2v"))
        for (target, output) in [("binary", "v.bin"), ("text", "v.txt"), ("npy", "npy"), ("projector", "projector")] {
            let result = try runWord2Vec(["convert", path("m.w2v"), "--to", target, "--output", path(output)])
            #expect(result.status == 0, "\(result.standardError)")
        }
        #expect(try runWord2Vec(["convert", path("v.bin"), "--to", "model", "--output", path("back.w2v")]).status == 0)
        let back = try Model(contentsOf: path("back.w2v"))
        #expect(back.vocabulary.words == model.vocabulary.words)
        #expect(rows(back.input) == rows(model.input))
        #expect(try runWord2Vec(["convert", path("back.w2v"), "--to", "binary", "--output", path("again.bin")]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("again.bin"))) == Data(contentsOf: URL(fileURLWithPath: path("v.bin"))))
        // npy: header, shape and the raw rows; vocab.txt with counts.
        let npy = try Data(contentsOf: URL(fileURLWithPath: path("npy/vectors.npy")))
        #expect(npy.prefix(6) == Data([0x93] + Array("NUMPY".utf8)))
        let headerLength = Int(npy[8]) | Int(npy[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: npy[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'shape': (\(model.vocabulary.count), 12)") && header.contains("'<f4'"))
        let values = npy[(10 + headerLength)...].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(values == rows(model.input))
        let vocabulary = try String(contentsOfFile: path("npy/vocab.txt"), encoding: .utf8)
        #expect(vocabulary.hasPrefix("\(model.vocabulary.words[0])\t\(model.vocabulary.counts[0])\n"))
        let metadata = try String(contentsOfFile: path("projector/metadata.tsv"), encoding: .utf8)
        #expect(metadata.split(separator: "\n").map(String.init) == model.vocabulary.words)
        let tsv = try String(contentsOfFile: path("projector/vectors.tsv"), encoding: .utf8).split(separator: "\n")
        #expect(tsv.count == model.vocabulary.count && tsv[0].split(separator: "\t").count == 12)
        let bad = try runWord2Vec(["convert", path("m.w2v"), "--to", "npy", "--output", path("v.bin")])
        #expect(bad.status == 73 && bad.standardError.contains("not a directory"))
    }
}
