import Foundation
import Testing
import Word2Vec

/// A deterministic corpus of random words from a 200-word vocabulary in which `new york`,
/// `los angeles` and `hong kong` occur only as those bigrams, each about `pairCount` times.
/// At most one pair goes into a sentence, so pairs never split each other.
private func collocationCorpus(
    sentences: Int = 1000, pairCount: Int = 60, extraPairs: [[String]] = [], extraFiller: [String] = []
) -> [[String]] {
    var random = LinearCongruentialGenerator(seed: 7)
    let filler = (0..<200).map { "w\($0)" } + extraFiller
    let pairs = [["new", "york"], ["los", "angeles"], ["hong", "kong"]] + extraPairs
    var corpus: [[String]] = []
    var placed = 0
    for s in 0..<sentences {
        var sentence = (0..<(8 + random.next(below: 8))).map { _ in filler[random.next(below: filler.count)] }
        // Spread the pairs evenly over the sentences, at a random position.
        while placed * sentences < s * pairCount * pairs.count {
            let pair = pairs[placed % pairs.count]
            sentence.insert(contentsOf: pair, at: random.next(below: sentence.count + 1))
            placed += 1
        }
        corpus.append(sentence)
    }
    return corpus
}

@Suite struct PhrasesTests {
    @Test func alwaysCooccurringBigramsAreJoinedAndRandomPairsAreNot() throws {
        let corpus = collocationCorpus()
        var phrases = try Phrases()
        phrases.learnPass(from: corpus)
        let output = phrases.apply(to: corpus)
        let joined = Set(output.joined().filter { $0.contains("_") })
        #expect(joined == ["new_york", "los_angeles", "hong_kong"])
        // Every occurrence is joined: no half of a pair is left alone.
        let words = output.joined()
        #expect(!words.contains("new") && !words.contains("york") && !words.contains("kong"))
        #expect(words.filter { $0 == "new_york" }.count == corpus.joined().filter { $0 == "new" }.count)
        #expect(Set(phrases.phrases().map(\.phrase)) == ["new_york", "los_angeles", "hong_kong"])
        // The rewritten corpus has the same sentences, with two tokens fewer per pair.
        #expect(output.count == corpus.count)
        #expect(words.count == corpus.joined().count - 3 * 60)
    }

    @Test func npmiFindsTheSamePairs() throws {
        var configuration = PhraseConfiguration()
        configuration.scoring = .npmi
        configuration.threshold = 0.5
        var phrases = try Phrases(configuration: configuration)
        phrases.learnPass(from: collocationCorpus())
        #expect(Set(phrases.phrases().map(\.phrase)) == ["new_york", "los_angeles", "hong_kong"])
        #expect(phrases.phrases().allSatisfy { $0.score > 0.5 && $0.score <= 1 })
    }

    @Test func scoresEqualHandComputedValues() throws {
        // Counts: a 3, b 2, c 2, tokens 7; "a b" 2, "b c" 1, "c a" 1. "b c" of lines 2-3 does not count:
        // candidates never span lines.
        let sentences = [["a", "b", "c"], ["a", "b"], ["c", "a"]]
        var configuration = PhraseConfiguration()
        configuration.minCount = 1
        var phrases = try Phrases(configuration: configuration)
        let table = phrases.learnPass(from: sentences)
        #expect(table.totalWords == 7)
        #expect(table.count(of: ["a"]) == 3 && table.count(of: ["a", "b"]) == 2 && table.count(of: ["b", "c"]) == 1)
        #expect(table.count(of: ["b", "a"]) == 0)
        // (pab - minCount) / pa / pb * total
        #expect(table.score("a", "b") == Double(2 - 1) / 3 / 2 * 7)
        #expect(table.score("b", "c") == 0)
        #expect(table.score("b", "a") == nil)

        configuration.scoring = .npmi
        configuration.threshold = 0
        var npmi = try Phrases(configuration: configuration)
        let npmiTable = npmi.learnPass(from: sentences)
        let expected = log((2.0 / 7) / ((3.0 / 7) * (2.0 / 7))) / -log(2.0 / 7)
        #expect(abs(npmiTable.score("a", "b")! - expected) < 1e-12)
        #expect(abs(npmiTable.score("a", "b")! - 0.67634) < 1e-5)  // gensim's npmi_scorer(3, 2, 2, ., 1, 7)
    }

    @Test func allThreeCountsMustReachMinCount() throws {
        var configuration = PhraseConfiguration()
        configuration.minCount = 3
        configuration.threshold = 0
        var phrases = try Phrases(configuration: configuration)
        // "x y" 3 times, but "y" also 3 times and "z" only twice.
        let table = phrases.learnPass(from: Array(repeating: ["x", "y"], count: 3) + [["x", "z"], ["x", "z"]])
        #expect(table.score("x", "y") == Double(3 - 3) / 5 / 3 * 10)
        #expect(table.score("x", "z") == nil)
        // A score of 0 is not above a threshold of 0.
        #expect(phrases.apply(to: ["x", "y"]) == ["x", "y"])
    }

    @Test func thresholdIsStrict() throws {
        var configuration = PhraseConfiguration()
        configuration.minCount = 1
        var probe = try Phrases(configuration: configuration)
        let sentences = [["a", "b", "c"], ["a", "b"], ["c", "a"]]
        let score = probe.learnPass(from: sentences).score("a", "b")!
        configuration.threshold = score
        var atThreshold = try Phrases(configuration: configuration)
        atThreshold.learnPass(from: sentences)
        #expect(atThreshold.apply(to: ["a", "b"]) == ["a", "b"])
        configuration.threshold = score.nextDown
        var below = try Phrases(configuration: configuration)
        below.learnPass(from: sentences)
        #expect(below.apply(to: ["a", "b"]) == ["a_b"])
    }

