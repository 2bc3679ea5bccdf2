/// The `capacity` best (score, row) pairs seen so far, in caller-owned buffers: partial selection
/// for similarity searches, O(log capacity) per accepted candidate and no allocation.
///
/// "Best" means higher score, then lower row, so results do not depend on the order rows are
/// visited in. The heap keeps the worst kept pair at the root; `threshold` is its score once the heap
/// is full, so a search compares each candidate with one number and only the rare improvements pay
/// for the heap.
struct TopKHeap {
    let scores: UnsafeMutablePointer<Float>
    let rows: UnsafeMutablePointer<Int32>
    let capacity: Int
    private(set) var count = 0

    /// `scores` and `rows` must hold `capacity` elements each and outlive the heap.
    init(scores: UnsafeMutablePointer<Float>, rows: UnsafeMutablePointer<Int32>, capacity: Int) {
        self.scores = scores
        self.rows = rows
        self.capacity = capacity
    }

    /// A candidate must score strictly more than this to be kept (ties keep the lower row, which
    /// in increasing-row order is the one already kept). `-infinity` while the heap is not full and
    /// `+infinity` for a zero-capacity heap.
    @inline(__always)
    var threshold: Float {
        count < capacity ? -.infinity : (capacity == 0 ? .infinity : scores[0])
    }

    /// Whether `(scoreA, rowA)` ranks below `(scoreB, rowB)`.
    @inline(__always)
    static func worse(_ scoreA: Float, _ rowA: Int32, than scoreB: Float, _ rowB: Int32) -> Bool {
        scoreA < scoreB || (scoreA == scoreB && rowA > rowB)
    }

    /// Adds the pair if it ranks above the worst kept one (or the heap is not full). O(log capacity).
    @inline(__always)
    mutating func insert(score: Float, row: Int32) {
        if count < capacity {
            var i = count
            count += 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard Self.worse(score, row, than: scores[parent], rows[parent]) else { break }
                scores[i] = scores[parent]
                rows[i] = rows[parent]
                i = parent
            }
            scores[i] = score
            rows[i] = row
            return
        }
        guard capacity > 0, Self.worse(scores[0], rows[0], than: score, row) else { return }
        var i = 0
        while true {
            let left = 2 * i + 1
            guard left < count else { break }
            var child = left
            if left + 1 < count, Self.worse(scores[left + 1], rows[left + 1], than: scores[left], rows[left]) {
                child = left + 1
            }
            guard Self.worse(scores[child], rows[child], than: score, row) else { break }
            scores[i] = scores[child]
            rows[i] = rows[child]
            i = child
        }
        scores[i] = score
        rows[i] = row
    }

    /// The kept pairs, best first. O(capacity log capacity).
    func sorted() -> [(row: Int, score: Float)] {
        var result = (0..<count).map { (row: Int(rows[$0]), score: scores[$0]) }
        result.sort { Self.worse($1.score, Int32($1.row), than: $0.score, Int32($0.row)) }
        return result
    }
}
