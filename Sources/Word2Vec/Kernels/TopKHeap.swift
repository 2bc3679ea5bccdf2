/// The `capacity` best (score, row) pairs seen so far, in caller-owned buffers: partial selection
/// for similarity searches, O(log capacity) per accepted candidate and no allocation.
///
/// "Best" means higher score, then lower row (`ScoredHeap`'s order, whose heap this is), so results
/// do not depend on the order rows are visited in. The worst kept pair sits at the root;
/// `threshold` is its score once the heap is full, so a search compares each candidate with one
/// number and only the rare improvements pay for the heap.
struct TopKHeap {
    private var heap: ScoredHeap

    /// `scores` and `rows` must hold `capacity` elements each and outlive the heap.
    init(scores: UnsafeMutablePointer<Float>, rows: UnsafeMutablePointer<UInt32>, capacity: Int) {
        heap = ScoredHeap(scores: scores, nodes: rows, capacity: capacity)
    }

    /// A candidate must score strictly more than this to be kept (ties keep the lower row, which
    /// in increasing-row order is the one already kept). `-infinity` while the heap is not full and
    /// `+infinity` for a zero-capacity heap.
    @inline(__always)
    var threshold: Float {
        heap.count < heap.capacity ? -.infinity : (heap.capacity == 0 ? .infinity : heap.worstScore)
    }

    /// Adds the pair if it ranks above the worst kept one (or the heap is not full). O(log capacity).
    @inline(__always)
    mutating func insert(score: Float, row: UInt32) {
        if heap.count < heap.capacity {
            heap.push(score: score, node: row)
        } else if heap.capacity > 0, ScoredHeap.worse(heap.worstScore, heap.worstNode, than: score, row) {
            heap.replaceWorst(score: score, node: row)
        }
    }

    /// The kept pairs, best first. O(capacity log capacity).
    func sorted() -> [(row: Int, score: Float)] {
        var result = (0..<heap.count).map { (row: Int(heap.nodes[$0]), score: heap.scores[$0]) }
        result.sort { ScoredHeap.worse($1.score, UInt32($1.row), than: $0.score, UInt32($0.row)) }
        return result
    }
}
