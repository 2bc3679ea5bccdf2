#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Word2Vec

/// How the ranking queries (`similar`, `recommend`) find neighbours: the command line's `--index`.
public enum IndexChoice: String, Sendable, CaseIterable {
    /// The HNSW index beside the vectors when there is one and they have at least
    /// `HNSWIndex.exactSearchThreshold` rows; exact search otherwise.
    case auto
    /// Every row.
    case exact
    /// The index `word2vec index` wrote beside the vectors; its absence is an error.
    case hnsw

    /// The search method for `vectors`, loaded from `path`, with `ef` candidates for an index search
    /// (`nil`: the index's own).
    /// - Parameter warn: told why `auto` searches exactly although an index file exists (it could
    ///   not be used).
    /// - Throws: for `.hnsw`, `Word2VecError.unreadableFile` when there is no index, and the index
    ///   reader's errors (naming the file).
    public func method(
        for vectors: SimilarityIndex, path: String, ef: Int? = nil, warn: (Word2VecError) -> Void = { _ in }
    ) throws -> SearchMethod {
        let indexPath = HNSWIndex.path(forVectorsAt: path)
        switch self {
        case .exact:
            return .exact
        case .hnsw:
            guard access(indexPath, F_OK) == 0 else {
                throw Word2VecError.unreadableFile(indexPath, reason: "no such index; build it with 'word2vec index \(path)'")
            }
            return .approximate(try HNSWIndex(contentsOf: indexPath, for: vectors), ef: ef)
        case .auto:
            guard path != "-", vectors.count >= HNSWIndex.exactSearchThreshold, access(indexPath, F_OK) == 0 else { return .exact }
            do {
                return .approximate(try HNSWIndex(contentsOf: indexPath, for: vectors), ef: ef)
            } catch let error as Word2VecError {
                warn(error)
                return .exact
            }
        }
    }
}
