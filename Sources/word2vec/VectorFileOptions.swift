import ArgumentParser
import Word2Vec
import Word2VecQueries

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
        try SimilarityIndex.load(path: vectors, format: layout, limit: limit)
    }

    /// Loads the vectors as they are in the file, for commands that print rows rather than search.
    func loadEmbeddings() throws -> Embeddings {
        try Embeddings.load(path: vectors, format: layout, limit: limit)
    }
}

/// Prints results for scripts: every `--json` output is one compact object per line (per query line
/// in the loops), keys sorted, so that `jq -c`, `json.loads` per line and `grep` all work the same on
/// every command.
enum JSONOutput {
    static func print(_ value: some Encodable) throws {
        Output.standardOutput(try QueryJSON.encode(value) + "\n")
    }
}

/// Prints neighbours as `word<TAB>score` lines.
func printNeighbours(_ neighbours: [Neighbour]) {
    printNeighbours(neighbours.map(NeighbourRecord.init))
}

/// Prints neighbours as `word<TAB>score` lines.
func printNeighbours(_ neighbours: [NeighbourRecord]) {
    var text = ""
    for neighbour in neighbours {
        text += "\(neighbour.word)\t\(String(cFormat: "%.6f", Double(neighbour.score)))\n"
    }
    Output.standardOutput(text)
}

func validatePositive(_ value: Int?, _ flag: String) throws {
    if let value, value < 1 { throw ValidationError("\(flag) must be at least 1") }
}
