import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Word2Vec

struct AnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analogy",
        abstract: "Complete 'A is to B as C is to ?' (e.g. man king woman -> queen).",
        discussion: """
            --method add (3CosAdd) ranks words by cosine with B - A + C (unit vectors), as gensim's \
            most_similar(positive=[B, C], negative=[A]); --method mul (3CosMul, Levy & Goldberg 2014) \
            as gensim's most_similar_cosmul. A, B and C are not listed.
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Argument(help: "A") var a: String
    @Argument(help: "B") var b: String
    @Argument(help: "C") var c: String
    @Option(help: "add (3CosAdd) or mul (3CosMul).") var method: AnalogyMethod = .add
    @Option(help: "Number of words to print.") var top = 10
    @Option(help: "Consider only the first N words as answers.") var restrict: Int?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        try validatePositive(top, "--top")
        try validatePositive(restrict, "--restrict")
    }

    struct Result: Encodable {
        let a, b, c: String
        let method: String
        let neighbours: [NeighbourRecord]
    }

    func run() throws {
        let index = try input.load()
        let found = try index.analogy(a, b, c, method: method, top: top, restrictTo: restrict)
        if json {
            try JSONOutput.print(Result(a: a, b: b, c: c, method: method.rawValue, neighbours: found.map(NeighbourRecord.init)))
        } else {
            printNeighbours(found)
        }
    }
}
