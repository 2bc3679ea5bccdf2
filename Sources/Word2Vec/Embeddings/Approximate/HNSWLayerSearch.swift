import CKernels
import Synchronization

/// One lock per stripe of nodes, guarding their link lists while a graph is built by several
/// threads. A thread holds at most one stripe at a time (it copies a list out, or rewrites one), so
/// stripes shared by several nodes cannot deadlock; 4096 of them keep two threads from meeting
/// except by chance, for 4096 x 8 bytes (a lock per node would cost more than the links of 16
/// rows on layer 0 at 400,000 rows).
final class HNSWLocks: @unchecked Sendable {
    private static let stripes = 4096
    private let locks: UnsafeMutablePointer<Mutex<Void>>

    init() {
        locks = .allocate(capacity: Self.stripes)
        for i in 0..<Self.stripes { (locks + i).initialize(to: Mutex(())) }
    }

    deinit {
        locks.deinitialize(count: Self.stripes)
        locks.deallocate()
    }

    @inline(__always)
    func withLock<R>(_ node: Int, _ body: () -> R) -> R {
        locks[node & (Self.stripes - 1)].withLock { _ in body() }
    }
}

/// What one searching thread reuses from query to query, so that searches allocate nothing once the
/// buffers have reached their working size: the visited marks, the two heaps, and room for one
/// node's links and their scores.
///
/// `@unchecked Sendable`: used by one thread at a time, handed between threads through a lock
/// (`HNSWIndex`'s pool).
package final class HNSWScratch: @unchecked Sendable {
    var visited: VisitedSet
    /// The frontier of Algorithm 2 (C): negated scores, so that its "worst" is the best candidate.
    var frontier: ScoredHeap
    /// The found set (W): at most `ef` nodes, the worst at the root.
    package var found: ScoredHeap
    /// A copy of one list (length, then links), read under its lock while building.
    let listCopy: UnsafeMutablePointer<UInt32>
    /// The unvisited links of one node, their rows and their scores.
    let pendingNodes: UnsafeMutablePointer<UInt32>
    let pendingRows: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    let pendingScores: UnsafeMutablePointer<Float>
    /// Candidates sorted best first, and the neighbours chosen among them (building only).
    var sortedScores: UnsafeMutablePointer<Float>
    package var sortedNodes: UnsafeMutablePointer<UInt32>
    var sortedCapacity: Int
    let chosen: UnsafeMutablePointer<UInt32>
    /// A full list being cut back (building only): its candidates sorted best first, and the kept.
    let pruneScores: UnsafeMutablePointer<Float>
    let pruneNodes: UnsafeMutablePointer<UInt32>
    let pruneKept: UnsafeMutablePointer<UInt32>

    package init(count: Int, m0: Int, ef: Int) {
        visited = VisitedSet(count: count)
        frontier = .allocate(capacity: max(64, ef))
        found = .allocate(capacity: ef + 1)
        listCopy = .allocate(capacity: m0 + 2)
        pendingNodes = .allocate(capacity: m0 + 1)
        pendingRows = .allocate(capacity: m0 + 1)
        pendingScores = .allocate(capacity: m0 + 1)
        sortedCapacity = max(ef, m0 + 1) + 1
        sortedScores = .allocate(capacity: sortedCapacity)
        sortedNodes = .allocate(capacity: sortedCapacity)
        chosen = .allocate(capacity: m0 + 1)
        pruneScores = .allocate(capacity: m0 + 1)
        pruneNodes = .allocate(capacity: m0 + 1)
        pruneKept = .allocate(capacity: m0 + 1)
    }

    deinit {
        visited.deallocate()
        frontier.deallocate()
        found.deallocate()
        listCopy.deallocate()
        pendingNodes.deallocate()
        pendingRows.deallocate()
        pendingScores.deallocate()
        sortedScores.deallocate()
        sortedNodes.deallocate()
        chosen.deallocate()
        pruneScores.deallocate()
        pruneNodes.deallocate()
        pruneKept.deallocate()
    }

    /// Makes room for `ef` found nodes (and the one pushed before the worst is dropped).
    func reserve(ef: Int) {
        while found.capacity < ef + 1 { found.grow() }
        if sortedCapacity < ef + 1 {
            sortedScores.deallocate()
            sortedNodes.deallocate()
            sortedCapacity = ef + 1
            sortedScores = .allocate(capacity: sortedCapacity)
            sortedNodes = .allocate(capacity: sortedCapacity)
        }
    }

    /// Empties `found` into `sortedScores`/`sortedNodes`, best first; returns how many.
    package func drainFoundBestFirst() -> Int {
        let n = found.count
        var i = n
        while !found.isEmpty {
            i -= 1
            let (score, node) = found.popWorst()
            sortedScores[i] = score
            sortedNodes[i] = node
        }
        return n
    }
}

