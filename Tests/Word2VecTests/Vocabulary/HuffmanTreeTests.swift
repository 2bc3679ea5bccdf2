import Testing
import Word2Vec

@Suite struct HuffmanTreeTests {
    /// Cost of an optimal prefix code, computed independently with a binary heap: repeatedly merge the
    /// two lightest subtrees; the cost is the sum of all merged weights.
    static func referenceWeightedPathLength(_ counts: [Int]) -> Int {
        var heap = counts
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && heap[l] < heap[m] { m = l }
                if r < heap.count && heap[r] < heap[m] { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        func push(_ x: Int) {
            heap.append(x)
            var i = heap.count - 1
            while i > 0 && heap[(i - 1) / 2] > heap[i] {
                heap.swapAt(i, (i - 1) / 2)
                i = (i - 1) / 2
            }
        }
        func pop() -> Int {
            let top = heap[0]
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
            if !heap.isEmpty { siftDown(0) }
            return top
        }
        for i in stride(from: heap.count / 2, through: 0, by: -1) { siftDown(i) }
        var cost = 0
        while heap.count > 1 {
            let merged = pop() + pop()
            cost += merged
            push(merged)
        }
        return cost
    }

    static func randomSortedCounts(_ n: Int, seed: UInt64) -> [Int] {
        var random = TestRandom(seed: seed)
        return (0..<n).map { _ in Int.random(in: 1...1000, using: &random) * Int.random(in: 1...50, using: &random) }
            .sorted(by: >)
    }

    @Test(arguments: [2, 3, 7, 100, 5000])
    func weightedPathLengthIsOptimal(size: Int) {
        let counts = Self.randomSortedCounts(size, seed: UInt64(size))
        let tree = HuffmanTree(sortedCounts: counts)
        let cost = counts.indices.reduce(0) { $0 + counts[$1] * tree.codes(of: $1).count }
        #expect(cost == Self.referenceWeightedPathLength(counts))
        #expect(tree.innerNodeCount == size - 1)
    }

    @Test(arguments: [2, 9, 300])
    func codesArePrefixFreeAndPathsConsistent(size: Int) {
        let counts = Self.randomSortedCounts(size, seed: 99)
        let tree = HuffmanTree(sortedCounts: counts)
        let codes = counts.indices.map { Array(tree.codes(of: $0)) }
        let sorted = codes.sorted { $0.lexicographicallyPrecedes($1) }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            #expect(!b.starts(with: a), "code \(a) is a prefix of \(b)")
        }
        // Every path starts at the root (the last inner node) and equal code prefixes mean equal nodes.
        var nodeForPrefix: [[UInt8]: Int32] = [:]
        for word in counts.indices {
            let nodes = Array(tree.nodes(of: word))
            #expect(nodes.first == Int32(size - 2))
            for (depth, node) in nodes.enumerated() {
                #expect(node >= 0 && node < Int32(tree.innerNodeCount))
                let prefix = Array(codes[word][..<depth])
                if let known = nodeForPrefix[prefix] { #expect(known == node) } else { nodeForPrefix[prefix] = node }
            }
        }
        #expect(nodeForPrefix.count == size - 1)
    }

    @Test func frequentWordsGetShorterCodes() {
        let counts = Self.randomSortedCounts(1000, seed: 5)
        let tree = HuffmanTree(sortedCounts: counts)
        for word in 1..<counts.count where counts[word] < counts[word - 1] {
            #expect(tree.codes(of: word).count >= tree.codes(of: word - 1).count)
        }
    }

    /// Fibonacci counts give the deepest possible tree: a chain of depth V - 1, far beyond the original
    /// tool's fixed 40-bit code buffer.
    @Test func fibonacciCountsGiveMaximalDepth() {
        var fibonacci = [1, 1]
        while fibonacci.count < 60 { fibonacci.append(fibonacci[fibonacci.count - 1] + fibonacci[fibonacci.count - 2]) }
        let counts = Array(fibonacci.reversed())
        let tree = HuffmanTree(sortedCounts: counts)
        let depths = counts.indices.map { tree.codes(of: $0).count }
        #expect(depths.max() == counts.count - 1)
        #expect(depths[0] == 1)
        let cost = counts.indices.reduce(0) { $0 + counts[$1] * depths[$1] }
        #expect(cost == Self.referenceWeightedPathLength(counts))
    }

    @Test func singleWordHasOneCodeBit() {
        let tree = HuffmanTree(sortedCounts: [42])
        #expect(Array(tree.codes(of: 0)) == [0])
        #expect(Array(tree.nodes(of: 0)) == [0])
        #expect(tree.innerNodeCount == 1)
    }
}
