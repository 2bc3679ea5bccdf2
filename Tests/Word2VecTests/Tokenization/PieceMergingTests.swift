import Foundation
import Testing
import Word2Vec
import Word2VecTokenization

/// `--tokenizer icu-merged`: ICU's single-character pieces joined where the text shows they belong
/// together.
@Suite struct PieceMergingTests {
    /// Lines of single characters drawn at random, one line in twenty holding the planted pair `龘靐`
    /// (never apart), plus a number always followed by `號`. Returns the text and how often the pair
    /// was planted.
    static func plantedText(lines: Int, seed: UInt64) -> (text: String, planted: Int) {
        let filler = Array("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥鼠牛虎兔龍蛇馬羊猴雞")
        var random = TestRandom(seed: seed)
        var text = ""
        var planted = 0
        for line in 0..<lines {
            var characters = (0..<10).map { _ in filler[Int(random.next() % UInt64(filler.count))] }
            if line % 20 == 0 {
                characters.insert(contentsOf: "龘靐", at: Int(random.next() % 11))
                planted += 1
            }
            if line % 20 == 10 { characters.insert(contentsOf: "42號", at: Int(random.next() % 11)) }
            text += String(characters) + "\n"
        }
        return (text, planted)
    }

    static func words(of path: String) throws -> [[Substring]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: " ") }
    }

    /// ICU drops the punctuation between `乔石` and `朱`; the pair is frequent, but the two were never
    /// neighbours in the text, so no token may span the dropped comma (it gave `乔石朱`).
    @Test func onlyPiecesAdjacentInTheTextAreJoined() throws {
        let directory = TestDirectory()
        let names = ["乔石、朱镕基出席了会议", "战士，久经考验", "北京 天安门"]
        let filler = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
        let lines = Array(repeating: names, count: 40).flatMap { $0 } + Array(repeating: filler, count: 1000)
        let input = directory.file("names.txt", lines.joined(separator: "\n") + "\n")
        let output = directory.path + "/merged.txt"
        try TextSegmenter(tokenizer: .icuMerged, threads: 1).segment(fileAt: input, writingTo: CorpusFileWriter(path: output))
        let merged = try Self.words(of: output)
        for (line, words) in zip(lines, merged) {
            for word in words { #expect(line.contains(word), "'\(word)' is not a span of '\(line)'") }
        }
        // Pieces that were neighbours still join: the text is long enough for the pairs to score.
        #expect(merged.prefix(3 * 40).contains { $0.count < 5 })
    }

    @Test func charactersThatAlwaysOccurTogetherAreJoinedAndOthersAreNot() throws {
        let directory = TestDirectory()
        let (text, planted) = Self.plantedText(lines: 2000, seed: 5)
        let input = directory.file("planted.txt", text)
        let icuPath = directory.path + "/icu.txt", mergedPath = directory.path + "/merged.txt"
        try TextSegmenter(tokenizer: .icu, threads: 2).segment(fileAt: input, writingTo: CorpusFileWriter(path: icuPath))
        try TextSegmenter(tokenizer: .icuMerged, threads: 2).segment(fileAt: input, writingTo: CorpusFileWriter(path: mergedPath))
        let icu = try Self.words(of: icuPath), merged = try Self.words(of: mergedPath)
        // ICU knows neither the pair nor the number's unit: they come out as single pieces.
        #expect(!icu.joined().contains("龘靐"))
        #expect(icu.count == merged.count)
        // Joining only removes spaces, line by line.
        #expect(zip(icu, merged).allSatisfy { $0.joined() == $1.joined() })
        func adjacent(_ a: Substring, _ b: Substring) -> Int {
            icu.map { line in zip(line, line.dropFirst()).filter { $0 == a && $1 == b }.count }.reduce(0, +)
        }
        #expect(adjacent("龘", "靐") == planted)
        #expect(merged.joined().filter { $0 == "龘靐" }.count == planted)
        #expect(adjacent("42", "號") > 75)
        #expect(merged.joined().filter { $0 == "42號" }.count == adjacent("42", "號"))
        // Characters drawn independently of each other stay apart.
        #expect(Set(merged.joined()).subtracting(icu.joined()) == ["龘靐", "42號"])
    }

    @Test func dictionaryWordsAndShortTextsKeepICUsPieces() throws {
        let merged = TextSegmenter(tokenizer: .icuMerged, threads: 1)
        #expect(merged.nfkc)
        #expect(try merged.words(in: "我爱北京天安门") == ["我", "爱", "北京", "天安门"])
        // The right half of a pair is a single character: a dictionary word never is, however
        // often it follows the same character.
        try #require(try TextSegmenter(tokenizer: .icu, threads: 1).words(in: "龘天安门") == ["龘", "天安门"])
        let directory = TestDirectory()
        let input = directory.file("zh.txt", String(repeating: "龘天安门\n", count: 50))
        let output = directory.path + "/out.txt"
        try merged.segment(fileAt: input, writingTo: CorpusFileWriter(path: output))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == String(repeating: "龘 天安门\n", count: 50))
    }

    /// Three characters always together, the first also often alone: the better-scoring pair (the
    /// last two) wins, and a piece joins only once.
    @Test func theBestScoringPairIsJoinedFirst() throws {
        let directory = TestDirectory()
        let (text, _) = Self.plantedText(lines: 2000, seed: 11)
        let lines = text.split(separator: "\n").enumerated().map { line -> String in
            line.offset % 20 == 3 ? "齉齾麤" + line.element : line.offset % 20 == 13 ? line.element + "齉" : String(line.element)
        }
        let input = directory.file("triple.txt", lines.joined(separator: "\n") + "\n")
        let output = directory.path + "/out.txt"
        let icu = try TextSegmenter(tokenizer: .icu, threads: 1).words(in: "齉齾麤")
        try #require(icu == ["齉", "齾", "麤"])
        try TextSegmenter(tokenizer: .icuMerged, threads: 1).segment(fileAt: input, writingTo: CorpusFileWriter(path: output))
        let words = try Self.words(of: output).joined()
        #expect(words.filter { $0 == "齾麤" }.count == 100)
        #expect(!words.contains("齉齾"))
        #expect(!words.contains { $0.hasPrefix("齉齾") })
    }

    @Test func tagFieldsAreNeitherCountedNorJoined() throws {
        let directory = TestDirectory()
        let (text, _) = Self.plantedText(lines: 1000, seed: 9)
        let tagged = text.split(separator: "\n").enumerated().map { "龘 靐,\($0.offset)\t\($0.element)" }.joined(separator: "\n")
        let input = directory.file("docs.txt", tagged + "\n")
        let output = directory.path + "/out.txt"
        try TextSegmenter(tokenizer: .icuMerged, threads: 2, keepsTagField: true)
            .segment(fileAt: input, writingTo: CorpusFileWriter(path: output))
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1000)
        #expect(lines.allSatisfy { $0.hasPrefix("龘 靐,") })
        #expect(lines.filter { $0.contains("\t") && $0.split(separator: "\t")[1].contains("龘靐") }.count == 50)
    }

    @Test func commandsTakeTheTokenizer() throws {
        let directory = TestDirectory()
        let (text, planted) = Self.plantedText(lines: 2000, seed: 3)
        let input = directory.file("planted.txt", text)
        let tokenized = try runWord2Vec(["tokenize", "--tokenizer", "icu-merged", "--input", "-", "--output", "-"], input: text)
        #expect(tokenized.status == 0, "\(tokenized.standardError)")
        #expect(tokenized.standardOutput.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0 == "龘靐" }.count == planted)
        let vocabulary = directory.path + "/vocab.txt"
        let trained = try runWord2Vec(["train", "--tokenizer", "icu-merged", "--input", input, "--save-vocab", vocabulary,
                                       "--min-count", "1", "--quiet"])
        #expect(trained.status == 0, "\(trained.standardError)")
        let counts = try String(contentsOfFile: vocabulary, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: "\t") }
        #expect(counts.contains { $0.first == "龘靐" && $0.last == "\(planted)" })
        #expect(!counts.contains { $0.first == "龘" })
    }
}

