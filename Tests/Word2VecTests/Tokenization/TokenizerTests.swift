import Foundation
import Testing
import Word2Vec
import Word2VecTokenization

@Suite struct TokenizerTests {
    let icu = TextSegmenter(tokenizer: .icu, threads: 1)

    /// A last line without a newline that gives no word is still a line (doc2vec infer answers one
    /// row per line).
    @Test(arguments: [Tokenizer.icu, .icuMerged])
    func everyInputLineGivesOneOutputLine(tokenizer: Tokenizer) throws {
        let directory = TestDirectory()
        for (text, expected) in [("king queen\n!!!", "king queen\n\n"), ("!!!", "\n"), ("king\n", "king\n"),
                                 ("king\nqueen", "king\nqueen"), ("a\n\n。", "a\n\n\n")] {
            let input = directory.file("in.txt", text)
            let output = directory.path + "/out.txt"
            try TextSegmenter(tokenizer: tokenizer, threads: 2).segment(fileAt: input, writingTo: CorpusFileWriter(path: output))
            #expect(try String(contentsOfFile: output, encoding: .utf8) == expected, "\(text.debugDescription)")
        }
        let result = try runWord2Vec(["tokenize", "--tokenizer", tokenizer.rawValue, "--input", "-", "--output", "-"],
                                     input: "king queen\n!!!")
        #expect(result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).count == 3)
    }

    /// A line too long to hold is cut; when no space is near, the cut used to fall before a
    /// combining mark, which ICU then dropped as no word. Nothing may be lost.
    @Test func aLongLineCutKeepsCombiningMarksWithTheirLetters() throws {
        let directory = TestDirectory()
        // Decomposed letters without spaces, past one read (1 MiB); three offsets put the round's
        // last character on each byte of a letter and its mark.
        for prefix in ["", "a", "ab"] {
            let text = prefix + String(repeating: "e\u{301}", count: 400_000) + " tail\n"
            let input = directory.file("long.txt", text)
            let output = directory.path + "/out.txt"
            var segmenter = TextSegmenter(tokenizer: .icu, nfkc: false, threads: 1)
            segmenter.lineLimit = 4096
            try segmenter.segment(fileAt: input, writingTo: CorpusFileWriter(path: output))
            let words = try String(contentsOfFile: output, encoding: .utf8)
            #expect(words.unicodeScalars.filter { $0 != " " }.count == text.unicodeScalars.filter { $0 != " " }.count)
            #expect(words.split(separator: "\n").count == 1)
        }
        // The cut itself: never just before a mark.
        let bytes = Array(("x" + String(repeating: "e\u{301}\u{302}", count: 20)).utf8)
        for end in 8...bytes.count {
            let cut = TextSegmenter.safeCut(Array(bytes[..<end]))
            #expect(bytes[cut] == UInt8(ascii: "e") || bytes[cut] == UInt8(ascii: "x"), "end \(end), cut \(cut)")
        }
    }

    @Test func chineseIsSplitIntoDictionaryWords() throws {
        #expect(try icu.words(in: "我爱北京天安门") == ["我", "爱", "北京", "天安门"])
        #expect(try icu.words(in: "今天天气很好") == ["今天", "天气", "很好"])
    }

    @Test func japaneseIsSplitIntoDictionaryWords() throws {
        let words = try icu.words(in: "東京都に住んでいます。私はラーメンが好きです。")
        #expect(words.starts(with: ["東京", "都", "に"]))
        #expect(words.contains("ラーメン"))
        #expect(words.contains("好き"))
        #expect(words.joined() == "東京都に住んでいます私はラーメンが好きです")
    }

    @Test func latinInsideChineseStaysWholeAndPunctuationIsDropped() throws {
        let words = try icu.words(in: "我们去Apple Store买iPhone 15吧！「真的？」……")
        #expect(words == ["我们", "去", "Apple", "Store", "买", "iPhone", "15", "吧", "真的"])
    }

