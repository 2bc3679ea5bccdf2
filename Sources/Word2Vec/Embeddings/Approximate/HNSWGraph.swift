/// The links of an HNSW graph, laid out as in its file so that a loaded index is used in place.
///
/// Three arrays of `UInt32`:
/// - `offsets` (`count + 1`): node `i` owns upper-layer blocks `offsets[i]..<offsets[i + 1]`; their
///   number is its level (0 for a node on layer 0 only, which is most of them: a fraction 1 - 1/M).
/// - `layer0` (`count x (1 + m0)`): per node its number of links on layer 0, then the links.
/// - `upper` (`blocks x (1 + m)`): per block (node `i`, layer `l >= 1` is block `offsets[i] + l - 1`)
///   the number of links, then the links.
///
/// Layer 0, where a search spends nearly all its time, is one fixed-stride array: a node's links are
/// found by one multiplication and read in one or two cache lines. Upper layers hold about
/// `count / (M - 1)` blocks, so a per-node offset table costs less than a pointer per node would.
///
/// `@unchecked Sendable`: the arrays are written only while building, each list under its node's
/// lock (`HNSWBuilder`); once built or loaded the graph is read only.
final class HNSWGraph: @unchecked Sendable {
    let count: Int
    let m: Int
    let m0: Int
    let offsets: UnsafeMutablePointer<UInt32>
    let layer0: UnsafeMutablePointer<UInt32>
    let upper: UnsafeMutablePointer<UInt32>
    /// The highest level of any node, and a node at that level where every search starts.
    var maxLevel: Int
    var entryPoint: Int
    /// What keeps the arrays alive when they are not owned (a mapped file); `nil` when allocated.
    private let owner: AnyObject?

    var blocks: Int { Int(offsets[count]) }

    /// An empty graph (no links) for nodes of the given levels.
    init(levels: [Int], m: Int) {
        count = levels.count
        self.m = m
        m0 = 2 * m
        offsets = .allocate(capacity: count + 1)
        var total = 0
        for (i, level) in levels.enumerated() {
            offsets[i] = UInt32(total)
            total += level
        }
        offsets[count] = UInt32(total)
        layer0 = .allocate(capacity: max(1, count * (1 + m0)))
        layer0.initialize(repeating: 0, count: count * (1 + m0))
        upper = .allocate(capacity: max(1, total * (1 + m)))
        upper.initialize(repeating: 0, count: total * (1 + m))
        maxLevel = 0
        entryPoint = 0
        owner = nil
    }

    /// A graph over arrays that `owner` keeps alive, already validated (`HNSWFile`).
    init(count: Int, m: Int, offsets: UnsafeMutablePointer<UInt32>, layer0: UnsafeMutablePointer<UInt32>,
         upper: UnsafeMutablePointer<UInt32>, maxLevel: Int, entryPoint: Int, owner: AnyObject) {
        self.count = count
        self.m = m
        m0 = 2 * m
        self.offsets = offsets
        self.layer0 = layer0
        self.upper = upper
        self.maxLevel = maxLevel
        self.entryPoint = entryPoint
        self.owner = owner
    }

    deinit {
        if owner == nil {
            offsets.deallocate()
            layer0.deallocate()
            upper.deallocate()
        }
    }

    @inline(__always)
    func level(_ node: Int) -> Int { Int(offsets[node &+ 1] &- offsets[node]) }

    /// The list of `node` on `layer`: its length, then up to `capacity(layer)` nodes.
    /// Precondition: `layer <= level(node)`.
    @inline(__always)
    func list(_ node: Int, layer: Int) -> UnsafeMutablePointer<UInt32> {
        if layer == 0 { return layer0 + node &* (1 &+ m0) }
        return upper + (Int(offsets[node]) &+ layer &- 1) &* (1 &+ m)
    }

    @inline(__always)
    func capacity(layer: Int) -> Int { layer == 0 ? m0 : m }

    /// Links in the whole graph, for reports.
    var linkCount: Int {
        var total = 0
        for node in 0..<count { total += Int(layer0[node * (1 + m0)]) }
        for block in 0..<blocks { total += Int(upper[block * (1 + m)]) }
        return total
    }

    /// Bytes of the three arrays.
    var byteCount: Int { 4 * ((count + 1) + count * (1 + m0) + blocks * (1 + m)) }
}
