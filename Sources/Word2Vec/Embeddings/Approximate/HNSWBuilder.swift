import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds an HNSW graph over unit rows by inserting them one by one (INSERT, Algorithm 1), choosing
/// each node's links with the paper's heuristic (SELECT-NEIGHBORS-HEURISTIC, Algorithm 4, without
/// extending the candidates or keeping pruned ones).
///
/// Levels come from the seed alone (node `i`'s level is a function of `seed` and `i`), so every
/// build of the same rows has the same layers. Rows are inserted in row order (most frequent words
/// first in a frequency-sorted file, which makes them the upper layers' hubs only by chance: levels
/// are random).
///
/// Threads: with one thread the insertions run in order and the graph is a function of the rows,
/// the parameters and the seed. With more, threads take the next row from a shared counter and
/// insert concurrently, each link list changed or read under its stripe's lock (`HNSWLocks`), the
/// entry point under a lock of its own; levels and the insertion order are the same, but which links
/// a node gets depends on which insertions it overlapped, so the graph (and its answers, rarely) can
/// differ from run to run. Recall is the same to within noise.
///
/// Cost: O(count x log count x efConstruction x M x dimension) in expectation; memory is the graph
/// (`HNSWGraph.byteCount`) plus one scratch (2 bytes per row and a few KB) per thread.
package enum HNSWBuilder {
    static func build(_ vectors: Matrix, rows: Int, parameters: HNSWParameters, threads: Int) -> HNSWGraph {
        let levels = (0..<rows).map { level(of: $0, seed: parameters.seed, m: parameters.m) }
        let graph = HNSWGraph(levels: levels, m: parameters.m)
        guard rows > 0 else { return graph }
        graph.entryPoint = 0
        graph.maxLevel = levels[0]
        let threads = max(1, min(threads, rows))
        if threads == 1 {
            let inserter = Inserter(graph: graph, vectors: vectors, parameters: parameters, locks: nil)
            let scratch = HNSWScratch(count: rows, m0: graph.m0, ef: parameters.efConstruction)
            for node in 1..<rows { inserter.insert(node, scratch: scratch) }
            return graph
        }
        let inserter = Inserter(graph: graph, vectors: vectors, parameters: parameters, locks: HNSWLocks())
        let shared = SharedState(entryPoint: 0, maxLevel: levels[0])
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let scratch = HNSWScratch(count: rows, m0: graph.m0, ef: parameters.efConstruction)
            while true {
                let node = shared.next.add(1, ordering: .relaxed).oldValue
                guard node < rows else { break }
                inserter.insert(node, shared: shared, scratch: scratch)
            }
        }
        let (entry, top) = shared.top.withLock { $0 }
        graph.entryPoint = entry
        graph.maxLevel = top
        return graph
    }

    /// The level of `node`: floor(-ln(u) x mL) with mL = 1 / ln M (the paper's optimum) and u
    /// uniform in (0, 1] from a hash of the seed and the node (SplitMix64), capped at
    /// `HNSWParameters.maximumLevel`.
    package static func level(of node: Int, seed: UInt64, m: Int) -> Int {
        var z = seed &+ UInt64(node &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let u = (Double(z >> 11) + 1) / 9_007_199_254_740_992  // (0, 1]
        let level = -log(u) / log(Double(m))
        return min(HNSWParameters.maximumLevel, Int(level))
    }

    /// What concurrent insertions share: the next row to insert, and the entry point and top level
    /// (under one lock; `promotion` serialises the rare insertions that raise the top level, which
    /// must finish linking before another search may start from them).
    final class SharedState: Sendable {
        let next = Atomic<Int>(1)
        let top: Mutex<(entryPoint: Int, maxLevel: Int)>
        let promotion = Mutex<Void>(())

        init(entryPoint: Int, maxLevel: Int) {
            top = Mutex((entryPoint, maxLevel))
        }
    }

    struct Inserter: @unchecked Sendable {
        let graph: HNSWGraph
        let search: HNSWLayerSearch
        let parameters: HNSWParameters

        init(graph: HNSWGraph, vectors: Matrix, parameters: HNSWParameters, locks: HNSWLocks?) {
            self.graph = graph
            self.parameters = parameters
            search = HNSWLayerSearch(graph: graph, vectors: vectors.storage, dimension: vectors.columns, locks: locks)
        }

        /// Inserts `node` (one thread: the graph's own entry point is current).
        func insert(_ node: Int, scratch: HNSWScratch) {
            link(node, entry: graph.entryPoint, top: graph.maxLevel, scratch: scratch)
            if graph.level(node) > graph.maxLevel {
                graph.maxLevel = graph.level(node)
                graph.entryPoint = node
            }
        }

        /// Inserts `node` concurrently with other insertions.
        func insert(_ node: Int, shared: SharedState, scratch: HNSWScratch) {
            let level = graph.level(node)
            let (entry, top) = shared.top.withLock { $0 }
            guard level > top else {
                link(node, entry: entry, top: top, scratch: scratch)
                return
            }
            shared.promotion.withLock { _ in
                let (entry, top) = shared.top.withLock { $0 }
                link(node, entry: entry, top: top, scratch: scratch)
                if level > top { shared.top.withLock { $0 = (node, level) } }
            }
        }

        /// Algorithm 1 for a node whose level is already fixed: descend greedily from `entry`
        /// through the layers above the node's level, then on each of its layers search
        /// `efConstruction` candidates, pick its links among them and link back.
        private func link(_ node: Int, entry: Int, top: Int, scratch: HNSWScratch) {
            let level = graph.level(node)
            let query = UnsafePointer(search.row(node))
            var current = entry
            var currentScore = search.score(query, entry)
            var layer = top
            while layer > level {
                (current, currentScore) = search.greedy(query, from: current, score: currentScore, layer: layer, scratch: scratch)
                layer -= 1
            }
            layer = min(level, top)
            while layer >= 0 {
                search.searchLayer(
                    query, entry: current, entryScore: currentScore, ef: parameters.efConstruction, layer: layer,
                    excluded: UnsafeBufferPointer(start: nil, count: 0), scratch: scratch)
                let candidates = scratch.drainFoundBestFirst()
                let chosen = selectNeighbours(
                    scores: scratch.sortedScores, nodes: scratch.sortedNodes, count: candidates, limit: parameters.m,
                    into: scratch.chosen)
                let list = graph.list(node, layer: layer)
                withLock(node) {
                    list[0] = UInt32(chosen)
                    (list + 1).update(from: scratch.chosen, count: chosen)
                }
                // The next layer starts from the nearest node found on this one.
                if candidates > 0 {
                    current = Int(scratch.sortedNodes[0])
                    currentScore = scratch.sortedScores[0]
                }
                for j in 0..<chosen { linkBack(Int(scratch.chosen[j]), to: node, layer: layer, scratch: scratch) }
                layer -= 1
            }
        }

        @inline(__always)
        private func withLock(_ node: Int, _ body: () -> Void) {
            if let locks = search.locks { locks.withLock(node, body) } else { body() }
        }

        /// Adds `node` to the list of `neighbour` on `layer`; a full list is cut back to its
        /// capacity by the same heuristic, over its links and the new one.
        private func linkBack(_ neighbour: Int, to node: Int, layer: Int, scratch: HNSWScratch) {
            let list = graph.list(neighbour, layer: layer)
            let capacity = graph.capacity(layer: layer)
            withLock(neighbour) {
                let n = Int(list[0])
                for j in 0..<n where list[1 + j] == UInt32(node) { return }
                if n < capacity {
                    list[1 + n] = UInt32(node)
                    list[0] = UInt32(n + 1)
                    return
                }
                // Candidates: the current links and the new node, scored against the neighbour and
                // sorted best first (insertion sort: at most 2M + 1 of them).
                let origin = UnsafePointer(search.row(neighbour))
                let scores = scratch.pruneScores, nodes = scratch.pruneNodes
                for j in 0...n {
                    let other = j < n ? list[1 + j] : UInt32(node)
                    let s = search.score(origin, Int(other))
                    var i = j
                    while i > 0, ScoredHeap.worse(scores[i - 1], nodes[i - 1], than: s, other) {
                        scores[i] = scores[i - 1]
                        nodes[i] = nodes[i - 1]
                        i -= 1
                    }
                    scores[i] = s
                    nodes[i] = other
                }
                let kept = selectNeighbours(scores: scores, nodes: nodes, count: n + 1, limit: capacity, into: scratch.pruneKept)
                list[0] = UInt32(kept)
                (list + 1).update(from: scratch.pruneKept, count: kept)
            }
        }

        /// SELECT-NEIGHBORS-HEURISTIC: walks the candidates best first and keeps one only if it is
        /// nearer to the base than to every one kept so far, up to `limit`. Links then point in
        /// different directions instead of all into the nearest cluster, which is what keeps
        /// clustered data connected (the paper's section 4). Returns how many were kept.
        /// O(count x limit x dimension).
        private func selectNeighbours(
            scores: UnsafeMutablePointer<Float>, nodes: UnsafeMutablePointer<UInt32>, count: Int, limit: Int,
            into chosen: UnsafeMutablePointer<UInt32>
        ) -> Int {
            var kept = 0
            for i in 0..<count {
                guard kept < limit else { break }
                let candidate = UnsafePointer(search.row(Int(nodes[i])))
                var good = true
                for k in 0..<kept where search.score(candidate, Int(chosen[k])) > scores[i] {
                    good = false
                    break
                }
                if good {
                    chosen[kept] = nodes[i]
                    kept += 1
                }
            }
            return kept
        }
    }
}
