/// The settings of an HNSW index (Malkov & Yashunin, "Efficient and robust approximate nearest
/// neighbor search using Hierarchical Navigable Small World graphs", 2016/2018), with the paper's
/// names.
///
/// The defaults (M 16, efConstruction 200, efSearch 64) gave recall@10 of 0.95 and more on the
/// clustered test vectors and on trained word vectors (Benchmarks/README.md, "Approximate
/// neighbours"); raise `efSearch` for recall, lower it for speed, per query if need be.
public struct HNSWParameters: Sendable, Equatable {
    /// Links per node on the upper layers (`M`); layer 0 keeps up to `2 * m` (`Mmax0`). More links
    /// give better recall on hard (high intrinsic dimension) data and cost memory
    /// (4 * (2m + 1) bytes per row) and build time. 2...256.
    public var m: Int
    /// Size of the candidate list while inserting (`efConstruction`): the graph's quality. Build time
    /// grows about linearly with it. At least 1.
    public var efConstruction: Int
    /// Size of the candidate list while searching (`ef`), at least the number of results asked for:
    /// recall against speed. Not stored in the index file; a query may override it. At least 1.
    public var efSearch: Int
    /// Seeds the nodes' levels (`mL = 1 / ln M`), so that a build at one thread is reproducible.
    public var seed: UInt64

    public init(m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64, seed: UInt64 = 1) {
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.seed = seed
    }

    /// The bounds of `m`: two links make a graph at all; 256 keeps a node's lists within a few KB.
    public static let mRange = 2...256
    /// Levels above this are cut (the chance of a node reaching it is M^-32).
    static let maximumLevel = 31
    /// Bounds `efConstruction` and `efSearch`, so that scratch memory stays small.
    public static let efRange = 1...100_000

    /// - Throws: `Word2VecError.invalidOption` naming the first setting out of its bounds.
    public func validate() throws {
        guard Self.mRange.contains(m) else {
            throw Word2VecError.invalidOption("HNSWParameters.m", "must be in \(Self.mRange) (got \(m))")
        }
        guard Self.efRange.contains(efConstruction) else {
            throw Word2VecError.invalidOption(
                "HNSWParameters.efConstruction", "must be in \(Self.efRange) (got \(efConstruction))")
        }
        guard Self.efRange.contains(efSearch) else {
            throw Word2VecError.invalidOption("HNSWParameters.efSearch", "must be in \(Self.efRange) (got \(efSearch))")
        }
    }

    /// Links kept per node on layer 0.
    var m0: Int { 2 * m }
}
