import Foundation
import Testing
import Word2Vec

/// Seeded mutation fuzzing of every reader of user files: each must accept a mutant (and then return
/// something sound) or reject it with a `Word2VecError`. `swift test` runs a short pass; set
/// `WORD2VEC_FUZZ_CASES` (see `FuzzHarness`) or run `Benchmarks/fuzz.sh` for a long one.
@Suite struct ReaderFuzzTests {
    // MARK: Vector files

    static let textVectors: [[UInt8]] = [
        Array("3 4\nthe 0.100000 -0.200000 3.000000 1e-3 \nof 1.000000 2.000000 -3.500000 0 \nи 5 6 7 8 \n".utf8),
        Array("2 2\r\nkangaroo.n.01 -0.0007369244245224787 -8.269973595356034e-05\r\nhorse 1E+2 +2.5\r\n".utf8),
        Array("1 3\ncafe\u{301}\t1\t2\t3\n".utf8),
    ]

    static let binaryVectors: [[UInt8]] = [
        Array("2 3\n".utf8) + Array("the ".utf8) + floatBytes([1, -2, 0.5]) + [0x0A] + Array("of ".utf8)
            + floatBytes([0.25, 3, -1]) + [0x0A],
        Array("3 2\n".utf8) + Array("a ".utf8) + floatBytes([1, 2]) + Array("b ".utf8) + floatBytes([3, 4])
            + Array("пре ".utf8) + floatBytes([-1e-3, 1e3]),
    ]

    static let gloveVectors: [[UInt8]] = [
        Array("the 0.418 0.24968 -0.41242\n, 0.013441 0.23682 -0.16899\n\n".utf8),
        Array("a 1 2 3 4\nb 5 6 7 8\nc -1 -2 -3 -4\n".utf8),
    ]

