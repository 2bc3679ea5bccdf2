import Foundation
import Testing
import Word2Vec

/// Counting a file in parallel byte ranges gives exactly what one sequential pass gives.
@Suite struct ParallelCountingTests {
    /// Everything a count exposes: its totals, and every word with its count in the count's own order.
    struct Summary: Equatable, CustomStringConvertible {
        var tokens = 0, sentences = 0, distinct = 0, prunedBelow = 0, longest = 0, singleWord = 0
        var mostFrequent: [String] = []
        /// All other words, in the order the count holds them (first occurrence in the file).
        var others = CountedWords()

        var description: String {
            "tokens \(tokens), sentences \(sentences) (longest \(longest), \(singleWord) of one word), distinct \(distinct), pruned below \(prunedBelow), "
                + "top \(mostFrequent), \(others.count) others starting \(others.entries.prefix(5))"
        }
    }

    /// The order of a count's words is visible through the words a vocabulary leaves out: with the
    /// highest count as the minimum, all others become the vocabulary's rare words, in count order.
    static func summary(_ counts: WordCounts) throws -> Summary {
        var summary = Summary(
            tokens: counts.tokenCount, sentences: counts.sentenceCount, distinct: counts.distinctCount,
            prunedBelow: counts.prunedBelow, longest: counts.longestSentence,
            singleWord: counts.singleWordSentenceCount)
        guard counts.tokenCount > 0 else { return summary }
        var configuration = TrainingConfiguration()
        configuration.minCount = Vocabulary(counts: counts, minCount: 1).counts.first ?? 1
        let (vocabulary, rare) = try Trainer(configuration: configuration).buildVocabulary(counts: counts, source: "test")
        summary.mostFrequent = vocabulary.words
        summary.others = rare
        return summary
    }

