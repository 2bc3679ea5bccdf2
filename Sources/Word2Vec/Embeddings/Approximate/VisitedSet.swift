import CKernels

/// Which nodes a search has reached, for many searches over the same nodes: one 16-bit mark per
/// node, and a generation that every new search increments, so that starting a search costs O(1)
/// instead of clearing `count` flags. Every 65,535 searches the marks are cleared once.
///
/// Memory: 2 bytes per node, per searching thread (0.8 MB at 400,000 rows).
package struct VisitedSet {
    private let marks: UnsafeMutablePointer<UInt16>
    package let count: Int
    private var generation: UInt16 = 0

    package init(count: Int) {
        self.count = count
        marks = .allocate(capacity: max(count, 1))
        marks.initialize(repeating: 0, count: max(count, 1))
    }

    package func deallocate() { marks.deallocate() }

    /// Forgets every node. O(1), or O(count) once per 65,535 calls.
    @inline(__always)
    package mutating func startSearch() {
        if generation == .max {
            marks.update(repeating: 0, count: count)
            generation = 0
        }
        generation &+= 1
    }

    /// Marks `node` and returns whether it was unmarked in this search. Precondition: node < count.
    @inline(__always)
    package func insert(_ node: Int) -> Bool {
        if marks[node] == generation { return false }
        marks[node] = generation
        return true
    }

    @inline(__always)
    package func contains(_ node: Int) -> Bool { marks[node] == generation }

    /// Starts loading the mark of `node`, so that the marks of a node's links, scattered over the
    /// array, are fetched together rather than one miss after another.
    @inline(__always)
    func prefetch(_ node: Int) { w2v_prefetch(marks + node) }
}