    /// What every loaded `Embeddings` must satisfy, whatever file it came from.
    static func soundness(_ embeddings: Embeddings) -> String? {
        guard embeddings.vectors.rows == embeddings.count else { return "\(embeddings.count) words for \(embeddings.vectors.rows) rows" }
        var seen = Set<[UInt8]>()
        for (row, word) in embeddings.words.enumerated() {
            let bytes = Array(word.utf8)
            if bytes.isEmpty || bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
                return "word \(row + 1) \(word.debugDescription) is empty or holds a space or control byte"
            }
            if !seen.insert(bytes).inserted { return "word \(word.debugDescription) appears twice" }
            if embeddings.index(of: word) != row { return "word \(word.debugDescription) is not found at its row" }
            if embeddings.vectors.row(row).contains(where: { !$0.isFinite }) { return "row \(row + 1) holds a non-finite value" }
        }
        return nil
    }

    @Test func vectorTextReader() throws {
        let report = try FuzzHarness.run("vector-text", examples: Self.textVectors, read: { path in
            (try? Embeddings.load(path: path, format: .text), try Embeddings.load(path: path))
        }, check: { loaded in loaded.0.flatMap(Self.soundness) ?? Self.soundness(loaded.1) })
        Self.expectSound(report)
    }

    @Test func vectorBinaryReader() throws {
        let report = try FuzzHarness.run("vector-binary", examples: Self.binaryVectors, extension: "bin", read: { path in
            (try? Embeddings.load(path: path, limit: 1), try Embeddings.load(path: path, format: .binary))
        }, check: { loaded in loaded.0.flatMap(Self.soundness) ?? Self.soundness(loaded.1) })
        Self.expectSound(report)
    }

    @Test func headerlessVectorReader() throws {
        let report = try FuzzHarness.run("vector-headerless", examples: Self.gloveVectors, read: { path in
            (try? Embeddings.load(path: path), try Embeddings.load(path: path, format: .headerless))
        }, check: { loaded in loaded.0.flatMap(Self.soundness) ?? Self.soundness(loaded.1) })
        Self.expectSound(report)
    }

    // MARK: Vocabulary, evaluation sets, corpus

    @Test func vocabularyReader() throws {
        let examples = [
            Array("</s> 0\nthe 1061396\nof 593677\nи 12\nLiège 3\nLie\u{300}ge 2\n".utf8),
            Array("a\t5\r\nb 3\r\n\r\nc 1\r\n".utf8),
        ]
        let report = try FuzzHarness.run("vocabulary", examples: examples, read: { path in
            try Vocabulary.read(from: path)
        }, check: { vocabulary in
            if vocabulary.totalCount > Vocabulary.maximumTotalCount { return "total \(vocabulary.totalCount) above the bound" }
            if vocabulary.counts.contains(where: { $0 < 0 }) { return "a negative count" }
            if let word = vocabulary.words.first(where: { $0.utf8.isEmpty || $0.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) }) {
                return "word \(word.debugDescription) is empty or holds a space or control byte"
            }
            return nil
        })
        Self.expectSound(report)
    }

    @Test func analogyQuestionsReader() throws {
        let examples = [
            Array(": capital-common-countries\nAthens Greece Baghdad Iraq\nBangkok Thailand Beijing China\n: gram1-adjective-to-adverb\namazing amazingly apparent apparently\n".utf8),
            Array(": city\r\nПариж Франция Берлин Германия\r\nbad line\n".utf8),
        ]
        let index = SimilarityIndex(try embeddings([("Athens", [1, 0]), ("Greece", [0, 1]), ("baghdad", [1, 1]), ("Iraq", [0, -1])]))
        let report = try FuzzHarness.run("analogy-questions", examples: examples, read: { path in
            let questions = try AnalogyQuestions.read(from: path)
            // The questions must also be usable: evaluation sees every word the reader let through.
            _ = index.evaluateAnalogies(questions, restrictTo: 3)
            return questions
        }, check: { questions in
            questions.sections.flatMap(\.questions).contains { [$0.a, $0.b, $0.c, $0.expected].contains("") }
                ? "a question with an empty word" : nil
        })
        Self.expectSound(report)
    }

    @Test func wordPairsReader() throws {
        let examples = [
            Array("# Word 1\tWord 2\tHuman (mean)\nlove\tsex\t6.77\ntiger\tcat\t7.35\nbook\tpaper\t 7.46 \n".utf8),
            Array("old\tnew\t1.58\r\nsmart\tintelligent\t9.2\rhard\tdifficult\t8.77\n".utf8),
        ]
        let index = SimilarityIndex(try embeddings([("love", [1, 0]), ("sex", [0, 1]), ("tiger", [1, 1]), ("cat", [0, -1])]))
        let report = try FuzzHarness.run("word-pairs", examples: examples, read: { path in
            // Scores such as nan, inf or 1e308 reach the correlations, which must not trap on them.
            try index.evaluateSimilarity(try WordPairs.read(from: path), source: path)
        }, check: { result in
            [result.pearson, result.spearman].contains { $0.map { abs($0) > 1 } ?? false } ? "a correlation beyond [-1, 1]" : nil
        })
        Self.expectSound(report)
    }

    @Test func corpusTokenReader() throws {
        let examples = [
            Array("the quick brown fox\njumps over the lazy dog\n\nthe end\n".utf8),
            Array("anarchism originated as a term of abuse first used against early working class radicals".utf8),
            Array("мама мыла раму\r\n\tcafé cafe\u{301}  \u{0B}x\n".utf8),
        ]
        let vocabulary = Vocabulary(entries: [("the", 3), ("fox", 1), ("мама", 1)])
        let report = try FuzzHarness.run("corpus", examples: examples, read: { path -> (Int, Int, Bool) in
            let corpus = TextFileCorpus(path: path)
            let counts = try corpus.countWords()
            // Reading in two parts covers each known token exactly once.
            var known = 0
            for part in 0..<2 {
                try corpus.forEachSentence(part: part, of: 2, vocabulary: vocabulary, maxLength: 3) { known += $0.count }
            }
            let expected = vocabulary.words.reduce(0) { $0 + counts.count(of: $1) }
            // Counting in three parallel ranges finds the same words, counts and sentences.
            let parallel = try WordCounts.count(fileAt: path, threads: 3)
            let same = try ParallelCountingTests.summary(parallel) == ParallelCountingTests.summary(counts)
            return (known, expected, same)
        }, check: { known, expected, same in
            known != expected ? "the two parts hold \(known) known tokens, counting found \(expected)"
                : same ? nil : "counting in 3 threads differs from counting in one"
        })
        Self.expectSound(report)
    }

    /// The mutator itself: deterministic, and varied enough that fuzzing exercises both outcomes.
    @Test func mutatorIsDeterministicAndVaried() {
        let example = Self.textVectors[0]
        let first = mutants(of: example, count: 200, seed: 7)
        #expect(first == mutants(of: example, count: 200, seed: 7))
        #expect(first != mutants(of: example, count: 200, seed: 8))
        #expect(Set(first).count > 150)
        #expect(first.contains { $0.count < example.count } && first.contains { $0.count > example.count })
        #expect(Mutator(examples: [example], seed: 7).mutant(123) == first[123])
    }

    static func expectSound(_ report: FuzzHarness.Report, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(report.findingCount == 0, "\(report)", sourceLocation: sourceLocation)
        // A harness that only ever saw errors (or only successes) would prove nothing.
        if report.cases >= 100 {
            #expect(report.accepted > 0 && report.rejected > 0 || report.name == "corpus" || report.name.hasPrefix("analogy")
                || report.name == "word-pairs", "\(report)", sourceLocation: sourceLocation)
        }
    }
}