    @Test func joiningIsGreedyFromTheLeftAndPassesBuildLongerPhrases() throws {
        var corpus = collocationCorpus()
        // Every "new york" becomes "new york times".
        corpus = corpus.map { sentence in
            var result: [String] = []
            for word in sentence {
                result.append(word)
                if word == "york" { result.append("times") }
            }
            return result
        }
        var phrases = try Phrases()
        phrases.learnPass(from: corpus)
        let once = phrases.apply(to: corpus).joined()
        #expect(once.contains("new_york") && once.contains("times") && !once.contains("new_york_times"))
        phrases.learnPass(from: corpus)
        let twice = phrases.apply(to: corpus).joined()
        #expect(twice.filter { $0 == "new_york_times" }.count == 60)
        #expect(!twice.contains("times") && !twice.contains("new_york"))
        #expect(phrases.passes.count == 2)
        #expect(phrases.passes[1].phrases().map(\.phrase) == ["new_york_times"])
    }

    @Test func connectorWordsMayStandInsideButNeverAtTheEdges() throws {
        // "of" and "the" are frequent everywhere (about one word in nine).
        let corpus = collocationCorpus(
            extraPairs: [["bank", "of", "america"]], extraFiller: Array(repeating: "of", count: 12) + Array(repeating: "the", count: 12))
        var configuration = PhraseConfiguration()
        configuration.connectorWords = PhraseConfiguration.englishConnectorWords
        var phrases = try Phrases(configuration: configuration)
        let table = phrases.learnPass(from: corpus)
        #expect(table.count(of: ["of"]) == 0)  // connector words are not counted as words
        let output = phrases.apply(to: corpus).joined()
        let joined = Set(output.filter { $0.contains("_") })
        #expect(joined == ["new_york", "los_angeles", "hong_kong", "bank_of_america"])
        #expect(output.filter { $0 == "bank_of_america" }.count == corpus.joined().filter { $0 == "bank" }.count)
        #expect(phrases.apply(to: ["the", "bank", "of", "the", "bank"]) == ["the", "bank", "of", "the", "bank"])

        // Without connector words, "bank of" and "of america" are not collocations ("of" is everywhere).
        var plain = try Phrases()
        plain.learnPass(from: corpus)
        #expect(!plain.apply(to: corpus).joined().contains { $0.contains("bank") && $0.contains("_") })
    }

    @Test func pruningKeepsTheTableBoundedAsWord2phraseDoes() throws {
        var configuration = PhraseConfiguration()
        configuration.maxVocabularySize = 1000
        var phrases = try Phrases(configuration: configuration)
        let table = phrases.learnPass(from: collocationCorpus())
        #expect(table.pruneLevel >= 1)
        #expect(table.entryCount <= 1000)
        // The frequent collocations survive pruning.
        #expect(Set(table.phrases().map(\.phrase)) == ["new_york", "los_angeles", "hong_kong"])
    }

    @Test func filesAreRewrittenLineByLine() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let corpus = collocationCorpus()
        var text = corpus.map { $0.joined(separator: "  ") }.joined(separator: "\n")
        text = "\n" + text + "\n\n\tlast new york line"  // blank lines kept, missing final newline added
        let input = directory.appendingPathComponent("in.txt").path
        let output = directory.appendingPathComponent("out.txt").path
        try text.write(toFile: input, atomically: true, encoding: .utf8)

        var phrases = try Phrases()
        try phrases.learnPass(fromFileAt: input)
        try phrases.apply(fileAt: input, writingTo: output)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == corpus.count + 4)  // leading blank, corpus, blank, last line, "" after final \n
        #expect(lines.first == "" && lines[corpus.count + 1] == "" && lines.last == "")
        #expect(lines[corpus.count + 2] == "last new_york line")
        let expected = phrases.apply(to: corpus).map { $0.joined(separator: " ") }
        #expect(lines[1...corpus.count].map(String.init) == expected)
        // The trainer reads the phrase tokens directly.
        let counts = try WordCounts.count(fileAt: output)
        #expect(counts.count(of: "new_york") == 61)
    }

    @Test func badInputFailsWithOneLineErrorsAndNoOutput() throws {
        var configuration = PhraseConfiguration()
        configuration.scoring = .npmi
        #expect(throws: Word2VecError.invalidConfiguration(setting: "PhraseConfiguration.threshold", problem: "must be in [-1, 1] with PhraseConfiguration.scoring npmi (got 100.0)")) {
            try Phrases(configuration: configuration)
        }
        configuration = PhraseConfiguration()
        configuration.minCount = 0
        #expect(throws: Word2VecError.self) { try Phrases(configuration: configuration) }

        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var phrases = try Phrases()
        let missing = directory.appendingPathComponent("missing.txt").path
        #expect(throws: Word2VecError.self) { try phrases.learnPass(fromFileAt: missing) }
        let empty = directory.appendingPathComponent("empty.txt").path
        try "\n \n".write(toFile: empty, atomically: true, encoding: .utf8)
        #expect(throws: Word2VecError.emptyCorpus(empty)) { try phrases.learnPass(fromFileAt: empty) }
        let output = directory.appendingPathComponent("out.txt").path
        #expect(throws: Word2VecError.self) { try phrases.apply(fileAt: missing, writingTo: output) }
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["empty.txt"])
        #expect(throws: Word2VecError.self) { try phrases.apply(fileAt: empty, writingTo: directory.path) }
    }
}
