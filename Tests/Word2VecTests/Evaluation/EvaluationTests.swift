import Foundation
import Testing
import Word2Vec

@Suite struct CorrelationTests {
    @Test func ranksAverageTies() {
        #expect(Correlation.ranks([10, 20, 20, 20, 5]) == [2, 4, 4, 4, 1])
        #expect(Correlation.ranks([3, 1, 2]) == [3, 1, 2])
    }

    @Test func spearmanWithTiesMatchesHandComputation() throws {
        // Ranks x = [1, 2.5, 2.5, 4], y = [1, 3, 2, 4]; centred: [-1.5, 0, 0, 1.5] and
        // [-1.5, 0.5, -0.5, 1.5]; rho = 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10).
        let rho = try #require(Correlation.spearman([1, 2, 2, 3], [1, 3, 2, 4]))
        #expect(abs(rho - 3 / 10.0.squareRoot()) < 1e-12)
    }

    @Test func spearmanOfMonotoneDataIsOne() throws {
        #expect(abs(try #require(Correlation.spearman([1, 2, 3, 4], [1, 10, 100, 1000])) - 1) < 1e-15)
        #expect(abs(try #require(Correlation.spearman([1, 2, 3, 4], [4, 3, 2, 1])) + 1) < 1e-15)
    }

    @Test func pearsonMatchesHandComputation() throws {
        // Centred x = [-1, 0, 1], y = [-7/3, -1/3, 8/3]: r = 5 / sqrt(2 * 114 / 9).
        let r = try #require(Correlation.pearson([1, 2, 3], [2, 4, 7]))
        #expect(abs(r - 5 / (2 * 114 / 9.0).squareRoot()) < 1e-12)
    }

    @Test func undefinedCoefficientsAreNil() {
        #expect(Correlation.pearson([1, 2, 3], [5, 5, 5]) == nil)
        #expect(Correlation.spearman([1], [2]) == nil)
    }
}

@Suite struct AnalogyEvaluationTests {
    let directory = TestDirectory()

    /// Capitals on axes 0-2 with countries one step along axis 3; adjectives on axes 4-5 with
    /// comparatives one step along axis 6. "Rome" (a case variant stored after "rome") points
    /// exactly at france - paris + rome, so it is the best candidate for that question and must be
    /// passed over as a spelling of the query word "rome".
    static func vectors() throws -> SimilarityIndex {
        func v(_ pairs: [Int: Float]) -> [Float] { (0..<8).map { pairs[$0] ?? 0 } }
        let h = Float(0.5).squareRoot()
        return SimilarityIndex(try embeddings([
            ("paris", v([0: 1])), ("france", v([0: 1, 3: 1])), ("rome", v([1: 1])), ("italy", v([1: 1, 3: 1])),
            ("Rome", v([0: h - 1, 1: 1, 3: h])), ("berlin", v([2: 1])), ("germany", v([2: 1, 3: 1])),
            ("big", v([4: 1])), ("bigger", v([4: 1, 6: 1])), ("small", v([5: 1])), ("smaller", v([5: 1, 6: 1])),
        ]))
    }

    var questions: String {
        directory.file("questions.txt", """
            : capital-common-countries
            paris france rome italy
            Paris France Berlin Germany
            paris france madrid spain
            paris france
            : gram3-comparative\r
            big bigger small smaller
            big bigger paris germany

            """)
    }

    @Test func readsSectionsAndSkipsInvalidLines() throws {
        let test = try AnalogyQuestions.read(from: questions)
        #expect(test.sections.map(\.name) == ["capital-common-countries", "gram3-comparative"])
        #expect(test.sections.map(\.questions.count) == [3, 2])
        #expect(test.sections[0].questions[1] == .init("Paris", "France", "Berlin", "Germany", line: 3))
        #expect(test.invalidLines == [5])
        #expect(test.sections.map(\.isSyntactic) == [false, true])
    }

    @Test func questionsBeforeAnySectionAreAnError() {
        let path = directory.file("q.txt", "a b c d\n")
        #expect(word2VecError { _ = try AnalogyQuestions.read(from: path) }
            == .malformedFile(path, line: 1, "expected a section header ': name' before the first question"))
    }

    @Test func countsCorrectIncorrectAndSkippedLikeGensim() throws {
        let result = try Self.vectors().evaluateAnalogies(try AnalogyQuestions.read(from: questions))
        #expect(result.sections == [
            .init(name: "capital-common-countries", correct: 2, incorrect: 0, skipped: 1),
            .init(name: "gram3-comparative", correct: 1, incorrect: 1, skipped: 0),
        ])
        #expect(result.semantic == .init(name: "semantic", correct: 2, incorrect: 0, skipped: 1))
        #expect(result.syntactic == .init(name: "syntactic", correct: 1, incorrect: 1, skipped: 0))
        #expect(result.total == .init(name: "total", correct: 3, incorrect: 1, skipped: 1))
        #expect(result.questions == 5)
        #expect(abs(result.outOfVocabularyRatio - 0.2) < 1e-12)
        #expect(result.total.accuracy == 0.75)
    }

    @Test func restrictKeepsOnlyTheFirstRows() throws {
        let result = try Self.vectors().evaluateAnalogies(try AnalogyQuestions.read(from: questions), restrictTo: 4)
        // Only paris, france, rome, italy take part: the first question alone is asked.
        #expect(result.total == .init(name: "total", correct: 1, incorrect: 0, skipped: 4))
        #expect(result.restrictTo == 4)
    }

    @Test func caseSensitiveComparisonDoesNotMergeSpellings() throws {
        let result = try Self.vectors().evaluateAnalogies(
            try AnalogyQuestions.read(from: questions), caseInsensitive: false)
        // "Paris France Berlin Germany" is now out of vocabulary, and "Rome" is a word of its own
        // that wins the first question.
        #expect(result.sections[0] == .init(name: "capital-common-countries", correct: 0, incorrect: 1, skipped: 2))
    }

    @Test func threeCosMulAnswersTheCapitalQuestion() throws {
        let test = AnalogyQuestions(sections: [.init(name: "capitals", questions: [.init("paris", "france", "rome", "italy")])])
        // italy: (1.5 / 2)(1.7071 / 2) / (1 / 2) = 1.280; the variant "Rome" scores 1.441 but is
        // passed over; germany 0.75.
        let result = try Self.vectors().evaluateAnalogies(test, method: .mul)
        #expect(result.total == .init(name: "total", correct: 1, incorrect: 0, skipped: 0))
    }
}

