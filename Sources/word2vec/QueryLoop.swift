import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Word2Vec
import Word2VecQueries

/// The loop of the query commands without query arguments (the C tool's `distance` and
/// `word-analogy`): one query per line of standard input until its end or a line `EXIT`.
///
/// Every line gets exactly one result, so that output lines (JSON) or blocks (text) stay aligned
/// with input lines: a blank line gets an empty one, a line that cannot be answered (an unknown
/// word, a malformed expression) an empty one too, with the reason on stderr and, in JSON, in the
/// result's `error`.
enum QueryLoop {
    /// Calls `answer` with the words of each line. `prompt` is shown only when standard input is a
    /// terminal, so that piped input gives clean output.
    static func run(prompt: String, _ answer: (_ words: [String]) throws -> Void) throws {
        let prompting = isatty(STDIN_FILENO) != 0
        while true {
            if prompting { Output.standardOutput(prompt) }
            guard let line = readLine(strippingNewline: true) else { break }
            let words = splitWords(line)
            if words == ["EXIT"] { break }
            if words.isEmpty && prompting { continue }
            try answer(words)
        }
    }

    /// Loads the vectors of `input` once and calls `answer` with the words of each line and them.
    /// - Throws: `ValidationError` if the vectors come from standard input, where the queries come from.
    static func run(
        _ input: VectorFileOptions, prompt: String, _ answer: (_ words: [String], _ index: SimilarityIndex) throws -> Void
    ) throws {
        if input.vectors == "-" {
            throw ValidationError("the vectors are read from standard input (-): give the query words as arguments")
        }
        let index = try input.load()
        try run(prompt: prompt) { try answer($0, index) }
    }

    /// Prints one line's result: `result` as one line of JSON, or `found` as a block ended by an
    /// empty line.
    static func print(_ result: some Encodable, found: [Neighbour], json: Bool) throws {
        try print(result, found: found.map(NeighbourRecord.init), json: json)
    }

    /// Prints one line's result: `result` as one line of JSON, or `found` as a block ended by an
    /// empty line.
    static func print(_ result: some Encodable, found: [NeighbourRecord], json: Bool) throws {
        if json {
            try JSONOutput.print(result)
        } else {
            printNeighbours(found)
            Output.standardOutput("\n")
        }
    }

    /// Reports a query that got no answer: one line on stderr.
    static func report(_ error: Error) {
        Output.standardError("word2vec: \(error)\n")
    }
}

/// How many neighbours `similar` and `analogy` print, and among which words.
struct NeighbourOptions: ParsableArguments {
    @Option(help: "Number of words to print.") var top = 10
    @Option(help: "Consider only the first N words as answers.") var restrict: Int?

    func validate() throws {
        try validatePositive(top, "--top")
        try validatePositive(restrict, "--restrict")
    }
}

/// A query written as words joined by `+` and `-` (`king - man + woman`): words after `-` are
/// subtracted, the others added. Without operators every word is added, as gensim's most_similar
/// with positive words only.
struct QueryExpression: Equatable {
    var positive: [String] = []
    var negative: [String] = []

    /// - Throws: `Word2VecError.invalidOption` for an operator not followed by a word.
    init(_ tokens: [String]) throws {
        var subtract = false
        var pending: String?
        for token in tokens {
            if token == "+" || token == "-" {
                if let pending { throw Self.dangling(pending) }
                subtract = token == "-"
                pending = token
                continue
            }
            if subtract { negative.append(token) } else { positive.append(token) }
            subtract = false
            pending = nil
        }
        if let pending { throw Self.dangling(pending) }
    }

    init(positive: [String], negative: [String]) {
        self.positive = positive
        self.negative = negative
    }

    private static func dangling(_ token: String) -> Word2VecError {
        .invalidOption("query", "has '\(token)' without a word after it (write words joined by + and -, e.g. king - man + woman)")
    }

    var description: String {
        (positive.map { "+ \($0)" } + negative.map { "- \($0)" }).joined(separator: " ")
    }
}
