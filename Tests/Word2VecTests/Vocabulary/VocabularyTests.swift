import Foundation
import Testing
import Word2Vec

@Suite struct VocabularyTests {
    @Test func sortsByDescendingCountWithByteOrderTieBreak() {
        let vocabulary = Vocabulary(entries: [("b", 3), ("a", 3), ("c", 7), ("d", 1), ("é", 3)], minCount: 1)
        #expect(vocabulary.words == ["c", "a", "b", "é", "d"])
        #expect(vocabulary.counts == [7, 3, 3, 3, 1])
        #expect(vocabulary.totalCount == 17)
        #expect(vocabulary.index(of: "b") == 2)
        #expect(vocabulary.index(of: "zzz") == nil)
    }

    @Test func minCountAndMaxSize() {
        let entries = [("x", 10), ("y", 5), ("z", 4), ("w", 6)]
        #expect(Vocabulary(entries: entries, minCount: 5).words == ["x", "w", "y"])
        #expect(Vocabulary(entries: entries, minCount: 1, maxSize: 2).words == ["x", "w"])
        #expect(Vocabulary(entries: entries, minCount: 11).count == 0)
    }

    @Test func countsAFileWithoutTrailingNewline() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("c.txt")
        try writeFile(file, "the cat  sat\n\n on\tthe mat\r\nthe end")
        let counts = try WordCounts.count(fileAt: file.path)
        #expect(counts.tokenCount == 8)
        #expect(counts.sentenceCount == 3)
        #expect(counts.count(of: "the") == 3)
        #expect(counts.count(of: "end") == 1)
        #expect(counts.count(of: "mat") == 1)
    }

    @Test func invalidUTF8IsRepairedNotFatal() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("bad.txt")
        try Data([0x61, 0xFF, 0x62, 0x20, 0xC3, 0xA9, 0x20, 0xE2, 0x82, 0x0A, 0x61, 0xFF, 0x62]).write(to: file)
        let counts = try WordCounts.count(fileAt: file.path)
        #expect(counts.tokenCount == 4)
        #expect(counts.count(of: "a\u{FFFD}b") == 2)
        #expect(counts.count(of: "é") == 1)
        #expect(counts.count(of: "\u{FFFD}") == 1)
    }

    @Test func saveAndReadRoundTrip() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("vocab.txt")
        let vocabulary = Vocabulary(entries: [("alpha", 9), ("beta", 4), ("gamma", 4), ("δέλτα", 2)])
        try vocabulary.write(to: file.path)
        #expect(try String(contentsOf: file, encoding: .utf8) == "alpha\t9\nbeta\t4\ngamma\t4\nδέλτα\t2\n")
        let read = try Vocabulary.read(from: file.path)
        #expect(read.words == vocabulary.words)
        #expect(read.counts == vocabulary.counts)
        #expect(try Vocabulary.read(from: file.path, minCount: 4).words == ["alpha", "beta", "gamma"])
    }

    @Test func readsTheOriginalToolsVocabularyFiles() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("vocab.txt")
        try writeFile(file, "</s> 1000\nthe 50\r\nof 20 \n\n")
        let read = try Vocabulary.read(from: file.path)
        #expect(read.words == ["the", "of"])
    }

    @Test(arguments: [
        ("the 5\nof\n", 2, "expected 'word count'"),
        ("the 5\nof 3 x\n", 2, "expected 'word count'"),
        ("the five\n", 1, "not a non-negative integer"),
        ("the 5\nof -3\n", 2, "not a non-negative integer"),
        ("the 5\nof 3\nthe 2\n", 3, "appears twice"),
    ])
    func malformedVocabularyLines(text: String, line: Int, problem: String) throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("vocab.txt")
        try writeFile(file, text)
        do {
            _ = try Vocabulary.read(from: file.path)
            Issue.record("accepted a malformed file")
        } catch let error as Word2VecError {
            #expect("\(error)".hasPrefix("\(file.path):\(line): "))
            #expect("\(error)".contains(problem))
        }
    }

    @Test func keepProbabilitiesFollowTheOriginalFormula() {
        let vocabulary = Vocabulary(entries: [("a", 1000), ("b", 100), ("c", 10)])
        let keep = vocabulary.keepProbabilities(sample: 1e-2)
        let threshold = 1e-2 * 1110
        for (i, count) in [1000.0, 100, 10].enumerated() {
            let expected = min(1, ((count / threshold).squareRoot() + 1) * threshold / count)
            #expect(abs(Double(keep[i]) - expected) < 1e-6)
        }
        #expect(keep[0] < 0.2)
        #expect(keep[2] == 1)
        #expect(vocabulary.keepProbabilities(sample: 0) == [1, 1, 1])
    }
}
