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

    struct Result: Encodable {
        let a, b, c: String
        let method: String
        /// Empty when the question has no answer (`error` says why).
        let neighbours: [NeighbourRecord]
        let error: String?
        /// Question words outside the vocabulary, answered from their n-grams (subword models).
        var oov: [String]? = nil
    }

    func run() throws {
        if words.isEmpty {
            return try QueryLoop.run(input, prompt: "Enter A B C, or B - A + C (EXIT or end of input to quit): ") {
                try answer($0, index: $1)
            }
        }
        let index = try input.load()
        let found = try index.analogy(words[0], words[1], words[2], method: method, top: neighbours.top, restrictTo: neighbours.restrict)
        if json {
            try JSONOutput.print(Result(a: words[0], b: words[1], c: words[2], method: method.rawValue,
                                        neighbours: found.map(NeighbourRecord.init), error: nil,
                                        oov: index.embeddings.outOfVocabulary(Array(words[0..<3]))))
        } else {
            printNeighbours(found)
        }
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
        var found: [Neighbour] = []
        var failure: Error?
        var question = (a: "", b: "", c: "")
        if !words.isEmpty {
            do {
                question = try Self.question(words)
                found = try index.analogy(question.a, question.b, question.c, method: method, top: neighbours.top, restrictTo: neighbours.restrict)
            } catch let error as Word2VecError {
                failure = error
                QueryLoop.report(error)
            }
        }
        try QueryLoop.print(
            Result(a: question.a, b: question.b, c: question.c, method: method.rawValue,
                   neighbours: found.map(NeighbourRecord.init), error: failure.map { "\($0)" },
                   oov: failure == nil && !words.isEmpty ? index.embeddings.outOfVocabulary([question.a, question.b, question.c]) : nil),
            found: found, json: json)
    }
}
