import Word2Vec

/// The user tower's bytes in a model file's `ATCH` section (`Model.attachment`); the layout is in
/// docs/model-format.md. The core checksums and carries them; this is their only reader and writer.
///
/// All numbers little-endian: the magic `TOWR`, `u32` version 1, `u64` items, `u64` dimension,
/// `u64` fingerprint of the model's vocabulary (FNV-1a over its words, each followed by a zero
/// byte), `u32` last (0/1), `u32` mean (0/1), `f64` half-life (0: none), `u32` hidden layer count
/// (1-3), `u32` 0, `u64` width per hidden layer, then float32 matrices back to back: `E` (items x
/// dimension), each layer's weights (out x in) and biases (out), `V` (items x dimension), the item
/// biases (items), and nothing after them.
enum TowerFile {
    static let magic: [UInt8] = Array("TOWR".utf8)
    static let version: UInt32 = 1

    /// FNV-1a over the words, each followed by a zero byte: ties a tower to the items its rows are.
    static func fingerprint(_ words: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for word in words {
            for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// Whether `bytes` claim to be a tower (start with its magic).
    static func isTower(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

    static func encode(_ tower: UserTower, words: [String]) -> [UInt8] {
        var w = ByteWriter()
        w.bytes(magic)
        w.u32(version)
        w.u64(UInt64(tower.items))
        w.u64(UInt64(tower.dimension))
        w.u64(fingerprint(words))
        w.u32(tower.inputs.last ? 1 : 0)
        w.u32(tower.inputs.mean ? 1 : 0)
        w.u64((tower.inputs.halfLife ?? 0).bitPattern)
        w.u32(UInt32(tower.hidden.count))
        w.u32(0)
        for width in tower.hidden { w.u64(UInt64(width)) }
        for matrix in tower.matrices {
            for i in 0..<(matrix.rows * matrix.columns) { w.u32(matrix.storage[i].bitPattern) }
        }
        return w.data
    }

    /// The tower in `bytes`, whose rows must be `words` (the model's vocabulary).
    ///
    /// - Throws: `Word2VecError.malformedData(source, offset:, ...)` naming the byte of the tower
    ///   (counted from the start of the section) and what is wrong: magic, version, sizes out of
    ///   range or not matching the model, a length that is not the one the sizes give, a float that
    ///   is not finite.
    /// - Complexity: O(bytes); allocates only what the validated sizes give.
    static func decode(_ bytes: [UInt8], words: [String], source: String) throws -> UserTower {
        var reader = Reader(bytes: bytes, source: source)
        guard bytes.count >= 4, Array(bytes.prefix(4)) == magic else { throw reader.fail(0, "ATCH section holds no user tower (no TOWR magic)") }
        reader.position = 4
        let version = try reader.u32()
        guard version == Self.version else {
            throw reader.fail(4, "user tower version \(version) is not one this build reads (\(Self.version))")
        }
        let items = try reader.u64(), dimension = try reader.u64(), fingerprint = try reader.u64()
        guard items == UInt64(words.count) else {
            throw reader.fail(8, "the user tower has \(items) items, the model \(words.count)")
        }
        guard (1...10_000).contains(dimension) else { throw reader.fail(16, "user tower dimension \(dimension) is out of range") }
        guard fingerprint == Self.fingerprint(words) else {
            throw reader.fail(24, "the user tower was trained for other items than this model's vocabulary")
        }
        let last = try reader.u32(), mean = try reader.u32()
        let halfLife = Double(bitPattern: try reader.u64())
        guard last <= 1, mean <= 1 else { throw reader.fail(32, "user tower input flags must be 0 or 1") }
        guard halfLife == 0 || (halfLife > 0 && halfLife <= 1_000) else {
            throw reader.fail(40, "user tower half-life \(halfLife) is out of range")
        }
        let inputs = TowerConfiguration.Inputs(last: last == 1, halfLife: halfLife == 0 ? nil : halfLife, mean: mean == 1)
        guard inputs.count >= 1 else { throw reader.fail(32, "the user tower reads no input") }
        let layers = try reader.u32()
        guard (1...3).contains(layers), try reader.u32() == 0 else {
            throw reader.fail(48, "the user tower has \(layers) hidden layers (1 to 3)")
        }
        var hidden: [Int] = []
        for _ in 0..<layers {
            let at = reader.position
            let width = try reader.u64()
            guard (1...8_192).contains(width) else { throw reader.fail(at, "user tower layer width \(width) is out of range") }
            hidden.append(Int(width))
        }
        let n = Int(items), d = Int(dimension)
        let widths = [inputs.count * d] + hidden + [d]
        var shapes = [(n, d)]
        for layer in 0..<(widths.count - 1) { shapes += [(widths[layer + 1], widths[layer]), (1, widths[layer + 1])] }
        shapes += [(n, d), (1, n)]
        // Sizes are bounded above (items by the vocabulary, the rest by constants): no overflow.
        let floats = shapes.reduce(0) { $0 + $1.0 * $1.1 }
        guard bytes.count - reader.position == floats * 4 else {
            throw reader.fail(reader.position, "the user tower holds \(bytes.count - reader.position) bytes of weights, its sizes give \(floats * 4)")
        }
        var matrices: [Matrix] = []
        for (rows, columns) in shapes {
            let matrix = Matrix(rows: rows, columns: columns)
            for i in 0..<(rows * columns) {
                let at = reader.position
                let value = Float(bitPattern: try reader.u32())
                guard value.isFinite else { throw reader.fail(at, "the user tower holds a value that is not finite") }
                matrix.storage[i] = value
            }
            matrices.append(matrix)
        }
        let count = hidden.count + 1
        return UserTower(
            items: n, dimension: d, inputs: inputs, hidden: hidden, embeddings: matrices[0],
            weights: (0..<count).map { matrices[1 + 2 * $0] }, biases: (0..<count).map { matrices[2 + 2 * $0] },
            outputs: matrices[1 + 2 * count], itemBias: matrices[2 + 2 * count])
    }

    private struct Reader {
        let bytes: [UInt8]
        let source: String
        var position = 0

        func fail(_ offset: Int, _ problem: String) -> Word2VecError {
            .malformedData(source, offset: offset, "ATCH: " + problem)
        }

        mutating func u32() throws -> UInt32 {
            guard position + 4 <= bytes.count else { throw fail(position, "the user tower is truncated") }
            defer { position += 4 }
            return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[position + $1]) << (8 * $1) }
        }

        mutating func u64() throws -> UInt64 {
            let low = try u32(), high = try u32()
            return UInt64(low) | UInt64(high) << 32
        }
    }
}

/// Little-endian serialisation into a byte array.
private struct ByteWriter {
    var data: [UInt8] = []

    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func bytes(_ bytes: [UInt8]) { data.append(contentsOf: bytes) }
}

extension Model {
    /// The user tower stored with the model, or `nil` if it has none (no `ATCH` section, or one
    /// that is not a tower).
    ///
    /// - Parameter source: the file named in errors.
    /// - Throws: `Word2VecError.malformedData` for a tower that does not decode or does not fit
    ///   the model (`TowerFile.decode`).
    public func userTower(source: String) throws -> UserTower? {
        guard let attachment, TowerFile.isTower(attachment) else { return nil }
        return try TowerFile.decode(attachment, words: vocabulary.words, source: source)
    }

    /// Stores `tower` with the model (saved by `save(to:)` as its `ATCH` section).
    /// - Precondition: the tower has one row per vocabulary word.
    public func attach(_ tower: UserTower) {
        precondition(tower.items == vocabulary.count)
        attachment = TowerFile.encode(tower, words: vocabulary.words)
    }
}