/// The searches of the paper over one graph and the unit rows it links: the greedy descent through
/// the upper layers (ef = 1) and SEARCH-LAYER (Algorithm 2) with a found set of `ef` nodes.
///
/// Scores are cosines (dot products of unit rows), higher is nearer. Neither search allocates
/// unless a scratch heap must grow past its largest size so far.
struct HNSWLayerSearch {
    let graph: HNSWGraph
    let vectors: UnsafeMutablePointer<Float>
    let dimension: Int
    /// Set while building with several threads: lists are then copied out under their lock.
    let locks: HNSWLocks?

    @inline(__always)
    func row(_ node: Int) -> UnsafeMutablePointer<Float> { vectors + node &* dimension }

    /// Floats asked for ahead of each row scored: its first two cache lines. A node's 16 to 32
    /// links at dimension 300 would be 300 to 600 lines, far more than the misses a core keeps in
    /// flight, and prefetches beyond that stall; the first lines start each row, and the hardware's
    /// stream prefetcher fetches the rest as the dot product walks it (Benchmarks/README.md,
    /// "Approximate neighbours").
    @inline(__always)
    var prefetched: Int { min(dimension, 32) }

    @inline(__always)
    func score(_ query: UnsafePointer<Float>, _ node: Int) -> Float {
        VectorKernels.dot(query, row(node), count: dimension)
    }

    /// Starts loading the list of `node` on `layer` (its two or three cache lines on layer 0).
    @inline(__always)
    func prefetchLinks(_ node: Int, layer: Int) {
        let list = UnsafeRawPointer(graph.list(node, layer: layer))
        let bytes = (1 &+ graph.capacity(layer: layer)) &* MemoryLayout<UInt32>.stride
        var offset = 0
        while offset < bytes {
            w2v_prefetch(list + offset)
            offset &+= 64
        }
        // A list need not start on a line boundary: its last bytes may lie on one line more.
        w2v_prefetch(list + (bytes &- 1))
    }

    /// The list of `node` on `layer`, or a copy of it taken under its lock.
    @inline(__always)
    func links(_ node: Int, layer: Int, scratch: HNSWScratch) -> UnsafePointer<UInt32> {
        let list = graph.list(node, layer: layer)
        guard let locks else { return UnsafePointer(list) }
        let copy = scratch.listCopy
        locks.withLock(node) {
            let n = Int(list[0])
            copy.update(from: list, count: n + 1)
        }
        return UnsafePointer(copy)
    }

    /// Greedy descent on one layer: moves to the best-scoring link while one improves.
    /// O(steps x links x dimension).
    func greedy(_ query: UnsafePointer<Float>, from start: Int, score startScore: Float, layer: Int, scratch: HNSWScratch)
        -> (node: Int, score: Float)
    {
        var current = start, best = startScore
        var moved = true
        while moved {
            moved = false
            let list = links(current, layer: layer, scratch: scratch)
            let n = Int(list[0])
            for j in 0..<n {
                let nextRow = row(Int(list[1 &+ j]))
                VectorKernels.prefetch(nextRow, count: prefetched)
                scratch.pendingRows[j] = nextRow
            }
            // Scored together, four rows to each load of the query, as `searchLayer` does; the
            // scores are `score`'s bit for bit, so the path taken is the one-by-one loop's.
            VectorKernels.dots(query, rows: scratch.pendingRows, count: n, dimension: dimension, into: scratch.pendingScores)
            for j in 0..<n {
                let node = Int(list[1 &+ j])
                let s = scratch.pendingScores[j]
                if ScoredHeap.worse(best, UInt32(current), than: s, UInt32(node)) {
                    best = s
                    current = node
                    moved = true
                }
            }
        }
        return (current, best)
    }

