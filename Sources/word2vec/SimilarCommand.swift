import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Word2Vec
import Word2VecQueries

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Print the words nearest to the given words (cosine similarity).",
        discussion: """
            The query is the mean of the words' unit vectors minus those of the --negative words, as \
            gensim's most_similar; the query words themselves are not listed. Words may also be joined \
            by + and - (king - man + woman: man is subtracted). Output: 'word<TAB>score' lines, scores \
            with six decimals.

            Without words, reads queries from standard input, one per line, until the end of input or \
            a line EXIT. Each line gets one result: a block of lines followed by an empty line, or one \
            JSON object per line with --json. A blank line gets an empty result; an unknown word too, \
            with a message on stderr (and "error" in JSON), and the loop goes on.

            Examples:
              word2vec similar vectors.bin king --top 5
              word2vec similar vectors.bin king - man + woman
              word2vec similar vectors.bin king queen --negative man --json
              cut -f1 words.tsv | word2vec similar v.bin --json --top 3 > n.jsonl
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Argument(help: "Words to start from, optionally joined by + and -; none for a loop over standard input.")
    var words: [String] = []
    @Option(parsing: .upToNextOption, help: "Words to move away from.") var negative: [String] = []
    @OptionGroup var neighbours: NeighbourOptions
    @OptionGroup var search: IndexOptions
    @Flag(help: "Print JSON (one object per query line in the loop).") var json = false

    func run() throws {
        if words.isEmpty && negative.isEmpty {
            var method: SearchMethod?
            return try QueryLoop.run(input, prompt: "Enter words (e.g. king - man + woman; EXIT or end of input to quit): ") {
                if method == nil { method = try search.method(for: $1, path: input.vectors) }
                try answer($0, index: $1, method: method!)
            }
        }
        let index = try input.load()
        let method = try search.method(for: index, path: input.vectors)
        var query = try QueryExpression(words)
        query.negative += negative
        let result = try index.answer(request(query), using: method)
        if json {
            try JSONOutput.print(result)
        } else {
            printNeighbours(result.neighbours)
        }
    }

    private func request(_ query: QueryExpression) -> SimilarRequest {
        SimilarRequest(positive: query.positive, negative: query.negative, top: neighbours.top, restrict: neighbours.restrict)
    }

    /// One line of the loop: its result, or an empty one and the reason on stderr.
    private func answer(_ words: [String], index: SimilarityIndex, method: SearchMethod) throws {
        var query = QueryExpression(positive: [], negative: [])
        var answer = SimilarAnswer(empty: request(query))
        if !words.isEmpty {
            do {
                query = try QueryExpression(words)
                answer = try index.answer(request(query), using: method)
            } catch let error as Word2VecError {
                if query.positive.isEmpty && query.negative.isEmpty { query.positive = words }
                answer = SimilarAnswer(failed: request(query), error: error)
                QueryLoop.report(error)
            }
        }
        try QueryLoop.print(answer, found: answer.neighbours, json: json)
    }
}
