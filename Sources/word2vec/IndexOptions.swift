import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Word2Vec

/// `--index` and `--ef` of the commands that rank rows (`similar`, `items recommend`): how the
/// neighbours are found.
struct IndexOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        /// The HNSW index beside the vectors when there is one and they have at least
        /// `HNSWIndex.exactSearchThreshold` rows; exact search otherwise.
        case auto
        case exact
        case hnsw
    }

    @Option(
        help: ArgumentHelp(
            "How neighbours are found: exact (every row), hnsw (the index 'word2vec index' wrote beside the vectors), or auto (the index when it exists and there are at least \(HNSWIndex.exactSearchThreshold) rows).",
            valueName: "kind"))
    var index: Kind = .auto

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
        let indexPath = HNSWIndex.path(forVectorsAt: path)
        switch index {
        case .exact:
            return .exact
        case .hnsw:
            guard path != "-" else {
                throw ValidationError("--index hnsw needs the vectors in a file (its index lies beside it), not standard input")
            }
            guard access(indexPath, F_OK) == 0 else {
                throw Word2VecError.unreadableFile(indexPath, reason: "no such index; build it with 'word2vec index \(path)'")
            }
            return .approximate(try HNSWIndex(contentsOf: indexPath, for: vectors), ef: ef)
        case .auto:
            guard path != "-", vectors.count >= HNSWIndex.exactSearchThreshold, access(indexPath, F_OK) == 0 else { return .exact }
            do {
                return .approximate(try HNSWIndex(contentsOf: indexPath, for: vectors), ef: ef)
            } catch let error as Word2VecError {
                Output.standardError("word2vec: \(ErrorMessages.message(for: error)); searching exactly\n")
                return .exact
            }
        }
    }
}
