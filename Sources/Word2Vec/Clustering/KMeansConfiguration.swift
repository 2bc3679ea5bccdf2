#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Settings of a k-means run (`KMeans.cluster`).
public struct KMeansConfiguration: Sendable, Equatable {
    /// How the first centroids are chosen.
    public enum Initialization: String, Sendable, CaseIterable {
        /// k-means++ seeding (Arthur & Vassilvitskii 2007) with the clustering's own loss as the
        /// distance: each further centroid is a point drawn with probability proportional to its loss
        /// under the centroids chosen so far. Reproducible from `seed`.
        case kMeansPlusPlus = "kmeans++"
        /// The original word2vec tool's start: point `i` begins in cluster `i % clusters`. Every
        /// centroid then starts near the overall mean, so it converges more slowly and to worse optima;
        /// offered for comparison with the C tool.
        case roundRobin = "round-robin"
    }

    /// Number of clusters, `1...points`.
    public var clusters: Int
    /// Most update-and-reassign iterations; the run stops earlier once no point changes cluster.
    /// The C tool always does 10.
    public var maxIterations = 10
    public var initialization = Initialization.kMeansPlusPlus
    /// Seed of the k-means++ draws; equal seeds give identical results for any thread count.
    public var seed: UInt64 = 1
    /// Threads of the assignment step.
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init(clusters: Int) { self.clusters = clusters }

    /// Throws `Word2VecError.invalidConfiguration` naming the first setting out of range for
    /// `points` points.
    public func validate(points: Int) throws {
        func require(_ ok: Bool, _ name: String, _ problem: String) throws {
            if !ok { throw Word2VecError.invalidConfiguration(setting: "KMeansConfiguration." + name, problem: problem) }
        }
        try require(clusters >= 1, "clusters", "must be positive (got \(clusters))")
        try require(clusters <= points, "clusters",
                    "asks for \(clusters) classes of only \(points) word\(points == 1 ? "" : "s")")
        try require(maxIterations >= 1, "maxIterations", "must be positive (got \(maxIterations))")
        try require(threads >= 1 && threads <= 1024, "threads", "must be in 1...1024 (got \(threads))")
    }
}
