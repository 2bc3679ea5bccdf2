import Foundation
import Testing
import Word2Vec

@Suite struct CorpusTests {
    static func sentences(of corpus: some TrainingCorpus, vocabulary: Vocabulary, parts: Int, maxLength: Int = 10_000) throws -> [[String]] {
        var result: [[String]] = []
        for part in 0..<parts {
            try corpus.forEachSentence(part: part, of: parts, vocabulary: vocabulary, maxLength: maxLength) { sentence in
                result.append(sentence.map { vocabulary.words[Int($0)] })
            }
        }
        return result
    }

    /// Every word is read exactly once, whatever the number of parts, including words that straddle
    /// a naive split point and a last line without a newline.
    @Test(arguments: [1, 2, 3, 7, 64])
    func partsCoverEveryWordExactlyOnce(parts: Int) throws {
        var random = TestRandom(seed: 11)
        var lines: [String] = []
        for _ in 0..<300 {
            let length = Int.random(in: 0...30, using: &random)
            lines.append((0..<length).map { _ in "w\(Int.random(in: 0..<500, using: &random))" }
                .joined(separator: Bool.random(using: &random) ? " " : " \t "))
        }
        let text = lines.joined(separator: "\n")
        let file = try temporaryDirectory().appendingPathComponent("corpus.txt")
        try writeFile(file, text)
        let corpus = TextFileCorpus(path: file.path)
        let counts = try corpus.countWords()
        let vocabulary = Vocabulary(counts: counts, minCount: 1)
        let read = try Self.sentences(of: corpus, vocabulary: vocabulary, parts: parts)
        #expect(read.reduce(0) { $0 + $1.count } == counts.tokenCount)
        let expectedWords = lines.flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
        #expect(read.flatMap { $0 } == expectedWords)
        if parts == 1 {
            #expect(read == lines.map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }.filter { !$0.isEmpty })
        }
    }

    @Test func longSentencesAreSplitNotDropped() throws {
        let words = (0..<25).map { "w\($0)" }
        let file = try temporaryDirectory().appendingPathComponent("long.txt")
        try writeFile(file, words.joined(separator: " ") + "\nshort line")
        let corpus = TextFileCorpus(path: file.path)
        let vocabulary = Vocabulary(counts: try corpus.countWords(), minCount: 1)
        let read = try Self.sentences(of: corpus, vocabulary: vocabulary, parts: 1, maxLength: 10)
        #expect(read.map(\.count) == [10, 10, 5, 2])
        #expect(read.prefix(3).flatMap { $0 } == words)
    }

    @Test func unknownWordsAreLeftOut() throws {
        let corpus = InMemoryCorpus(sentences: [["a", "b", "rare", "a"], ["rare"], ["b", "a"]])
        let vocabulary = Vocabulary(entries: [("a", 3), ("b", 2)])
        let read = try Self.sentences(of: corpus, vocabulary: vocabulary, parts: 1)
        #expect(read == [["a", "b", "a"], ["b", "a"]])
        let two = try Self.sentences(of: corpus, vocabulary: vocabulary, parts: 2)
        #expect(two.flatMap { $0 } == ["a", "b", "a", "b", "a"])
    }

    @Test func veryLongWordsAreCutNotFatal() throws {
        let long = String(repeating: "x", count: 5000)
        let file = try temporaryDirectory().appendingPathComponent("w.txt")
        try writeFile(file, "a \(long) b\n")
        let counts = try WordCounts.count(fileAt: file.path)
        #expect(counts.tokenCount == 3)
        #expect(counts.count(of: String(repeating: "x", count: 1024)) == 1)
        #expect(counts.count(of: "b") == 1)
    }
}
