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

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Print the words nearest to the given words (cosine similarity).",
        discussion: """
            The query is the mean of the words' unit vectors minus those of the --negative words, as \
            gensim's most_similar; the query words themselves are not listed. Without words, reads \
            queries from standard input, one per line (words separated by spaces), until an empty line, \
            EXIT or the end of input; an unknown word there is reported on stderr and the loop goes on.
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Argument(help: "Words to start from; none for an interactive loop on standard input.") var words: [String] = []
    @Option(parsing: .upToNextOption, help: "Words to move away from.") var negative: [String] = []
    @Option(help: "Number of words to print.") var top = 10
    @Option(help: "Consider only the first N words as answers.") var restrict: Int?
    @Flag(help: "Print JSON (one object per query line in the interactive loop).") var json = false

    func validate() throws {
        try validatePositive(top, "--top")
        try validatePositive(restrict, "--restrict")
    }

    func run() throws {
        let index = try input.load()
        if words.isEmpty && negative.isEmpty {
            try interactive(index)
            return
        }
        let found = try index.mostSimilar(positive: words, negative: negative, top: top, restrictTo: restrict)
        try output(found, positive: words, negative: negative, pretty: true)
    }

    struct Result: Encodable {
        let positive: [String]
        let negative: [String]
        let neighbours: [NeighbourRecord]?
        let error: String?
    }

    private func output(_ found: [Neighbour], positive: [String], negative: [String], pretty: Bool) throws {
        if json {
            try JSONOutput.print(
                Result(positive: positive, negative: negative, neighbours: found.map(NeighbourRecord.init), error: nil),
                pretty: pretty)
        } else {
            printNeighbours(found)
        }
    }

    /// The C tool's `distance` loop; prompts only when standard input is a terminal, so that piped
    /// input gives clean output.
    private func interactive(_ index: SimilarityIndex) throws {
        let prompting = isatty(STDIN_FILENO) != 0
        var first = true
        while true {
            if prompting {
                Output.standardOutput("Enter words (EXIT or an empty line to quit): ")
            }
            guard let line = readLine(strippingNewline: true) else { break }
            let query = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if query.isEmpty || query == ["EXIT"] { break }
            if !json && !first { Output.standardOutput("\n") }
            first = false
            do {
                let found = try index.mostSimilar(positive: query, top: top, restrictTo: restrict)
                try output(found, positive: query, negative: [], pretty: false)
            } catch let error as Word2VecError {
                if json {
                    try JSONOutput.print(
                        Result(positive: query, negative: [], neighbours: nil, error: "\(error)"), pretty: false)
                } else {
                    Output.standardError("word2vec: \(error)\n")
                }
            }
        }
    }
}