    /// What a sequential pass must find, computed independently from the bytes: words are runs of
    /// bytes above 0x20 other than 0x7F, and a sentence is a line holding at least one word.
    static func expectedTotals(_ bytes: [UInt8]) -> (tokens: Int, sentences: Int) {
        var tokens = 0, sentences = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let words = line.split { $0 <= 0x20 || $0 == 0x7F }
            tokens += words.count
            if !words.isEmpty { sentences += 1 }
        }
        return (tokens, sentences)
    }

    /// A random text with what tends to break splitting: CRLF and lone CR, tabs, blank and
    /// whitespace-only lines, words longer than the reader's limit, invalid UTF-8, multi-byte
    /// characters, and a last line with or without a newline.
    static func randomText(seed: UInt64, lines: Int) -> [UInt8] {
        var random = TestRandom(seed: seed)
        let separators: [[UInt8]] = [[0x20], [0x20], [0x20], [0x09], [0x20, 0x20], [0x0D], [0x0B]]
        var bytes: [UInt8] = []
        for line in 0..<lines {
            let length = Int.random(in: 0...12, using: &random)
            for i in 0..<length {
                if i > 0 { bytes += separators.randomElement(using: &random)! }
                switch Int.random(in: 0..<40, using: &random) {
                case 0: bytes += Array(repeating: UInt8(ascii: "L"), count: Int.random(in: 1000...3000, using: &random))
                case 1: bytes += [UInt8(ascii: "b"), 0xFF, 0xC3, UInt8(ascii: "d")]  // invalid UTF-8
                case 2: bytes += Array("café".utf8)
                case 3: bytes += Array("мир\u{301}".utf8)
                default:
                    // Zipf-like: a few frequent words, many rare ones.
                    let rank = Int(pow(2, Double.random(in: 0..<12, using: &random)))
                    bytes += Array("w\(rank)".utf8)
                }
            }
            switch Int.random(in: 0..<10, using: &random) {
            case 0: bytes += [0x0D, 0x0A]
            case 1: bytes += [0x20, 0x0A]
            case 2 where line > 0: bytes += [0x0A, 0x0A]
            default: bytes += [0x0A]
            }
        }
        if Bool.random(using: &random), bytes.last == 0x0A { bytes.removeLast() }
        return bytes
    }

    static func write(_ bytes: [UInt8], in directory: URL, name: String = "text.txt") throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func randomTextsCountTheSameWithEveryThreadCount(seed: UInt64) throws {
        let directory = try temporaryDirectory()
        let bytes = Self.randomText(seed: seed, lines: 40 * Int(seed) * Int(seed))
        let path = try Self.write(bytes, in: directory)
        let sequential = try Self.summary(try WordCounts.count(fileAt: path))
        let expected = Self.expectedTotals(bytes)
        #expect(sequential.tokens == expected.tokens)
        #expect(sequential.sentences == expected.sentences)
        #expect(sequential.distinct > 10)
        for threads in [2, 3, 4, 9] {
            let parallel = try Self.summary(try WordCounts.count(fileAt: path, threads: threads))
            #expect(parallel == sequential, "threads \(threads)")
        }
    }

    /// Split points land everywhere: one text cut after every prefix length, in four parts each.
    @Test func everySplitPointOfASmallText() throws {
        let directory = try temporaryDirectory()
        let full = Array("ab c\r\n\nd  é\tab\u{0B}\n \nc ab\nx".utf8)
        for length in 0...full.count {
            let bytes = Array(full.prefix(length))
            let path = try Self.write(bytes, in: directory, name: "p\(length).txt")
            let sequential = try Self.summary(try WordCounts.count(fileAt: path))
            let expected = Self.expectedTotals(bytes)
            #expect(sequential.tokens == expected.tokens && sequential.sentences == expected.sentences)
            for threads in 2...4 {
                #expect(try Self.summary(try WordCounts.count(fileAt: path, threads: threads)) == sequential,
                        "prefix \(length), threads \(threads)")
            }
        }
    }

    @Test func emptyAndTinyFiles() throws {
        let directory = try temporaryDirectory()
        for text in ["", "\n\n", " \t\r\n", "a", "a b\n", "a\nb"] {
            let path = try Self.write(Array(text.utf8), in: directory)
            let sequential = try Self.summary(try WordCounts.count(fileAt: path))
            for threads in 1...4 {
                let parallel = try Self.summary(try WordCounts.count(fileAt: path, threads: threads))
                #expect(parallel == sequential, "\(text.debugDescription), threads \(threads)")
            }
        }
        let path = try Self.write(Array("a b\nb".utf8), in: directory)
        let counts = try WordCounts.count(fileAt: path, threads: 4)
        #expect(counts.tokenCount == 3 && counts.sentenceCount == 2 && counts.count(of: "b") == 2)
    }

    @Test func gzipInputCountsLikeThePlainText() throws {
        let directory = try temporaryDirectory()
        let bytes = Self.randomText(seed: 7, lines: 500)
        let plain = try Self.write(bytes, in: directory)
        let compressed = directory.appendingPathComponent("text.txt.gz")
        try Gzip.stored(bytes).write(to: compressed)
        let sequential = try Self.summary(try WordCounts.count(fileAt: plain))
        for threads in 1...4 {
            #expect(try Self.summary(try WordCounts.count(fileAt: compressed.path, threads: threads)) == sequential)
        }
    }

    /// Pruning depends on the order words arrive in, so a count over the limit is redone
    /// sequentially: the same words are dropped at the same threshold whatever the threads. Also
    /// when the ranges together hold more words than the limit but the whole file does not (words
    /// shared by all ranges), and when the whole file is just within it.
    @Test(arguments: [(10_010, 1000), (1200, 1000), (990, 1000), (200, 1000)])
    func pruningIsTheSequentialOne(distinctWords: Int, limit: Int) throws {
        let directory = try temporaryDirectory()
        var random = TestRandom(seed: UInt64(distinctWords))
        var lines: [String] = []
        // Frequent words throughout, and every other word about as often as the text's length allows.
        for i in 0..<750 {
            var line = (0..<10).map { "f\($0)" }
            for j in 0..<20 { line.append("r\((i * 20 + j) % distinctWords)") }
            line.shuffle(using: &random)
            lines.append(line.joined(separator: " "))
        }
        let path = try Self.write(Array((lines.joined(separator: "\n") + "\n").utf8), in: directory)
        let sequential = try WordCounts.count(fileAt: path, maxDistinctWords: limit)
        #expect((sequential.prunedBelow > 0) == (distinctWords + 10 > limit))
        let summary = try Self.summary(sequential)
        for threads in 2...4 {
            let parallel = try WordCounts.count(fileAt: path, maxDistinctWords: limit, threads: threads)
            #expect(try Self.summary(parallel) == summary, "threads \(threads)")
        }
        // The corpus type picks fewer threads for a small file; its answer is the same too.
        let corpus = TextFileCorpus(path: path, maxDistinctWords: limit)
        #expect(try Self.summary(try corpus.countWords(threads: 4)) == summary)
        #expect(corpus.prunedBelow == sequential.prunedBelow)
    }

    /// Files above the per-thread minimum are really split by `TextFileCorpus`, and come out the same.
    @Test func corpusCountsLargeFilesInParallelTheSame() throws {
        let directory = try temporaryDirectory()
        var bytes: [UInt8] = []
        var seed: UInt64 = 100
        while bytes.count < 3 << 20 {
            bytes += Self.randomText(seed: seed, lines: 2000)
            bytes.append(0x0A)
            seed += 1
        }
        let path = try Self.write(bytes, in: directory)
        let corpus = TextFileCorpus(path: path)
        let sequential = try Self.summary(try corpus.countWords())
        let expected = Self.expectedTotals(bytes)
        #expect(sequential.tokens == expected.tokens && sequential.sentences == expected.sentences)
        #expect(try Self.summary(try corpus.countWords(threads: 3)) == sequential)
    }
}