/// The model file records how its text was cut, and resuming or updating cuts new text the same way.
@Suite struct RecordedTokenizerTests {
    static let dictionaryWords = ["北京", "天安门", "今天", "天气", "自然", "语言", "处理", "我们", "喜欢", "电脑",
                                  "学生", "老师", "学校", "音乐", "朋友", "电影"]

    /// Unsegmented Chinese: each line is dictionary words written without spaces.
    static func rawText(lines: Int, seed: UInt64) -> String {
        var random = TestRandom(seed: seed)
        return (0..<lines).map { _ in
            (0..<8).map { _ in dictionaryWords[Int(random.next() % UInt64(dictionaryWords.count))] }.joined() + "。"
        }.joined(separator: "\n") + "\n"
    }

    static var configuration: TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.dimension = 12
        configuration.minCount = 2
        configuration.threads = 1
        configuration.epochs = 3
        configuration.tokenizer = .icu
        configuration.nfkc = true
        return configuration
    }

    @Test func theModelFileKeepsTheTokenizer() throws {
        let directory = TestDirectory()
        let input = directory.file("zh.txt", Self.rawText(lines: 200, seed: 1))
        let model = directory.path + "/zh.model"
        let result = try runWord2Vec(["train", "--tokenizer", "icu", "--no-nfkc", "--input", input, "--save-model", model,
                                      "--min-count", "1", "--dim", "8", "--epochs", "1", "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        let loaded = try Model(contentsOf: model)
        #expect(loaded.configuration.tokenizer == .icu)
        #expect(loaded.configuration.nfkc == false)
        #expect(loaded.vocabulary.index(of: "天安门") != nil)
        // Saved and read back through the library too.
        var configuration = Self.configuration
        configuration.tokenizer = .icuMerged
        let copy = directory.path + "/copy.model"
        let trained = try Trainer(configuration: configuration).train(
            corpus: InMemoryCorpus(sentences: [["a", "b", "a", "b"]]))
        try trained.save(to: copy)
        #expect(try Model(contentsOf: copy).configuration.tokenizer == .icuMerged)
        #expect(try Model(contentsOf: copy).configuration.nfkc == true)
    }

    /// A checkpoint of a run on ICU-segmented text, resumed from the command line without
    /// `--tokenizer`, ends exactly where the uninterrupted run ends: the raw text was cut again.
    @Test func resumeCutsTheTextAsTheModelWasTrained() throws {
        let directory = TestDirectory()
        let input = directory.file("zh.txt", Self.rawText(lines: 20_000, seed: 2))
        let segmented = TextSegmenter(tokenizer: .icu, threads: 1).source(input)
        let reference = try Trainer(configuration: Self.configuration).train(corpus: TextFileCorpus(segmented))
        let checkpointPath = directory.path + "/ck.model"
        _ = try Trainer(configuration: Self.configuration).train(
            corpus: TextFileCorpus(segmented), checkpoint: Checkpointing(path: checkpointPath, interval: 0.001))
        let checkpoint = try Model(contentsOf: checkpointPath)
        try #require(!checkpoint.state.isComplete, "the run ended before a checkpoint")
        #expect(checkpoint.configuration.tokenizer == .icu)

        let refused = try runWord2Vec(["train", "--resume", checkpointPath, "--tokenizer", "whitespace", "--quiet"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("--tokenizer") && refused.standardError.contains("icu"))
        #expect(refused.standardError.split(separator: "\n").count == 1)
        let refusedNFKC = try runWord2Vec(["train", "--resume", checkpointPath, "--no-nfkc", "--quiet"])
        #expect(refusedNFKC.status != 0)
        #expect(refusedNFKC.standardError.contains("--no-nfkc"))
        let clobbering = try runWord2Vec(["train", "--resume", checkpointPath, "--output", checkpointPath, "--quiet"])
        #expect(clobbering.status != 0 && clobbering.standardError.contains("--output"))
        #expect(!(try Model(contentsOf: checkpointPath).state.isComplete))

        let resumed = directory.path + "/resumed.model"
        let result = try runWord2Vec(["train", "--resume", checkpointPath, "--save-model", resumed, "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        let finished = try Model(contentsOf: resumed)
        #expect(finished.state.isComplete)
        #expect(rows(finished.input) == rows(reference.input))
    }

    @Test func updateCutsNewTextAsTheModelWasTrained() throws {
        let directory = TestDirectory()
        let input = directory.file("zh.txt", Self.rawText(lines: 300, seed: 3))
        let model = directory.path + "/zh.model"
        let trained = try runWord2Vec(["train", "--tokenizer", "icu", "--input", input, "--save-model", model,
                                       "--min-count", "2", "--dim", "8", "--epochs", "1", "--threads", "1", "--quiet"])
        #expect(trained.status == 0, "\(trained.standardError)")
        #expect(try Model(contentsOf: model).vocabulary.index(of: "咖啡") == nil)
        let newText = directory.file("new.txt", String(repeating: "我们喜欢咖啡。\n", count: 10))
        let updatedPath = directory.path + "/updated.model"
        let refused = try runWord2Vec(["update", "--model", model, "--input", newText, "--output", updatedPath,
                                       "--tokenizer", "icu-merged", "--quiet"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("--tokenizer"))
        #expect(!FileManager.default.fileExists(atPath: updatedPath))
        let result = try runWord2Vec(["update", "--model", model, "--input", newText, "--output", updatedPath, "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        let updated = try Model(contentsOf: updatedPath)
        #expect(updated.vocabulary.index(of: "咖啡") != nil)
        #expect(updated.vocabulary.index(of: "我们喜欢咖啡") == nil)
        #expect(updated.configuration.tokenizer == .icu)
    }
}

/// `doc2vec similar --text` cuts the text as the model's documents were cut.
@Suite struct RecordedTokenizerQueryTests {
    @Test func similarDocumentsOfUnsegmentedText() throws {
        let groups = [["足球", "比赛", "球队", "教练"], ["经济", "市场", "银行", "投资", "企业"],
                      ["音乐", "电影", "歌手", "演员", "导演"], ["学校", "老师", "学生", "考试", "教育"]]
        var random = TestRandom(seed: 17)
        var text = ""
        for line in 0..<800 {
            let group = groups[line % groups.count]
            text += "topic\(line % groups.count)\t" + (0..<8).map { _ in group[Int(random.next() % UInt64(group.count))] }.joined() + "\n"
        }
        let directory = TestDirectory()
        let input = directory.file("docs.txt", text)
        let model = directory.path + "/docs.model"
        let trained = try runWord2Vec(["doc2vec", "train", "--tokenizer", "icu", "--input", input, "--save-model", model,
                                       "--dim", "16", "--epochs", "20", "--min-count", "2", "--threads", "1", "--quiet"])
        #expect(trained.status == 0, "\(trained.standardError)")
        let result = try runWord2Vec(["doc2vec", "similar", model, "--text", "歌手和演员都喜欢音乐电影", "--top", "1"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("topic2"), "\(result.standardOutput)")
    }
}

/// `doc2vec train --checkpoint-every` and `--resume`.
@Suite struct Doc2VecResumeTests {
    static func documents(in directory: TestDirectory) -> String {
        let lines = topicCorpus(groups: 4, wordsPerGroup: 15, sentences: 20_000, length: 10, seed: 4)
        return directory.file("docs.txt", lines.enumerated().map { "doc\($0.offset % 40)\t" + $0.element.joined(separator: " ") }
            .joined(separator: "\n") + "\n")
    }

    static var configuration: TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.dimension = 12
        configuration.threads = 1
        configuration.epochs = 3
        configuration.documentMode = .dbow
        configuration.dbowWords = true
        return configuration
    }

    @Test func resumedRunMatchesAnUninterruptedOne() throws {
        let directory = TestDirectory()
        let input = Self.documents(in: directory)
        let reference = try Trainer(configuration: Self.configuration).train(documents: DocumentFileCorpus(path: input))
        let checkpointPath = directory.path + "/ck.model"
        _ = try Trainer(configuration: Self.configuration).train(
            documents: DocumentFileCorpus(path: input), checkpoint: Checkpointing(path: checkpointPath, interval: 0.001))
        try #require(!(try Model(contentsOf: checkpointPath).state.isComplete), "the run ended before a checkpoint")

        let vectors = directory.path + "/docs.vec"
        let result = try runWord2Vec(["doc2vec", "train", "--resume", checkpointPath, "--output", vectors, "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        let finished = try Model(contentsOf: checkpointPath)
        #expect(finished.state.isComplete)
        #expect(rows(finished.documents?.vectors) == rows(reference.documents?.vectors))
        #expect(rows(finished.input) == rows(reference.input))
        let written = try String(contentsOfFile: vectors, encoding: .utf8).split(separator: "\n")
        #expect(written.first == "40 12")
    }

    @Test func checkpointsAreWrittenAndFlagsChecked() throws {
        let directory = TestDirectory()
        let input = Self.documents(in: directory)
        let model = directory.path + "/docs.model"
        let result = try runWord2Vec(["doc2vec", "train", "--input", input, "--save-model", model, "--checkpoint-every", "0.01",
                                      "--dim", "8", "--epochs", "1", "--threads", "1", "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try Model(contentsOf: model).state.isComplete)
        let noModel = try runWord2Vec(["doc2vec", "train", "--input", input, "--output", directory.path + "/x.vec",
                                       "--checkpoint-every", "5", "--quiet"])
        #expect(noModel.status != 0 && noModel.standardError.contains("--save-model"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/x.vec"))

        let words = directory.file("words.txt", String(repeating: "a b c d e f\n", count: 50))
        let wordModel = directory.path + "/words.model"
        #expect(try runWord2Vec(["train", "--input", words, "--save-model", wordModel, "--min-count", "1", "--quiet"]).status == 0)
        let wrongKind = try runWord2Vec(["doc2vec", "train", "--resume", wordModel, "--quiet"])
        #expect(wrongKind.status != 0 && wrongKind.standardError.contains("document"))
    }
}
