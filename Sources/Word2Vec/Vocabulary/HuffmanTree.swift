/// The binary Huffman tree over a vocabulary that hierarchical softmax walks.
///
/// Word `w`'s path from the root is given by `codes(of: w)` (0 = left, 1 = right at each step) and
/// `nodes(of: w)` (the inner nodes passed, numbered `0..<innerNodeCount`, root first). Frequent words
/// get short codes, which is what makes hierarchical softmax cost O(log V) per prediction on average.
///
/// Paths are stored once, in flat raw buffers that the training loops read directly (5 bytes per code
/// bit plus 4 per word), so there is no fixed limit on code length: a tree over `V` words has depth
/// at most `V - 1`, reached only by exponentially skewed (Fibonacci-like) counts, and such trees are
/// handled like any other. Immutable after creation, so it can be shared by threads.
package final class HuffmanTree: @unchecked Sendable {
    /// Number of inner nodes: `V - 1`, or 1 for a one-word vocabulary (whose single code bit is 0).
    package let innerNodeCount: Int
    /// Number of words.
    package let wordCount: Int
    /// Bits `offsets[w]..<offsets[w + 1]` of `codes` and `nodes` are word `w`'s path.
    let offsets: UnsafeMutablePointer<Int32>
    let codes: UnsafeMutablePointer<UInt8>
    let nodes: UnsafeMutablePointer<Int32>

    /// Builds the tree from counts sorted in descending order, in O(V) with the two-queue method:
    /// leaves are consumed from the end of the sorted array and inner nodes are created in order of
    /// non-decreasing weight, so the two smallest remaining weights are always at the two queue heads.
    ///
    /// - Precondition: `counts` is non-empty, sorted in descending order, and the total code length
    ///   fits in 32 bits.
    package init(sortedCounts counts: [Int]) {
        let v = counts.count
        precondition(v > 0, "a Huffman tree needs at least one word")
        wordCount = v
        offsets = .allocate(capacity: v + 1)
        guard v > 1 else {
            innerNodeCount = 1
            offsets[0] = 0
            offsets[1] = 1
            codes = .allocate(capacity: 1)
            codes[0] = 0
            nodes = .allocate(capacity: 1)
            nodes[0] = 0
            return
        }
        innerNodeCount = v - 1
        // Node k < v is leaf k; node v + j is inner node j.
        var weight = [Int](repeating: 0, count: 2 * v - 1)
        var parent = [Int32](repeating: 0, count: 2 * v - 1)
        var isRight = [UInt8](repeating: 0, count: 2 * v - 1)
        for k in 0..<v { weight[k] = counts[k] }
        var leaf = v - 1
        var inner = v
        for j in 0..<(v - 1) {
            var pair = (0, 0)
            for side in 0..<2 {
                let node: Int
                if leaf >= 0 && (inner >= v + j || weight[leaf] <= weight[inner]) {
                    node = leaf
                    leaf -= 1
                } else {
                    node = inner
                    inner += 1
                }
                if side == 0 { pair.0 = node } else { pair.1 = node }
            }
            weight[v + j] = weight[pair.0] + weight[pair.1]
            parent[pair.0] = Int32(v + j)
            parent[pair.1] = Int32(v + j)
            isRight[pair.1] = 1
        }
        weight = []
        let root = 2 * v - 2
        // Depths, reusing nothing but a parent-before-child order: node ids grow towards the root.
        var depth = [Int32](repeating: 0, count: 2 * v - 1)
        for node in stride(from: root - 1, through: 0, by: -1) {
            depth[node] = depth[Int(parent[node])] + 1
        }
        offsets[0] = 0
        for w in 0..<v { offsets[w + 1] = offsets[w] + depth[w] }
        depth = []
        let total = Int(offsets[v])
        codes = .allocate(capacity: total)
        nodes = .allocate(capacity: total)
        for w in 0..<v {
            var node = w
            var position = Int(offsets[w + 1]) - 1
            while node != root {
                codes[position] = isRight[node]
                nodes[position] = parent[node] - Int32(v)
                node = Int(parent[node])
                position -= 1
            }
        }
    }

    deinit {
        offsets.deallocate()
        codes.deallocate()
        nodes.deallocate()
    }

    /// Word `word`'s code bits, root first.
    package func codes(of word: Int) -> [UInt8] {
        precondition(word >= 0 && word < wordCount, "word out of range")
        return Array(UnsafeBufferPointer(start: codes + Int(offsets[word]), count: Int(offsets[word + 1] - offsets[word])))
    }

    /// The inner nodes on word `word`'s path, root first.
    package func nodes(of word: Int) -> [Int32] {
        precondition(word >= 0 && word < wordCount, "word out of range")
        return Array(UnsafeBufferPointer(start: nodes + Int(offsets[word]), count: Int(offsets[word + 1] - offsets[word])))
    }
}