@Suite struct SimilarityEvaluationTests {
    let directory = TestDirectory()

    var pairs: String {
        directory.file("pairs.txt", """
            # comment\r
            Word 1\tWord 2\tHuman (mean)\r
            paris\tfrance\t8\r
            ROME\titaly\t7.5\r
            paris\tberlin\t2\r
            big\tsmall\t 2 \r
            nope\tparis\t3\r
            bad line\r

            """)
    }

    @Test func readsTheWordSimLayout() throws {
        let test = try WordPairs.read(from: pairs)
        #expect(test.pairs.map(\.first) == ["paris", "ROME", "paris", "big", "nope"])
        #expect(test.pairs.map(\.score) == [8, 7.5, 2, 2, 3])
        #expect(test.invalidLines == [2, 8])
    }

    @Test func correlatesWithHandComputedValues() throws {
        let result = try AnalogyEvaluationTests.vectors().evaluateSimilarity(try WordPairs.read(from: pairs))
        // Human [8, 7.5, 2, 2], model [0.7071, 0.7071, 0, 0].
        // Spearman: ranks [4, 3, 1.5, 1.5] and [3.5, 3.5, 1.5, 1.5] give 4 / sqrt(4.5 * 4).
        // Pearson: centred human [3.125, 2.625, -2.875, -2.875] against [m, m, -m, -m] / 2
        // gives 5.75 / sqrt(33.1875).
        #expect(abs(try #require(result.spearman) - 4 / 18.0.squareRoot()) < 1e-12)
        #expect(abs(try #require(result.pearson) - 5.75 / 33.1875.squareRoot()) < 1e-7)
        #expect(result.pairs == 4)
        #expect(result.outOfVocabulary == 1)
        #expect(abs(result.outOfVocabularyRatio - 0.2) < 1e-12)
    }

    @Test func noUsablePairIsAnError() throws {
        let path = directory.file("p.txt", "nope\tnada\t1\n")
        let error = word2VecError {
            _ = try AnalogyEvaluationTests.vectors().evaluateSimilarity(try WordPairs.read(from: path), source: path)
        }
        #expect(error == .invalidOption(path, "has no pair of words both among the first 11 words of the vectors"))
    }

    @Test func invalidUTF8IsReportedWithItsLine() {
        let path = directory.file("p.txt", bytes: Array("a\tb\t1\n".utf8) + [0x61, 0xFF, 0x0A])
        #expect(word2VecError { _ = try WordPairs.read(from: path) } == .malformedFile(path, line: 2, "not valid UTF-8"))
    }
}

/// `evaluate analogies` follows gensim's default `restrict_vocab=300000` (issue 9).
@Suite struct AnalogyRestrictDefaultTests {
    let directory = TestDirectory()

    /// 30,010 vectors; the question's words are all past row 30,000, where the old default stopped.
    func files() -> (vectors: String, questions: String) {
        var text = "30010 2\n"
        for row in 0..<30_010 { text += "w\(row) \(row % 7) \(row % 11 + 1)\n" }
        let vectors = directory.file("v.txt", text)
        let questions = directory.file("q.txt", ": s\nw30001 w30002 w30003 w30004\n")
        return (vectors, questions)
    }

    @Test func libraryDefaultReachesPastRow30000() throws {
        let (vectors, questions) = files()
        let result = SimilarityIndex(try Embeddings.load(path: vectors)).evaluateAnalogies(try AnalogyQuestions.read(from: questions))
        #expect(result.restrictTo == 30_010)
        #expect(result.total.skipped == 0 && result.total.answered == 1)
    }

    @Test func commandDefaultReachesPastRow30000AndHelpSaysSo() throws {
        let (vectors, questions) = files()
        let run = try runWord2Vec(["evaluate", "analogies", vectors, questions, "--json"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["restrict"] as? Int == 30_010)
        #expect(object["oov"] as? Int == 0)
        let help = try runWord2Vec(["evaluate", "analogies", "--help"])
        #expect(help.standardOutput.contains("300000"))
        #expect(!help.standardOutput.contains("30000 "))
    }
}
