import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Word2Vec
import Word2VecQueries

struct AnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analogy",
        abstract: "Complete 'A is to B as C is to ?' (e.g. man king woman -> queen).",
        discussion: """
            --method add (3CosAdd) ranks words by cosine with B - A + C (unit vectors), as gensim's \
            most_similar(positive=[B, C], negative=[A]); --method mul (3CosMul, Levy & Goldberg 2014) \
            as gensim's most_similar_cosmul. A, B and C are not listed. Output: 'word<TAB>score' lines.

            Without A B C, reads questions from standard input until its end or a line EXIT, one per \
            line: 'A B C' (the C tool's word-analogy) or 'B - A + C'. Each line gets one result (a block \
            followed by an empty line, or one JSON object per line with --json); a blank line, an unknown \
            word or a malformed line gets an empty result, with the reason on stderr.

            Examples:
              word2vec analogy vectors.bin man king woman
              word2vec analogy vectors.bin man king woman --method mul --top 1 --json
              printf 'man king woman\\nparis - france + italy\\n' |
                word2vec analogy vectors.bin --top 1
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Argument(help: "A, B and C; none for a loop over standard input.") var words: [String] = []
    @Option(help: "add (3CosAdd) or mul (3CosMul).") var method: AnalogyMethod = .add
    @OptionGroup var neighbours: NeighbourOptions
    @Flag(help: "Print JSON (one object per question line in the loop).") var json = false

    func validate() throws {
        if !words.isEmpty && words.count != 3 {
            throw ValidationError("give three words A B C (A is to B as C is to ?), or none to read questions from standard input")
        }
    }

    func run() throws {
        if words.isEmpty {
            return try QueryLoop.run(input, prompt: "Enter A B C, or B - A + C (EXIT or end of input to quit): ") {
                try answer($0, index: $1)
            }
        }
        let result = try input.load().answer(request(words[0], words[1], words[2]))
        if json {
            try JSONOutput.print(result)
        } else {
            printNeighbours(result.neighbours)
        }
    }

    private func request(_ a: String, _ b: String, _ c: String) -> AnalogyRequest {
        AnalogyRequest(a: a, b: b, c: c, method: method, top: neighbours.top, restrict: neighbours.restrict)
    }

    /// A, B and C of a question line: 'A B C' or 'B - A + C' (any order of the two added words).
    static func question(_ words: [String]) throws -> (a: String, b: String, c: String) {
        if words.count == 3, !words.contains("+"), !words.contains("-") { return (words[0], words[1], words[2]) }
        let query = try QueryExpression(words)
        guard query.positive.count == 2, query.negative.count == 1 else {
            throw Word2VecError.invalidOption(
                "question", "'\(words.joined(separator: " "))' is neither 'A B C' nor 'B - A + C'")
        }
        return (query.negative[0], query.positive[0], query.positive[1])
    }

    private func answer(_ words: [String], index: SimilarityIndex) throws {
        var question = (a: "", b: "", c: "")
        var answer = AnalogyAnswer(failed: request("", "", ""), error: nil)
        if !words.isEmpty {
            do {
                question = try Self.question(words)
                answer = try index.answer(request(question.a, question.b, question.c))
            } catch let error as Word2VecError {
                answer = AnalogyAnswer(failed: request(question.a, question.b, question.c), error: error)
                QueryLoop.report(error)
            }
        }
        try QueryLoop.print(answer, found: answer.neighbours, json: json)
    }
}