    /// SEARCH-LAYER (Algorithm 2): leaves in `scratch.found` the best `ef` nodes reached from `entry`
    /// on `layer`, among those `excluded` does not name. Excluded nodes are still walked through, so
    /// that a query's own words do not cut the graph around it.
    ///
    /// - Parameter excluded: sorted rows (binary search, once per node that would enter the found set).
    /// - Complexity: O(visited x (links + dimension)); visited is a few times `ef` on good graphs.
    func searchLayer(
        _ query: UnsafePointer<Float>, entry: Int, entryScore: Float, ef: Int, layer: Int,
        excluded: UnsafeBufferPointer<Int>, scratch: HNSWScratch
    ) {
        scratch.reserve(ef: ef)
        scratch.visited.startSearch()
        scratch.frontier.removeAll()
        scratch.found.removeAll()
        _ = scratch.visited.insert(entry)
        scratch.frontier.push(score: -entryScore, node: UInt32(entry))
        if !Self.contains(excluded, entry) { scratch.found.push(score: entryScore, node: UInt32(entry)) }
        let visited = scratch.visited
        while !scratch.frontier.isEmpty {
            let (negated, node) = scratch.frontier.popWorst()
            // Every node left is worse than this one; once it is worse than the worst found, no
            // path through it can improve the found set (the paper's stopping rule).
            if scratch.found.count >= ef && -negated < scratch.found.worstScore { break }
            // The next node expanded is the frontier's best after this one's links are pushed:
            // most often the best now. Its list is a cache miss (the graph is far larger than the
            // cache); asked for now, it arrives while this node is expanded.
            let guess = scratch.frontier.isEmpty ? UInt32.max : scratch.frontier.worstNode
            if guess != .max { prefetchLinks(Int(guess), layer: layer) }
            let list = links(Int(node), layer: layer, scratch: scratch)
            let n = Int(list[0])
            for j in 0..<n { visited.prefetch(Int(list[1 &+ j])) }
            var pending = 0
            for j in 0..<n {
                let next = list[1 &+ j]
                guard visited.insert(Int(next)) else { continue }
                let nextRow = row(Int(next))
                VectorKernels.prefetch(nextRow, count: prefetched)
                scratch.pendingNodes[pending] = next
                scratch.pendingRows[pending] = nextRow
                pending &+= 1
            }
            // Four rows at a time share each load of the query.
            VectorKernels.dots(
                query, rows: scratch.pendingRows, count: pending, dimension: dimension, into: scratch.pendingScores)
            for j in 0..<pending {
                let s = scratch.pendingScores[j]
                let next = scratch.pendingNodes[j]
                guard scratch.found.count < ef || s > scratch.found.worstScore else { continue }
                if scratch.frontier.count == scratch.frontier.capacity { scratch.frontier.grow() }
                scratch.frontier.push(score: -s, node: next)
                if excluded.isEmpty || !Self.contains(excluded, Int(next)) {
                    if scratch.found.count < ef {
                        scratch.found.push(score: s, node: next)
                    } else {
                        scratch.found.replaceWorst(score: s, node: next)
                    }
                }
            }
            if !scratch.frontier.isEmpty, scratch.frontier.worstNode != guess {
                prefetchLinks(Int(scratch.frontier.worstNode), layer: layer)
            }
        }
    }

    @inline(__always)
    static func contains(_ sorted: UnsafeBufferPointer<Int>, _ value: Int) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low &+ high) >> 1
            if sorted[middle] < value { low = middle &+ 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == value
    }
}
