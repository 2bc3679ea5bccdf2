/// The HNSW index file: a side file next to the vectors it indexes (`vectors.bin.hnsw`), mapped
/// when read and used in place.
///
/// A side file rather than a model-file section: an index is built for any vector file the query
/// commands read (word2vec text and binary, fastText `.vec`, model files), building or rebuilding
/// it never rewrites a model of gigabytes, and dropping it is deleting a file. What ties it to its
/// vectors is a fingerprint of them (`HNSWIndex.fingerprint`), checked on load.
///
/// Layout, all little-endian, every array 4-byte aligned:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `W2VHNSW` and a zero byte |
/// | 8 | 4 | version (1) |
/// | 12 | 4 | dimension |
/// | 16 | 8 | count: rows indexed (at most 2^32 - 1) |
/// | 24 | 4 | M (`HNSWParameters.mRange`); layer 0 holds 2M links |
/// | 28 | 4 | efConstruction |
/// | 32 | 4 | efSearch, the default of queries |
/// | 36 | 4 | maximum level (at most 31) |
/// | 40 | 4 | entry point: a node of the maximum level |
/// | 44 | 4 | zero |
/// | 48 | 8 | upper blocks: the sum of all nodes' levels |
/// | 56 | 8 | seed of the levels |
/// | 64 | 8 | fingerprint of the unit rows |
/// | 72 | 8 | checksum: `SectionChecksum` of bytes 0..<72, xor that of bytes 80..<end |
/// | 80 | 4 (count + 1) | offsets (see `HNSWGraph`) |
/// | | 4 count (2M + 1) | layer 0 lists |
/// | | 4 blocks (M + 1) | upper-layer lists |
///
/// The file ends there: its size is implied by the header and checked.
enum HNSWFile {
    static let magic: [UInt8] = Array("W2VHNSW".utf8) + [0]
    static let version: UInt32 = 1
    static let headerSize = 80

    static func write(_ index: HNSWIndex, to path: String) throws {
        let graph = index.graph
        var header = ByteWriter()
        header.bytes(magic)
        header.u32(version)
        header.u32(UInt32(index.dimension))
        header.u64(UInt64(graph.count))
        header.u32(UInt32(graph.m))
        header.u32(UInt32(index.parameters.efConstruction))
        header.u32(UInt32(index.parameters.efSearch))
        header.u32(UInt32(graph.maxLevel))
        header.u32(UInt32(graph.entryPoint))
        header.u32(0)
        header.u64(UInt64(graph.blocks))
        header.u64(index.parameters.seed)
        header.u64(index.fingerprint)
        let arrays: [(UnsafeMutablePointer<UInt32>, Int)] = [
            (graph.offsets, graph.count + 1), (graph.layer0, graph.count * (1 + graph.m0)),
            (graph.upper, graph.blocks * (1 + graph.m)),
        ]
        // The body's checksum is over its bytes as one run; the arrays are not contiguous in
        // memory, so they are copied into one buffer (the graph is a few percent of the vectors).
        let bodySize = arrays.reduce(0) { $0 + $1.1 * 4 }
        let body = UnsafeMutableRawPointer.allocate(byteCount: max(bodySize, 1), alignment: 64)
        defer { body.deallocate() }
        var at = 0
        for (array, count) in arrays {
            for i in 0..<count { body.storeBytes(of: array[i].littleEndian, toByteOffset: at + 4 * i, as: UInt32.self) }
            at += 4 * count
        }
        header.u64(checksum(header: header.data, body: UnsafeRawBufferPointer(start: body, count: bodySize)))
        let file = try AtomicFile(path: path)
        try file.write(header.data)
        var from = 0
        while from < bodySize {
            let to = min(bodySize, from + (1 << 20))
            try file.write(UnsafeRawBufferPointer(start: body + from, count: to - from))
            from = to
        }
        try file.commit()
    }

