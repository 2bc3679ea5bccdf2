/// A binary heap of (score, node) pairs on caller-owned buffers, the worst pair at the root: the
/// two queues of an HNSW layer search, and the kept rows of an exact search (`TopKHeap`). O(log
/// count) per push or pop, no allocation.
///
/// "Worse" is lower score, then higher node, so that results do not depend on the order nodes were
/// reached in. The HNSW search's frontier (best candidate first) is the same heap over negated
/// scores.
package struct ScoredHeap {
    package private(set) var scores: UnsafeMutablePointer<Float>
    package private(set) var nodes: UnsafeMutablePointer<UInt32>
    package private(set) var capacity: Int
    package private(set) var count = 0

    /// `scores` and `nodes` hold `capacity` elements each, are owned by the caller, and outlive the
    /// heap (or are replaced through `grow`).
    package init(scores: UnsafeMutablePointer<Float>, nodes: UnsafeMutablePointer<UInt32>, capacity: Int) {
        self.scores = scores
        self.nodes = nodes
        self.capacity = capacity
    }

    /// A heap that owns fresh buffers of `capacity` elements; release them with `deallocate()`.
    package static func allocate(capacity: Int) -> ScoredHeap {
        let capacity = max(capacity, 1)
        return ScoredHeap(
            scores: .allocate(capacity: capacity), nodes: .allocate(capacity: capacity), capacity: capacity)
    }

    package func deallocate() {
        scores.deallocate()
        nodes.deallocate()
    }

    /// Doubles the buffers of an `allocate`d heap, keeping its pairs. Amortised: a search's scratch
    /// heaps grow to the largest frontier they meet and then stay that size.
    package mutating func grow() {
        let larger = capacity * 2
        let newScores = UnsafeMutablePointer<Float>.allocate(capacity: larger)
        let newNodes = UnsafeMutablePointer<UInt32>.allocate(capacity: larger)
        newScores.update(from: scores, count: count)
        newNodes.update(from: nodes, count: count)
        deallocate()
        scores = newScores
        nodes = newNodes
        capacity = larger
    }

    @inline(__always)
    package static func worse(_ scoreA: Float, _ nodeA: UInt32, than scoreB: Float, _ nodeB: UInt32) -> Bool {
        scoreA < scoreB || (scoreA == scoreB && nodeA > nodeB)
    }

    @inline(__always) package var isEmpty: Bool { count == 0 }

    /// The worst pair's score. Precondition: not empty.
    @inline(__always) package var worstScore: Float { scores[0] }
    /// The worst pair's node. Precondition: not empty.
    @inline(__always) package var worstNode: UInt32 { nodes[0] }

    @inline(__always)
    package mutating func removeAll() { count = 0 }

    /// Adds a pair. Precondition: `count < capacity`.
    @inline(__always)
    package mutating func push(score: Float, node: UInt32) {
        var i = count
        count &+= 1
        while i > 0 {
            let parent = (i &- 1) >> 1
            guard Self.worse(score, node, than: scores[parent], nodes[parent]) else { break }
            scores[i] = scores[parent]
            nodes[i] = nodes[parent]
            i = parent
        }
        scores[i] = score
        nodes[i] = node
    }

    /// Removes and returns the worst pair. Precondition: not empty.
    @inline(__always) @discardableResult
    package mutating func popWorst() -> (score: Float, node: UInt32) {
        let top = (score: scores[0], node: nodes[0])
        count &-= 1
        if count > 0 { siftDown(score: scores[count], node: nodes[count]) }
        return top
    }

    /// Replaces the worst pair by (`score`, `node`): a push then a `popWorst` when the pair is
    /// better than the worst, in one pass down the heap instead of one up and one down.
    /// Precondition: not empty.
    @inline(__always)
    package mutating func replaceWorst(score: Float, node: UInt32) {
        siftDown(score: score, node: node)
    }

    /// Puts (`score`, `node`) at the root's place and moves it down to where it belongs.
    @inline(__always)
    private mutating func siftDown(score: Float, node: UInt32) {
        var i = 0
        while true {
            let left = 2 &* i &+ 1
            guard left < count else { break }
            var child = left
            if left &+ 1 < count, Self.worse(scores[left &+ 1], nodes[left &+ 1], than: scores[left], nodes[left]) {
                child = left &+ 1
            }
            guard Self.worse(scores[child], nodes[child], than: score, node) else { break }
            scores[i] = scores[child]
            nodes[i] = nodes[child]
            i = child
        }
        scores[i] = score
        nodes[i] = node
    }
}
