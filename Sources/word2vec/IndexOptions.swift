import ArgumentParser
import Word2Vec
import Word2VecQueries

/// `--index` and `--ef` of the commands that rank rows (`similar`, `items recommend`): how the
/// neighbours are found.
struct IndexOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "How neighbours are found: exact (every row), hnsw (the index 'word2vec index' wrote beside the vectors), or auto (the index when it exists and there are at least \(HNSWIndex.exactSearchThreshold) rows).",
            valueName: "kind"))
    var index: IndexChoice = .auto

    @Option(help: ArgumentHelp("Candidates kept while searching the index (recall against speed; default: the index's, 64 unless built otherwise).", valueName: "n"))
    var ef: Int?

    func validate() throws {
        if let ef, !HNSWParameters.efRange.contains(ef) {
            throw ValidationError("--ef must be in \(HNSWParameters.efRange) (got \(ef))")
        }
        if ef != nil && index == .exact { throw ValidationError("--ef applies to an index search, not to --index exact") }
    }

    /// The search method for `vectors` (loaded from `path`).
    /// - Throws: for `--index hnsw`, `Word2VecError.unreadableFile` when there is no index, and the
    ///   index reader's errors (naming the file); `auto` falls back to exact search with a warning
    ///   when the index cannot be used.
    func method(for vectors: SimilarityIndex, path: String) throws -> SearchMethod {
        if index == .hnsw && path == "-" {
            throw ValidationError("--index hnsw needs the vectors in a file (its index lies beside it), not standard input")
        }
        return try index.method(for: vectors, path: path, ef: ef) { error in
            Output.standardError("word2vec: \(ErrorMessages.message(for: error)); searching exactly\n")
        }
    }
}

extension IndexChoice: ExpressibleByArgument {}
