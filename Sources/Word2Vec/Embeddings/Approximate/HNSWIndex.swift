import Dispatch
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An approximate nearest-neighbour index over the unit rows of a `SimilarityIndex`: a Hierarchical
/// Navigable Small World graph (Malkov & Yashunin 2016/2018), answering top-k cosine queries in
/// about O(log count x efSearch x M x dimension) instead of exact search's O(count x dimension).
///
/// ```swift
/// let vectors = SimilarityIndex(try Embeddings.load(path: "vectors.bin"))
/// let graph = try HNSWIndex(building: vectors)            // all cores
/// try graph.save(to: HNSWIndex.path(forVectorsAt: "vectors.bin"))
/// let near = try vectors.mostSimilar(positive: ["king"], top: 10, using: .approximate(graph))
/// ```
///
/// Answers are approximate: a true neighbour can be missed (recall@10 was 0.95 or more at the
/// default parameters on the benchmarks; raise `efSearch` for more) and scores are exact cosines of
/// the rows returned. The query words (and any excluded rows) are never returned, as with exact
/// search. The index is immutable once built or loaded and may be searched from many threads: each
/// search borrows a scratch (visited marks, heaps) from a pool, so searches allocate nothing once
/// the pool is warm.
///
/// Below `exactSearchThreshold` rows an exact search is fast enough that the command line and
/// `SearchMethod.automatic` do not use an index; `SearchMethod.approximate` always does.
public final class HNSWIndex: Sendable {
    /// The parameters it was built with; `efSearch` is the default of its queries.
    public let parameters: HNSWParameters
    /// The unit rows searched, shared with the `SimilarityIndex` it was built or loaded for.
    let unit: Matrix
    let graph: HNSWGraph
    /// Ties a saved index to its vectors (see `fingerprint(of:)`).
    let fingerprint: UInt64
    private let pool = Mutex<[HNSWScratch]>([])

    /// Rows below which exact search is the default: at 50,000 rows of dimension 300 one exact query
    /// reads 60 MB, a few milliseconds on one core, while an index query still costs a visit of a
    /// few thousand rows; the speed-up there is under 10x, not worth the approximation (measured in
    /// Benchmarks/README.md, "Approximate neighbours").
    public static let exactSearchThreshold = 50_000

    /// Where an index for the vectors at `path` is kept: beside them, with `.hnsw` appended.
    public static func path(forVectorsAt path: String) -> String { path + ".hnsw" }

