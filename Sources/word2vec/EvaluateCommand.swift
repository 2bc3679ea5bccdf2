import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Word2Vec
import Word2VecQueries

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure word vectors on analogy or word-similarity test sets.",
        subcommands: [EvaluateAnalogiesCommand.self, EvaluateSimilarityCommand.self]
    )
}

struct EvaluateAnalogiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analogies",
        abstract: "Accuracy on an analogy test set such as questions-words.txt.",
        discussion: """
            Same rules, default and counts as gensim's evaluate_word_analogies: only the first \
            --restrict words take part (300000 unless given, gensim's restrict_vocab), words are \
            compared case-insensitively, and questions with a word outside them are skipped and \
            counted. Sections named gram* are syntactic, the others semantic. QUESTIONS may be - for \
            standard input.

            Examples:
              word2vec evaluate analogies vectors.bin questions-words.txt
              word2vec evaluate analogies v.bin questions-words.txt --method mul --json
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Argument(help: "Questions: ': section' lines followed by 'a b c d' lines.") var questions: String
    @Option(help: "Use only the first N words of the vectors (gensim's restrict_vocab).") var restrict = 300_000
    @Option(help: "add (3CosAdd) or mul (3CosMul).") var method: AnalogyMethod = .add
    @Flag(help: "Compare words exactly instead of case-insensitively.") var caseSensitive = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws { try validatePositive(restrict, "--restrict") }

    struct Score: Encodable {
        let name: String
        let correct, incorrect, skipped: Int
        let accuracy: Double

        init(_ score: AnalogyEvaluation.Score) {
            name = score.name
            correct = score.correct
            incorrect = score.incorrect
            skipped = score.skipped
            accuracy = score.accuracy
        }
    }

    struct Report: Encodable {
        let method: String
        let restrict: Int
        let sections: [Score]
        let semantic, syntactic, total: Score
        let questions, oov: Int
        let oov_ratio: Double
        let invalid_lines: [Int]
    }

    func run() throws {
        try OutputChecks.refuseSharing("standard input", [("VECTORS", input.vectors), ("QUESTIONS", questions)].filter { $0.1 == "-" }.map(\.0))
        let test = try AnalogyQuestions.read(from: questions)
        let index = try input.load()
        let result = index.evaluateAnalogies(test, restrictTo: restrict, method: method, caseInsensitive: !caseSensitive)
        if json {
            try JSONOutput.print(Report(
                method: method.rawValue, restrict: result.restrictTo, sections: result.sections.map(Score.init),
                semantic: Score(result.semantic), syntactic: Score(result.syntactic), total: Score(result.total),
                questions: result.questions, oov: result.total.skipped, oov_ratio: result.outOfVocabularyRatio,
                invalid_lines: test.invalidLines))
            return
        }
        var text = ""
        func line(_ score: AnalogyEvaluation.Score) {
            text += "\(score.name): " + String(cFormat: "%.2f%% (%d/%d)", 100 * score.accuracy, score.correct, score.answered)
            text += score.skipped > 0 ? ", \(score.skipped) skipped\n" : "\n"
        }
        result.sections.forEach(line)
        text += "\n"
        line(result.semantic)
        line(result.syntactic)
        line(result.total)
        text += String(
            cFormat: "questions with out-of-vocabulary words (skipped): %d of %d (%.1f%%), vocabulary: first %d words\n",
            result.total.skipped, result.questions, 100 * result.outOfVocabularyRatio, result.restrictTo)
        if !test.invalidLines.isEmpty { text += "lines skipped as not 'a b c d': \(test.invalidLines.count)\n" }
        Output.standardOutput(text)
    }
}

struct EvaluateSimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Correlation with human similarity judgements (wordsim353.tsv, simlex999.txt).",
        discussion: """
            Same rules and values as gensim's evaluate_word_pairs: lines 'word<TAB>word<TAB>score', \
            '#' comments, other lines skipped; only the first --restrict words take part, compared \
            case-insensitively; pairs with a word outside them are skipped and counted. PAIRS may be - \
            for standard input.

            Examples:
              word2vec evaluate similarity vectors.bin wordsim353.tsv
              word2vec evaluate similarity vectors.bin simlex999.txt --json
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Argument(help: "Word pairs with human scores, tab-separated.") var pairs: String
    @Option(help: "Use only the first N words of the vectors.") var restrict = 300_000
    @Flag(help: "Compare words exactly instead of case-insensitively.") var caseSensitive = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws { try validatePositive(restrict, "--restrict") }

    struct Report: Encodable {
        let pearson, spearman: Double?
        let pairs, oov: Int
        let oov_ratio: Double
        let restrict: Int
        let invalid_lines: [Int]

        func encode(to encoder: Encoder) throws {
            // Undefined coefficients appear as null rather than disappearing.
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(pearson, forKey: .pearson)
            try container.encode(spearman, forKey: .spearman)
            try container.encode(pairs, forKey: .pairs)
            try container.encode(oov, forKey: .oov)
            try container.encode(oov_ratio, forKey: .oov_ratio)
            try container.encode(restrict, forKey: .restrict)
            try container.encode(invalid_lines, forKey: .invalid_lines)
        }

        enum CodingKeys: String, CodingKey { case pearson, spearman, pairs, oov, oov_ratio, restrict, invalid_lines }
    }

    func run() throws {
        try OutputChecks.refuseSharing("standard input", [("VECTORS", input.vectors), ("PAIRS", pairs)].filter { $0.1 == "-" }.map(\.0))
        let test = try WordPairs.read(from: pairs)
        let index = try input.load()
        let result = try index.evaluateSimilarity(test, restrictTo: restrict, caseInsensitive: !caseSensitive, source: pairs)
        if json {
            try JSONOutput.print(Report(
                pearson: result.pearson, spearman: result.spearman, pairs: result.pairs, oov: result.outOfVocabulary,
                oov_ratio: result.outOfVocabularyRatio, restrict: result.restrictTo, invalid_lines: test.invalidLines))
            return
        }
        func format(_ value: Double?) -> String { value.map { String(cFormat: "%.4f", $0) } ?? "undefined" }
        let text = """
            pearson: \(format(result.pearson))
            spearman: \(format(result.spearman))
            pairs: \(result.pairs), out of vocabulary (skipped): \(result.outOfVocabulary) \
            (\(String(cFormat: "%.1f%%", 100 * result.outOfVocabularyRatio))), vocabulary: first \(result.restrictTo) words

            """
        Output.standardOutput(text)
    }
}
