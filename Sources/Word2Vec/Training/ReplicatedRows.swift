/// One worker's private copy of the output rows that nearly every prediction writes, merged into
/// the shared matrix every `interval` predictions.
///
/// With hierarchical softmax every prediction steps on the root's row and on most rows of the next
/// levels of the tree. Two threads doing that on one matrix, Hogwild style, pass those cache lines
/// back and forth at every step: on the 2-core machine, 2 threads trained no faster than one
/// (docs/performance-notes.md, "Hierarchical softmax across threads"). Here each worker steps on
/// its own copy of the rows nearest the root, and at each merge adds its change since the last
/// merge to the shared rows and takes the shared rows, with the other workers' changes, as its new
/// copy. The other workers' updates reach it late by at most `interval` predictions, the kind of
/// staleness Hogwild already has, without the traffic. Merges of two workers may overlap on a row;
/// as in Hogwild, one change can then be lost, which a learning-rate step does not notice.
///
/// Only used with more than one thread: with one, the copy would change nothing but the rounding of
/// the merge, and single-threaded runs stay reproducible bit for bit.
package struct ReplicatedRows {
    /// The first replicated row; rows `first..<first + count` of the shared matrix are replicated.
    @usableFromInline let first: Int
    @usableFromInline let count: Int
    @usableFromInline let dimension: Int
    @usableFromInline let shared: UnsafeMutablePointer<Float>
    /// The worker's copy, and the shared rows as they were at the last merge.
    @usableFromInline let local: UnsafeMutablePointer<Float>
    @usableFromInline let base: UnsafeMutablePointer<Float>
    /// Predictions since the last merge (behind a pointer: copies of the objective share it).
    @usableFromInline let pending: UnsafeMutablePointer<Int>
    @usableFromInline let interval: Int

    /// Replicates the last `count` rows of `matrix` (the inner nodes nearest the root: node numbers
    /// grow towards it), merging every `interval` predictions. O(count x columns) memory, twice.
    package init(lastRowsOf matrix: Matrix, count: Int, interval: Int) {
        self.count = min(count, matrix.rows)
        first = matrix.rows - self.count
        dimension = matrix.columns
        shared = matrix.storage + first * dimension
        self.interval = interval
        let floats = max(1, self.count * dimension)
        local = UnsafeMutableRawPointer.allocate(byteCount: floats * 4, alignment: 64).bindMemory(to: Float.self, capacity: floats)
        base = UnsafeMutableRawPointer.allocate(byteCount: floats * 4, alignment: 64).bindMemory(to: Float.self, capacity: floats)
        pending = .allocate(capacity: 1)
        pending.initialize(to: 0)
        local.update(from: shared, count: self.count * dimension)
        base.update(from: shared, count: self.count * dimension)
    }

    /// The row to read and write for row `index` of the shared matrix `storage`.
    @inlinable @inline(__always)
    package func row(_ index: Int, of storage: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        index >= first ? local + (index &- first) &* dimension : storage + index &* dimension
    }

    /// Counts one prediction; merges when `interval` have passed since the last merge.
    @inlinable @inline(__always)
    package func predicted() {
        pending.pointee &+= 1
        if pending.pointee >= interval { merge() }
    }

    /// Adds this worker's change since the last merge to the shared rows and takes them as its copy.
    /// O(count x dimension).
    @usableFromInline package func merge() {
        pending.pointee = 0
        let floats = count * dimension
        for i in 0..<floats {
            let merged = shared[i] + (local[i] - base[i])
            shared[i] = merged
            local[i] = merged
            base[i] = merged
        }
    }

    /// Merges what is left and frees the copy.
    package func finish() {
        merge()
        UnsafeMutableRawPointer(local).deallocate()
        UnsafeMutableRawPointer(base).deallocate()
        pending.deallocate()
    }
}