    /// Builds an index over the rows of `vectors`.
    ///
    /// - Parameters:
    ///   - threads: insertion threads (all cores by default). With 1, the graph depends only on the
    ///     rows and `parameters` (seed included), so two builds are equal; with more, levels are the
    ///     same but links depend on the threads' interleaving (see `HNSWBuilder`).
    /// - Throws: `Word2VecError.invalidOption` for parameters out of bounds or more than 2^32 - 2 rows.
    /// - Complexity: O(count x log count x efConstruction x M x dimension) in expectation, divided
    ///   among the threads; memory 4 x (2M + 1) bytes per row plus 2 bytes per row per thread.
    public init(building vectors: SimilarityIndex, parameters: HNSWParameters = HNSWParameters(), threads: Int? = nil) throws {
        try parameters.validate()
        guard vectors.count >= 1, vectors.count < Int(UInt32.max) else {
            throw Word2VecError.invalidOption("index", "holds 1 to 2^32 - 2 vectors, not \(vectors.count)")
        }
        if let threads, threads < 1 { throw Word2VecError.invalidOption("threads", "must be at least 1 (got \(threads))") }
        let unit = vectors.unit
        self.parameters = parameters
        self.unit = unit
        graph = HNSWBuilder.build(
            unit, rows: vectors.count, parameters: parameters,
            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        fingerprint = Self.fingerprint(of: vectors)
    }

    /// Opens an index saved by `save(to:)` for the same rows as `vectors` (memory-mapped; the file
    /// is never modified), validating all of it (`HNSWFile`).
    ///
    /// - Throws: `Word2VecError.malformedData` naming the file when it is not an index, is damaged,
    ///   or was built for other vectors; `.unreadableFile`.
    /// - Complexity: O(file size) for the checks, plus reading 4,096 rows for the fingerprint.
    public init(contentsOf path: String, for vectors: SimilarityIndex) throws {
        let contents = try HNSWFile.read(
            path: path, count: vectors.count, dimension: vectors.dimension, fingerprint: Self.fingerprint(of: vectors))
        parameters = contents.parameters
        unit = vectors.unit
        graph = contents.graph
        fingerprint = contents.fingerprint
    }

    /// Writes the index atomically (complete at `path` or absent).
    /// - Throws: `Word2VecError.unwritableFile`.
    public func save(to path: String) throws {
        try HNSWFile.write(self, to: path)
    }

    /// Rows indexed.
    public var count: Int { graph.count }
    public var dimension: Int { unit.columns }
    /// The top layer's number (0 when every node is on layer 0 only).
    public var levels: Int { graph.maxLevel }
    /// Links in all layers.
    public var linkCount: Int { graph.linkCount }
    /// Bytes of the graph (in memory, and on disk less the 80-byte header).
    public var byteCount: Int { graph.byteCount }

    /// A fingerprint of the rows an index is for: their count and dimension and the unit rows and
    /// words of 4,096 rows spread evenly (all rows when fewer), hashed with `SectionChecksum`.
    /// Changing the vectors (retraining, another `--limit`) changes it with near certainty; a change
    /// confined to rows that were not sampled goes unseen (such an index still answers safely, only
    /// worse). O(4,096 x dimension).
    static func fingerprint(of vectors: SimilarityIndex) -> UInt64 {
        let unit = vectors.unit
        let samples = min(vectors.count, 4096)
        var bytes = ByteWriter()
        bytes.u64(UInt64(vectors.count))
        bytes.u64(UInt64(vectors.dimension))
        let words = vectors.words
        for s in 0..<samples {
            let row = samples == vectors.count ? s : s * (vectors.count - 1) / (samples - 1)
            bytes.bytes(Array(words[row].utf8))
            let pointer = unit.pointer(row: row)
            for d in 0..<unit.columns { bytes.u32(pointer[d].bitPattern) }
        }
        return bytes.data.withUnsafeBytes { SectionChecksum.compute($0.baseAddress!, count: $0.count).checksum }
    }

    /// Whether this index was made for `vectors`' rows: the same matrix, or equal fingerprints.
    package func matches(_ vectors: SimilarityIndex) -> Bool {
        if vectors.unit === unit { return true }
        return vectors.count == count && vectors.dimension == dimension && Self.fingerprint(of: vectors) == fingerprint
    }

    // MARK: Searching

    private func borrowScratch() -> HNSWScratch {
        if let scratch = pool.withLock({ $0.popLast() }) { return scratch }
        return HNSWScratch(count: count, m0: graph.m0, ef: parameters.efSearch)
    }

    private func giveBack(_ scratch: HNSWScratch) {
        pool.withLock { $0.append(scratch) }
    }

    /// The best `top` rows for one unit query vector, best first, never a row of `excluded` (sorted).
    /// Precondition: `query` holds `dimension` floats.
    func search(
        _ query: UnsafePointer<Float>, top: Int, ef: Int, excluded: UnsafeBufferPointer<Int>, scratch: HNSWScratch
    ) -> [(row: Int, score: Float)] {
        guard top > 0 else { return [] }
        let layers = HNSWLayerSearch(graph: graph, vectors: unit.storage, dimension: dimension, locks: nil)
        var node = graph.entryPoint
        var score = layers.score(query, node)
        var layer = graph.maxLevel
        while layer > 0 {
            (node, score) = layers.greedy(query, from: node, score: score, layer: layer, scratch: scratch)
            layer -= 1
        }
        layers.searchLayer(
            query, entry: node, entryScore: score, ef: max(ef, top), layer: 0, excluded: excluded, scratch: scratch)
        let found = scratch.drainFoundBestFirst()
        return (0..<min(found, top)).map { (row: Int(scratch.sortedNodes[$0]), score: scratch.sortedScores[$0]) }
    }

    /// Answers cosine queries (`NeighbourSearch`'s input) in parallel, each over the graph.
    /// - Precondition: every query's scoring is `.cosine`; `vectors` holds its unit vector.
    package func run(_ queries: [NeighbourQuery], vectors: [Float], top: Int, ef: Int? = nil) -> [[(row: Int, score: Float)]] {
        let top = max(0, min(top, count))
        // Clamped rather than refused: the verbs that take an `ef` from users check it first.
        let ef = min(max(ef ?? parameters.efSearch, 1), HNSWParameters.efRange.upperBound)
        let dimension = self.dimension
        guard !queries.isEmpty else { return [] }
        let output = UnsafeMutableBufferPointer<[(row: Int, score: Float)]>.allocate(capacity: queries.count)
        output.initialize(repeating: [])
        defer {
            output.deinitialize()
            output.deallocate()
        }
        nonisolated(unsafe) let results = output
        // One query (what `similar` and `serve` ask) is answered on the caller's thread: a query
        // takes tens of microseconds, as long as asking how many cores there are (Foundation reads
        // the cgroup files each time on Linux) plus a dispatch.
        let threads = queries.count == 1 ? 1 : min(queries.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        vectors.withUnsafeBufferPointer { vectors in
            nonisolated(unsafe) let vectors = vectors
            // Contiguous chunks per thread: one scratch each, taken once.
            @Sendable func answer(chunk: Int) {
                let scratch = borrowScratch()
                defer { giveBack(scratch) }
                let range = (queries.count * chunk / threads)..<(queries.count * (chunk + 1) / threads)
                for q in range {
                    let query = queries[q]
                    precondition(query.scoring == .cosine, "an HNSW index answers cosine queries")
                    results[q] = query.excluded.withUnsafeBufferPointer { excluded in
                        search(vectors.baseAddress! + query.firstVector * dimension, top: top, ef: ef, excluded: excluded, scratch: scratch)
                    }
                }
            }
            if threads == 1 { answer(chunk: 0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: answer) }
        }
        return Array(output)
    }
}
