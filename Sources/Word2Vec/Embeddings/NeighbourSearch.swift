import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One search of `NeighbourSearch`: which query vectors it uses, how their cosines combine into a
/// score, and which rows may not be returned.
package struct NeighbourQuery: Sendable {
    package enum Scoring: Sendable, Equatable {
        /// The score is the cosine with one unit query vector.
        case cosine
        /// 3CosMul (Levy & Goldberg 2014, eq. 4, with cosines shifted to [0, 1] as in their
        /// footnote 7): the product of `(1 + cos) / 2` over the positive vectors divided by the same
        /// product over the negative ones plus 1e-6, as gensim's `most_similar_cosmul`.
        case cosMul(positives: Int, negatives: Int)

        var vectorCount: Int {
            switch self {
            case .cosine: 1
            case let .cosMul(positives, negatives): positives + negatives
            }
        }
    }

    var scoring: Scoring
    /// Index of the query's first vector in the search's vector list; the others follow it
    /// (positives first for `cosMul`).
    var firstVector: Int
    /// Rows never returned for this query (its own words; a user's whole history), sorted so that
    /// a long list costs a binary search per candidate rather than a scan.
    private(set) var excluded: [Int]

    package init(scoring: Scoring, firstVector: Int, excluded: [Int]) {
        self.scoring = scoring
        self.firstVector = firstVector
        self.excluded = excluded.sorted()
    }

    /// Whether `row` may not be returned. O(log excluded.count).
    @inline(__always)
    func excludes(_ row: Int) -> Bool {
        var low = 0, high = excluded.count
        while low < high {
            let middle = (low + high) / 2
            if excluded[middle] < row { low = middle + 1 } else { high = middle }
        }
        return low < excluded.count && excluded[low] == row
    }
}