    static func checksum(header: [UInt8], body: UnsafeRawBufferPointer) -> UInt64 {
        let first = header.prefix(72).withUnsafeBytes { SectionChecksum.compute($0.baseAddress!, count: $0.count).checksum }
        let second = SectionChecksum.compute(body.baseAddress ?? UnsafeRawPointer(bitPattern: 64)!, count: body.count).checksum
        return first ^ second
    }

    struct Contents {
        var parameters: HNSWParameters
        var graph: HNSWGraph
        var fingerprint: UInt64
    }

    /// Maps and validates the file at `path` for `count` rows of `dimension` floats whose
    /// fingerprint is `fingerprint`.
    ///
    /// Everything a search follows is checked, so that a file that loads cannot make a search read
    /// outside the graph or the rows: the header's numbers and bounds, the size, the checksum, the
    /// offsets (non-decreasing, levels at most the maximum, summing to the blocks), the entry point
    /// (a node of the maximum level), every list's length (at most its capacity) and every link (a
    /// node below `count` whose level reaches the list's layer).
    /// - Throws: `Word2VecError.malformedData` naming the file and the offset of what is wrong;
    ///   `.unreadableFile`.
    /// - Complexity: O(file size).
    static func read(path: String, count: Int, dimension: Int, fingerprint: UInt64) throws -> Contents {
        let file = try MappedFile(path: path)
        let bytes = UnsafeRawPointer(file.base)
        func fail(_ offset: Int, _ problem: String) -> Word2VecError { .malformedData(path, offset: offset, problem) }
        func u32(_ offset: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        func u64(_ offset: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }

        guard file.size >= magic.count, Array(UnsafeRawBufferPointer(start: bytes, count: magic.count)) == magic else {
            throw fail(0, "not an HNSW index file (no W2VHNSW magic)")
        }
        guard file.size >= headerSize else {
            throw fail(0, "index file is truncated: \(file.size) bytes, shorter than its \(headerSize)-byte header")
        }
        let version = u32(8)
        guard version == Self.version else {
            throw fail(8, version > Self.version
                ? "index file version \(version) is newer than this build reads (\(Self.version)); upgrade word2vec"
                : "unknown index file version \(version)")
        }
        guard u32(12) == UInt32(truncatingIfNeeded: dimension), u64(16) == UInt64(count) else {
            throw fail(12, "the index is for \(u64(16)) vectors of dimension \(u32(12)), not \(count) of dimension \(dimension); rebuild it with 'word2vec index'")
        }
        guard u64(64) == fingerprint else {
            throw fail(64, "the index was built for other vectors (fingerprint mismatch); rebuild it with 'word2vec index'")
        }
        let m = Int(u32(24))
        guard HNSWParameters.mRange.contains(m) else { throw fail(24, "M \(m) is outside \(HNSWParameters.mRange)") }
        let efConstruction = Int(u32(28)), efSearch = Int(u32(32))
        guard HNSWParameters.efRange.contains(efConstruction) else {
            throw fail(28, "efConstruction \(efConstruction) is outside \(HNSWParameters.efRange)")
        }
        guard HNSWParameters.efRange.contains(efSearch) else {
            throw fail(32, "efSearch \(efSearch) is outside \(HNSWParameters.efRange)")
        }
        let maxLevel = Int(u32(36))
        guard maxLevel <= HNSWParameters.maximumLevel else {
            throw fail(36, "maximum level \(maxLevel) is above \(HNSWParameters.maximumLevel)")
        }
        let entry = Int(u32(40))
        guard count >= 1, count < Int(UInt32.max) else { throw fail(16, "an index holds 1 to 2^32 - 2 vectors, not \(count)") }
        guard entry < count else { throw fail(40, "entry point \(entry) is not below the vector count \(count)") }
        guard u32(44) == 0 else { throw fail(44, "reserved field is not zero") }
        let blocksField = u64(48)
        // Each node has at most `maximumLevel` blocks.
        guard blocksField <= UInt64(count) * UInt64(HNSWParameters.maximumLevel) else {
            throw fail(48, "\(blocksField) upper-layer lists for \(count) nodes is impossible")
        }
        let blocks = Int(blocksField)
        let m0 = 2 * m
        let offsetsAt = headerSize
        let layer0At = offsetsAt + 4 * (count + 1)
        let upperAt = layer0At + 4 * count * (1 + m0)
        let size = upperAt + 4 * blocks * (1 + m)
        guard size == file.size else {
            throw fail(0, size > file.size
                ? "index file is truncated: \(file.size) of \(size) bytes present"
                : "index file has \(file.size - size) unexpected bytes after its end")
        }
        let header = Array(UnsafeRawBufferPointer(start: bytes, count: headerSize))
        let body = UnsafeRawBufferPointer(start: bytes + headerSize, count: file.size - headerSize)
        guard checksum(header: header, body: body) == u64(72) else {
            throw fail(72, "index file is corrupt (checksum mismatch)")
        }
        #if _endian(big)
        throw fail(0, "index files are little-endian; this machine is not")
        #endif
        let base = file.base
        let offsets = (base + offsetsAt).bindMemory(to: UInt32.self, capacity: count + 1)
        let layer0 = (base + layer0At).bindMemory(to: UInt32.self, capacity: count * (1 + m0))
        let upper = (base + upperAt).bindMemory(to: UInt32.self, capacity: max(blocks * (1 + m), 1))
        guard offsets[0] == 0, Int(offsets[count]) == blocks else {
            throw fail(offsetsAt, "the offsets do not run from 0 to the \(blocks) upper-layer lists")
        }
        var highest = 0
        for node in 0..<count {
            guard offsets[node] <= offsets[node + 1] else {
                throw fail(offsetsAt + 4 * node, "offsets decrease at node \(node)")
            }
            let level = Int(offsets[node + 1] - offsets[node])
            guard level <= maxLevel else {
                throw fail(offsetsAt + 4 * node, "node \(node) has level \(level), above the maximum \(maxLevel)")
            }
            highest = max(highest, level)
        }
        guard Int(offsets[entry + 1] - offsets[entry]) == maxLevel, highest == maxLevel else {
            throw fail(40, "entry point \(entry) is not a node of the maximum level \(maxLevel)")
        }
        func level(_ node: Int) -> Int { Int(offsets[node + 1] &- offsets[node]) }
        func check(_ list: UnsafeMutablePointer<UInt32>, capacity: Int, layer: Int, at: Int) throws {
            let n = Int(list[0])
            guard n <= capacity else { throw fail(at, "a list of \(n) links exceeds the \(capacity) of layer \(layer)") }
            for j in 0..<n {
                let link = Int(list[1 + j])
                guard link < count else {
                    throw fail(at + 4 * (1 + j), "link to node \(link) is not below the vector count \(count)")
                }
                guard level(link) >= layer else {
                    throw fail(at + 4 * (1 + j), "link on layer \(layer) to node \(link), which has level \(level(link))")
                }
            }
        }
        for node in 0..<count {
            try check(layer0 + node * (1 + m0), capacity: m0, layer: 0, at: layer0At + 4 * node * (1 + m0))
            for layer in stride(from: 1, through: level(node), by: 1) {
                let block = Int(offsets[node]) + layer - 1
                try check(upper + block * (1 + m), capacity: m, layer: layer, at: upperAt + 4 * block * (1 + m))
            }
        }
        let parameters = HNSWParameters(m: m, efConstruction: efConstruction, efSearch: efSearch, seed: u64(56))
        let graph = HNSWGraph(
            count: count, m: m, offsets: offsets, layer0: layer0, upper: upper, maxLevel: maxLevel, entryPoint: entry,
            owner: file)
        return Contents(parameters: parameters, graph: graph, fingerprint: fingerprint)
    }
}
