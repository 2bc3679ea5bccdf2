/// The binary Huffman tree over a vocabulary that hierarchical softmax walks.
///
/// Word `w`'s path from the root is given by `codes(of: w)` (0 = left, 1 = right at each step) and
/// `nodes(of: w)` (the inner nodes passed, numbered `0..<innerNodeCount`, root last). Frequent words get
/// short codes, which is what makes hierarchical softmax cost O(log V) per prediction on average.
///
/// The tree is stored in flat arrays, so there is no fixed limit on code length: a tree over `V` words
/// has depth at most `V - 1`, reached only by exponentially skewed counts (Fibonacci-like), and such
/// trees are handled like any other.
public struct HuffmanTree: Sendable {
    /// `codes[offsets[w]..<offsets[w + 1]]` are the code bits of word `w`, root first.
    public let codes: [UInt8]
    /// `nodes[offsets[w]..<offsets[w + 1]]` are the inner nodes on word `w`'s path, root first.
    public let nodes: [Int32]
    public let offsets: [Int]
    /// Number of inner nodes: `V - 1` (or 1 for a one-word vocabulary, whose single code bit is 0).
    public let innerNodeCount: Int

    /// Builds the tree from counts sorted in descending order, in O(V) with the two-queue method:
    /// leaves are consumed from the end of the sorted array and inner nodes are created in order of
    /// non-decreasing weight, so the two smallest remaining weights are always at the two queue heads.
    ///
    /// - Precondition: `counts` is non-empty and sorted in descending order.
    public init(sortedCounts counts: [Int]) {
        let v = counts.count
        precondition(v > 0, "a Huffman tree needs at least one word")
        guard v > 1 else {
            codes = [0]
            nodes = [0]
            offsets = [0, 1]
            innerNodeCount = 1
            return
        }
        // Node k < v is leaf k; node v + j is inner node j.
        var weight = [Int](repeating: 0, count: 2 * v - 1)
        var parent = [Int](repeating: 0, count: 2 * v - 1)
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
            parent[pair.0] = v + j
            parent[pair.1] = v + j
            isRight[pair.1] = 1
        }
        let root = 2 * v - 2
        var depth = [Int](repeating: 0, count: 2 * v - 1)
        for node in stride(from: root - 1, through: 0, by: -1) {
            depth[node] = depth[parent[node]] + 1
        }
        var offsets = [0]
        offsets.reserveCapacity(v + 1)
        for w in 0..<v { offsets.append(offsets[w] + depth[w]) }
        var codes = [UInt8](repeating: 0, count: offsets[v])
        var nodes = [Int32](repeating: 0, count: offsets[v])
        for w in 0..<v {
            var node = w
            var position = offsets[w + 1] - 1
            while node != root {
                codes[position] = isRight[node]
                nodes[position] = Int32(parent[node] - v)
                node = parent[node]
                position -= 1
            }
        }
        self.codes = codes
        self.nodes = nodes
        self.offsets = offsets
        self.innerNodeCount = v - 1
    }

    public func codes(of word: Int) -> ArraySlice<UInt8> { codes[offsets[word]..<offsets[word + 1]] }
    public func nodes(of word: Int) -> ArraySlice<Int32> { nodes[offsets[word]..<offsets[word + 1]] }
}