/// Batched top-k similarity search over the unit rows of a matrix: the engine behind every query and
/// evaluation.
///
/// Queries are packed into blocks of 16 vectors (`BlockedDot`), each block is scored against the
/// rows in cache-sized slices, and a `TopKHeap` per query keeps the best rows, so memory traffic is
/// one pass over the matrix per 16 query vectors and no score array is ever sorted. Blocks (and,
/// when there are fewer blocks than cores, slices of the rows) run in parallel.
///
/// Cost: O(rows * dimension * vectors / 16) vector multiply-adds plus O(rows * queries) comparisons.
package struct NeighbourSearch {
    let matrix: Matrix
    /// Only rows `0..<rowLimit` are candidates.
    let rowLimit: Int

    package init(matrix: Matrix, rowLimit: Int) {
        self.matrix = matrix
        self.rowLimit = rowLimit
    }

    /// Rows scored per kernel call: 128 rows of 16 scores fill 8 KB, comfortably inside L1.
    private static let rowsPerBlock = 128

    private struct Group {
        var queries: Range<Int>
        /// First lane of each query in the group.
        var lanes: [Int]
    }

    /// For each query, up to `top` rows ranked best first.
    ///
    /// - Precondition: every `cosMul` query uses at most 16 vectors; `vectors` holds
    ///   `dimension` floats per vector.
    package func run(_ queries: [NeighbourQuery], vectors: [Float], top: Int) -> [[(row: Int, score: Float)]] {
        let dimension = matrix.columns
        let top = max(0, min(top, rowLimit))
        guard !queries.isEmpty else { return [] }
        guard top > 0 else { return Array(repeating: [], count: queries.count) }
        let groups = Self.pack(queries)
        let threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
        // Enough tasks to keep every core busy; slices of fewer than 4096 rows are not worth it.
        let wanted = (4 * threads + groups.count - 1) / groups.count
        let slices = max(1, min(wanted, rowLimit / 4096))
        let sliceLength = (rowLimit + slices - 1) / slices
        // Slot `query * slices + slice` receives one task's best rows for one query.
        let slots = UnsafeMutableBufferPointer<[(row: Int, score: Float)]>.allocate(capacity: queries.count * slices)
        slots.initialize(repeating: [])
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        nonisolated(unsafe) let output = slots
        vectors.withUnsafeBufferPointer { vectors in
            nonisolated(unsafe) let vectors = vectors
            DispatchQueue.concurrentPerform(iterations: groups.count * slices) { task in
                let group = groups[task / slices]
                let slice = task % slices
                let rows = (slice * sliceLength)..<min(rowLimit, (slice + 1) * sliceLength)
                let found = search(
                    group: group, queries: queries, vectors: vectors.baseAddress!, dimension: dimension,
                    rows: rows, top: top)
                for (offset, best) in found.enumerated() {
                    output[(group.queries.lowerBound + offset) * slices + slice] = best
                }
            }
        }
        return (0..<queries.count).map { query in
            if slices == 1 { return slots[query] }
            var merged = (0..<slices).flatMap { slots[query * slices + $0] }
            merged.sort { ScoredHeap.worse($1.score, UInt32($1.row), than: $0.score, UInt32($0.row)) }
            return Array(merged.prefix(top))
        }
    }

    /// Consecutive queries sharing blocks of 16 lanes.
    private static func pack(_ queries: [NeighbourQuery]) -> [Group] {
        var groups: [Group] = []
        var current = Group(queries: 0..<0, lanes: [])
        var used = 0
        for (index, query) in queries.enumerated() {
            let need = query.scoring.vectorCount
            precondition(need >= 1 && need <= BlockedDot.width, "a query uses 1 to 16 vectors")
            if used + need > BlockedDot.width {
                groups.append(current)
                current = Group(queries: index..<index, lanes: [])
                used = 0
            }
            current.lanes.append(used)
            current.queries = current.queries.lowerBound..<(index + 1)
            used += need
        }
        groups.append(current)
        return groups
    }

    /// Scores `rows` against one group and returns each query's best rows among them.
    private func search(
        group: Group, queries: [NeighbourQuery], vectors: UnsafePointer<Float>, dimension: Int,
        rows: Range<Int>, top: Int
    ) -> [[(row: Int, score: Float)]] {
        let members = group.queries.count
        // Transposed query block: lane l of element d is component d of the block's vector l.
        let block = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: max(dimension, 1))
        block.initialize(repeating: SIMD16<Float>(), count: dimension)
        let scores = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: Self.rowsPerBlock)
        let heapScores = UnsafeMutablePointer<Float>.allocate(capacity: members * top)
        let heapRows = UnsafeMutablePointer<UInt32>.allocate(capacity: members * top)
        defer {
            block.deallocate()
            scores.deallocate()
            heapScores.deallocate()
            heapRows.deallocate()
        }
        var allCosine = true
        for (offset, query) in queries[group.queries].enumerated() {
            let lane = group.lanes[offset]
            for v in 0..<query.scoring.vectorCount {
                let source = vectors + (query.firstVector + v) * dimension
                for d in 0..<dimension { block[d][lane + v] = source[d] }
            }
            if query.scoring != .cosine { allCosine = false }
        }
        var heaps = (0..<members).map {
            TopKHeap(scores: heapScores + $0 * top, rows: heapRows + $0 * top, capacity: top)
        }
        // Lanes not owned by a cosine query never pass the threshold.
        var thresholds = SIMD16<Float>(repeating: .infinity)
        var laneQuery = [Int](repeating: -1, count: BlockedDot.width)
        for (offset, query) in queries[group.queries].enumerated() where query.scoring == .cosine {
            thresholds[group.lanes[offset]] = -.infinity
            laneQuery[group.lanes[offset]] = offset
        }
        let base = matrix.storage
        var start = rows.lowerBound
        while start < rows.upperBound {
            let count = min(Self.rowsPerBlock, rows.upperBound - start)
            BlockedDot.multiply(
                rows: base + start * dimension, rowCount: count, dimension: dimension, queries: block, into: scores)
            if allCosine {
                for i in 0..<count {
                    let mask = scores[i] .> thresholds
                    guard any(mask) else { continue }
                    for lane in 0..<BlockedDot.width where mask[lane] {
                        let offset = laneQuery[lane]
                        let query = queries[group.queries.lowerBound + offset]
                        let row = start + i
                        if query.excludes(row) { continue }
                        heaps[offset].insert(score: scores[i][lane], row: UInt32(row))
                        thresholds[lane] = heaps[offset].threshold
                    }
                }
            } else {
                for (offset, query) in queries[group.queries].enumerated() {
                    let lane = group.lanes[offset]
                    var threshold = heaps[offset].threshold
                    for i in 0..<count {
                        let score = Self.score(scores[i], lane: lane, scoring: query.scoring)
                        guard score > threshold else { continue }
                        let row = start + i
                        if query.excludes(row) { continue }
                        heaps[offset].insert(score: score, row: UInt32(row))
                        threshold = heaps[offset].threshold
                    }
                }
            }
            start += count
        }
        return heaps.map { $0.sorted() }
    }

    @inline(__always)
    private static func score(_ cosines: SIMD16<Float>, lane: Int, scoring: NeighbourQuery.Scoring) -> Float {
        switch scoring {
        case .cosine:
            return cosines[lane]
        case let .cosMul(positives, negatives):
            var numerator: Float = 1
            for v in 0..<positives { numerator *= (1 + cosines[lane + v]) / 2 }
            var denominator: Float = 1
            for v in 0..<negatives { denominator *= (1 + cosines[lane + positives + v]) / 2 }
            return numerator / (denominator + 0.000001)
        }
    }
}