    @Test func fullWidthFormsAreNormalisedUnlessTurnedOff() throws {
        #expect(try icu.words(in: "价格２０２４元，ＡＢＣ") == ["价格", "2024", "元", "ABC"])
        let raw = TextSegmenter(tokenizer: .icu, nfkc: false, threads: 1)
        #expect(try raw.words(in: "价格２０２４元") == ["价格", "２０２４", "元"])
        let spaced = TextSegmenter(tokenizer: .whitespace, nfkc: true, threads: 1)
        #expect(try spaced.words(in: "ＡＢＣ\u{3000}ｄｅｆ  x\ty") == ["ABC", "def", "x", "y"])
        #expect(TextSegmenter(tokenizer: .whitespace).isIdentity)
        #expect(!TextSegmenter(tokenizer: .icu).isIdentity)
    }

    @Test func invalidUTF8IsNoWordAndNoCrash() throws {
        let directory = TestDirectory()
        let input = directory.file("bad.txt", bytes: [0xE4, 0xB8, 0xAD, 0xFF, 0xE6, 0x96, 0x87, 0x0A, 0xC3, 0x0A])
        let output = directory.path + "/out.txt"
        try icu.segment(fileAt: input, writingTo: CorpusFileWriter(path: output))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "中 文\n\n")
    }

    /// Many lines (several rounds of pieces) over several threads come out in order, one output line per input line,
    /// including a last line without a newline.
    @Test func filesKeepLineOrderAcrossThreads() throws {
        let directory = TestDirectory()
        let sentences = ["我爱北京天安门。", "", "今天天气很好！", "hello, world"]
        var text = ""
        var expected = ""
        for i in 0..<200_000 {
            let sentence = sentences[i % sentences.count]
            text += "\(i) " + sentence + "\n"
            expected += "\(i)" + ["我 爱 北京 天安门", "", "今天 天气 很好", "hello world"][i % sentences.count]
                .split(separator: " ").map { " " + $0 }.joined() + "\n"
        }
        text += "最后"
        expected += "最后"
        let input = directory.file("many.txt", text)
        let output = directory.path + "/out.txt"
        try TextSegmenter(tokenizer: .icu, threads: 3).segment(fileAt: input, writingTo: CorpusFileWriter(path: output))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == expected)
    }

    @Test func documentTagFieldsSurviveSegmentation() throws {
        let directory = TestDirectory()
        let input = directory.file("docs.txt", "a,b\t我爱北京天安门\n没有标签的行\nc\t。今天\n")
        let output = directory.path + "/out.txt"
        try TextSegmenter(tokenizer: .icu, threads: 1, keepsTagField: true)
            .segment(fileAt: input, writingTo: CorpusFileWriter(path: output))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "a,b\t我 爱 北京 天安门\n没有 标签 的 行\nc\t今天\n")
    }

    @Test func tokenizeCommandReadsAndWritesStandardStreams() throws {
        let result = try runWord2Vec(["tokenize", "--tokenizer", "icu", "--input", "-", "--output", "-"],
                                     input: "我爱北京天安门。\n自然语言处理\n")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "我 爱 北京 天安门\n自然 语言 处理\n")
        let bad = try runWord2Vec(["tokenize", "--tokenizer", "jieba", "--input", "-", "--output", "-"])
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("--tokenizer"))
    }

    @Test func tokenizeCutsWithICUByDefault() throws {
        let result = try runWord2Vec(["tokenize", "--input", "-", "--output", "-"], input: "我爱北京天安门。\n")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "我 爱 北京 天安门\n")
    }

    @Test func lowercasingLowersEveryScriptAndKeepsInvalidBytes() throws {
        let lower = TextSegmenter(tokenizer: .whitespace, threads: 1, lowercase: true)
        #expect(!lower.isIdentity)
        #expect(try lower.words(in: "The ΣΟΦΙΑ  Ärger\tDOG") == ["the", "σοφια", "ärger", "dog"])
        let directory = TestDirectory()
        let input = directory.file("bad.txt", bytes: Array("ABC ".utf8) + [0xC3, 0x41, 0xFF] + Array(" Éa\n".utf8))
        let output = directory.path + "/out.txt"
        try lower.segment(fileAt: input, writingTo: CorpusFileWriter(path: output))
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(bytes == Array("abc ".utf8) + [0xC3, 0x61, 0xFF] + Array(" éa\n".utf8))
    }

    @Test func lowercaseFlagOfTokenizePhrasesAndTrain() throws {
        let directory = TestDirectory()
        let tokenized = try runWord2Vec(["tokenize", "--lowercase", "--input", "-", "--output", "-"], input: "Hello WORLD Ünïcode\n")
        #expect(tokenized.standardOutput == "hello world ünïcode\n", "\(tokenized.standardError)")
        let input = directory.file("mixed.txt", String(repeating: "The Cat sat on THE mat\n", count: 20))
        let phrases = try runWord2Vec(["phrases", "--lowercase", "--input", input, "--output", "-", "--quiet"])
        #expect(phrases.status == 0, "\(phrases.standardError)")
        #expect(!phrases.standardOutput.contains("The") && phrases.standardOutput.contains("the"), "\(phrases.standardOutput)")
        let vocabulary = directory.path + "/vocab.txt"
        let model = directory.path + "/m.model"
        let trained = try runWord2Vec(["train", "--lowercase", "--input", input, "--save-vocab", vocabulary,
                                       "--save-model", model, "--min-count", "1", "--dim", "4", "--epochs", "1", "--quiet"])
        #expect(trained.status == 0, "\(trained.standardError)")
        #expect(try String(contentsOfFile: vocabulary, encoding: .utf8).hasPrefix("the\t40\n"))
        #expect(try Model(contentsOf: model).configuration.lowercase)
        // The model records it, so its new text is lowered without the flag.
        let more = directory.file("more.txt", String(repeating: "THE DOG\n", count: 5))
        let updated = directory.path + "/u.model"
        let update = try runWord2Vec(["update", "--model", model, "--input", more, "--output", updated, "--quiet"])
        #expect(update.status == 0, "\(update.standardError)")
        let words = try Model(contentsOf: updated).vocabulary.words
        #expect(words.contains("dog") && !words.contains("DOG") && !words.contains("THE"))
        // A model trained without it refuses the flag for its new text.
        let plain = directory.path + "/p.model"
        _ = try runWord2Vec(["train", "--input", input, "--save-model", plain, "--min-count", "1", "--dim", "4", "--epochs", "1", "--quiet"])
        #expect(try Model(contentsOf: plain).configuration.lowercase == false)
        let contradicting = try runWord2Vec(["update", "--model", plain, "--input", more, "--output", updated, "--lowercase", "--quiet"])
        #expect(contradicting.status == 64)
        #expect(contradicting.standardError.contains("--lowercase"), "\(contradicting.standardError)")
    }

    @Test func trainingReadsSegmentedText() throws {
        let directory = TestDirectory()
        let input = directory.file("zh.txt", String(repeating: "我爱北京天安门。北京是首都！\n", count: 20))
        let vocabulary = directory.path + "/vocab.txt"
        let result = try runWord2Vec(["train", "--tokenizer", "icu", "--input", input, "--save-vocab", vocabulary,
                                      "--min-count", "1", "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = try String(contentsOfFile: vocabulary, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "北京\t40")
        #expect(Set(lines.map { $0.split(separator: "\t")[0] }) == ["北京", "我", "爱", "天安门", "是", "首都", "</s>"]
            || Set(lines.map { $0.split(separator: "\t")[0] }) == ["北京", "我", "爱", "天安门", "是", "首都"])
    }

    @Test func doc2vecKeepsTagsOfSegmentedDocuments() throws {
        let directory = TestDirectory()
        var text = ""
        for i in 0..<30 { text += "doc\(i % 3)\t我爱北京天安门，今天天气很好。\n" }
        let input = directory.file("docs.txt", text)
        let output = directory.path + "/docs.vec"
        let result = try runWord2Vec(["doc2vec", "train", "--tokenizer", "icu", "--input", input, "--output", output,
                                      "--min-count", "1", "--dim", "8", "--epochs", "2", "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        let keys = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: " ")[0] }
        #expect(Set(keys) == ["doc0", "doc1", "doc2"])
    }
}
