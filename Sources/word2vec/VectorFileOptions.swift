import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Word2Vec

extension AnalogyMethod: ExpressibleByArgument {}

/// The vector file argument and reading options shared by the query and evaluation commands.
struct VectorFileOptions: ParsableArguments {
    @Argument(help: "Word vectors: a model file, word2vec text or binary (C tool, gensim), a fastText .bin model or .vec, or GloVe text.")
    var vectors: String

    @Option(help: "Read only the first N vectors (the most frequent words in a frequency-sorted file).")
    var limit: Int?

    // `auto` is the library's `nil` format (detect the layout), so the flag is parsed by hand.
    @Option(
        help: ArgumentHelp("File layout: auto, text, binary or headerless.", valueName: "format"),
        completion: .list(["auto"] + VectorFileFormat.allCases.map(\.rawValue)))
    var format = "auto"

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if format != "auto" && VectorFileFormat(rawValue: format) == nil {
            throw ValidationError("--format must be auto, text, binary or headerless (got '\(format)')")
        }
    }

    /// The layout `--format` names, `nil` for `auto`.
    var layout: VectorFileFormat? { VectorFileFormat(rawValue: format) }

    /// Loads the vectors and normalises them for queries. A model file is memory-mapped and its
    /// stored unit rows are used in place; a fastText `.bin` is read without its output matrix.
    func load() throws -> SimilarityIndex {
        if layout == nil, Model.isModelFile(atPath: vectors) {
            return try Model(contentsOf: vectors, for: .queries).similarityIndex(limit: limit)
        }
        if layout == nil, Model.isFastTextModel(atPath: vectors) {
            return try Model(fastTextModelAt: vectors, for: .queries).similarityIndex(limit: limit)
        }
        return SimilarityIndex(try loadEmbeddings())
    }

    /// Loads the vectors as they are in the file, for commands that print rows rather than search.
    func loadEmbeddings() throws -> Embeddings {
        try Embeddings.load(path: vectors, format: layout, limit: limit)
    }
}

extension Embeddings {
    /// The query words outside the vocabulary, which a subword model answered from their n-grams,
    /// or `nil` when there are none: the `oov` field of `--json` outputs (absent for whole-word
    /// vectors, whose unknown words are errors instead).
    func outOfVocabulary(_ words: [String]) -> [String]? {
        let outside = words.filter { index(of: $0) == nil }
        return outside.isEmpty ? nil : outside
    }
}

/// Prints results for scripts: every `--json` output is one compact object per line (per query line
/// in the loops), keys sorted, so that `jq -c`, `json.loads` per line and `grep` all work the same on
/// every command.
enum JSONOutput {
    static func print(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Undefined coefficients are encoded as null by the callers; this only guards the rest.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = try encoder.encode(value)
        Output.standardOutput(String(decoding: data, as: UTF8.self) + "\n")
    }
}

/// A neighbour as printed in JSON, by every command that ranks (`similar`, `analogy`, `doc2vec
/// similar`, `items recommend`, `doesnt-match`): `word` is the key of the row (a word, tag or item).
struct NeighbourRecord: Encodable {
    let word: String
    let index: Int
    let score: Float

    init(_ neighbour: Neighbour) {
        word = neighbour.word
        index = neighbour.index
        score = neighbour.score
    }
}

/// Prints neighbours as `word<TAB>score` lines.
func printNeighbours(_ neighbours: [Neighbour]) {
    var text = ""
    for neighbour in neighbours {
        text += "\(neighbour.word)\t\(String(cFormat: "%.6f", Double(neighbour.score)))\n"
    }
    Output.standardOutput(text)
}

func validatePositive(_ value: Int?, _ flag: String) throws {
    if let value, value < 1 { throw ValidationError("\(flag) must be at least 1") }
}
