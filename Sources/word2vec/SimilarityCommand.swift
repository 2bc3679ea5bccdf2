import ArgumentParser
import Word2Vec
import Word2VecQueries

struct SimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Print the cosine similarity of two words (gensim's similarity).",
        discussion: """
            Prints the cosine with six decimals. An unknown word is an error (exit status 1), unless \
            the model has subwords: then its vector comes from its character n-grams ("oov" in JSON).

            Example:
              word2vec similarity vectors.bin king queen
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Argument(help: "First word.") var a: String
    @Argument(help: "Second word.") var b: String
    @Flag(help: "Print JSON: {a, b, similarity}.") var json = false

    func run() throws {
        let answer = try input.load().answer(SimilarityRequest(a: a, b: b))
        try printSimilarity(answer.similarity, record: answer, json: json)
    }
}

struct NSimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "n-similarity",
        abstract: "Print the cosine similarity of two sets of words (gensim's n_similarity).",
        discussion: """
            The cosine of the mean of each set's raw vectors, as gensim 4's n_similarity (which does not \
            normalise the vectors before averaging them). An unknown word is an error (gensim skips it \
            silently).

            Example:
              word2vec n-similarity v.bin --first sushi shop --second japanese food
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Option(parsing: .upToNextOption, help: "Words of the first set.") var first: [String]
    @Option(parsing: .upToNextOption, help: "Words of the second set.") var second: [String]
    @Flag(help: "Print JSON: {first, second, similarity}.") var json = false

    func run() throws {
        let answer = try input.load().answer(NSimilarityRequest(first: first, second: second))
        try printSimilarity(answer.similarity, record: answer, json: json)
    }
}

/// Prints `similarity` with six decimals, or with `--json` its `record` (`similarity` and `n-similarity`).
private func printSimilarity(_ similarity: Float, record: some Encodable, json: Bool) throws {
    if json {
        try JSONOutput.print(record)
    } else {
        Output.standardOutput(String(cFormat: "%.6f", Double(similarity)) + "\n")
    }
}

struct DoesntMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doesnt-match",
        abstract: "Print the word that fits least with the others (gensim's doesnt_match).",
        discussion: """
            Ranks the words by cosine with the normalised mean of their unit vectors and prints the \
            lowest, as gensim's doesnt_match (equal scores: the word first in code-point order). --json \
            also gives the whole ranking, most central first (gensim's rank_by_centrality). An unknown \
            word is an error (gensim skips it with a warning).

            Example:
              word2vec doesnt-match vectors.bin breakfast cereal dinner lunch
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Argument(help: "The words to compare.") var words: [String]
    @Flag(help: "Print JSON: {words, answer, ranking: [{word, index, score}]}.") var json = false

    func run() throws {
        let answer = try input.load().answer(DoesntMatchRequest(words: words))
        if json {
            try JSONOutput.print(answer)
        } else {
            Output.standardOutput(answer.answer + "\n")
        }
    }
}
