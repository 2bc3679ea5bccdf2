import Word2Vec

/// The user tower's bytes in a model file's `ATCH` section (`Model.attachment`); the layout is in
/// docs/model-format.md. The core checksums and carries them; this is their only reader and writer.
///
/// All numbers little-endian: the magic `TOWR`, `u32` version (2; 1 is still read), `u64` items, `u64` dimension,
/// `u64` fingerprint of the model's vocabulary (FNV-1a over its words, each followed by a zero
/// byte), `u32` last (0/1), `u32` mean (0/1), `f64` half-life (0: none), `u32` hidden layer count
/// (1-3), `u32` 0, `u64` width per hidden layer; version 2 then has the side fields: `u32` field
/// count (0-64), `u32` side window in events (1-100000), each field's name as `u32` byte length (1-1024) and UTF-8 bytes, `u64` token count,
/// each token as `u32` field index, `u32` byte length (1-1024) and UTF-8 bytes. Then float32
/// matrices back to back: `E` (items x dimension), in version 2 the token embeddings (tokens x
/// dimension), each layer's weights (out x in) and biases (out), `V` (items x dimension), the item
/// biases (items), and nothing after them. Version 1 is version 2 without side fields.
enum TowerFile {
    static let magic: [UInt8] = Array("TOWR".utf8)
    static let version: UInt32 = 2

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
        w.u32(UInt32(tower.fields.count))
        w.u32(UInt32(tower.sideWindow))
        for field in tower.fields { w.text(field) }
        w.u64(UInt64(tower.tokens.count))
        for (field, token) in zip(tower.tokenField, tower.tokens) {
            w.u32(UInt32(field))
            w.text(token)
        }
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
        guard version == 1 || version == Self.version else {
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
        var fields: [String] = []
        var tokens: [(field: Int, token: String)] = []
        var sideWindow = TowerConfiguration().sideWindow
        if version >= 2 {
            let at = reader.position
            let fieldCount = try reader.u32()
            guard fieldCount <= 64 else { throw reader.fail(at, "the user tower has \(fieldCount) side fields (at most 64)") }
            let windowAt = reader.position
            let window = try reader.u32()
            guard (1...100_000).contains(window) else { throw reader.fail(windowAt, "user tower side window \(window) is out of range") }
            sideWindow = Int(window)
            for _ in 0..<fieldCount { fields.append(try reader.text("side field name")) }
            let tokensAt = reader.position
            let tokenCount = try reader.u64()
            // Each token takes at least 9 bytes: the count cannot exceed what the section holds.
            guard tokenCount <= UInt64(bytes.count - reader.position) / 9 else {
                throw reader.fail(tokensAt, "the user tower claims \(tokenCount) side tokens, more than its bytes can hold")
            }
            var seen = Set<String>()
            for _ in 0..<tokenCount {
                let fieldAt = reader.position
                let field = try reader.u32()
                guard field < fieldCount else { throw reader.fail(fieldAt, "side token of field \(field), the tower has \(fieldCount)") }
                let token = try reader.text("side token")
                guard seen.insert(UserTower.key(field: Int(field), token: token)).inserted else {
                    throw reader.fail(fieldAt, "side token repeated")
                }
                tokens.append((Int(field), token))
            }
        }
        let n = Int(items), d = Int(dimension)
        let inputWidth: Int = (inputs.count + fields.count) * d
        let widths: [Int] = [inputWidth] + hidden + [d]
        var shapes: [(Int, Int)] = [(n, d), (tokens.count, d)]
        for layer in 0..<(widths.count - 1) { shapes += [(widths[layer + 1], widths[layer]), (1, widths[layer + 1])] }
        shapes += [(n, d), (1, n)]
        // Sizes are bounded above (items by the vocabulary, the rest by constants): no overflow.
        let floats: Int = shapes.reduce(0) { (total: Int, shape: (Int, Int)) in total + shape.0 * shape.1 }
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
            fields: fields, tokens: tokens, sideWindow: sideWindow, tokenEmbeddings: matrices[1],
            weights: (0..<count).map { matrices[2 + 2 * $0] }, biases: (0..<count).map { matrices[3 + 2 * $0] },
            outputs: matrices[2 + 2 * count], itemBias: matrices[3 + 2 * count])
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

        /// A `u32` byte length (1-1024) and that many bytes of valid UTF-8.
        mutating func text(_ what: String) throws -> String {
            let at = position
            let length = Int(try u32())
            guard (1...1_024).contains(length) else { throw fail(at, "\(what) of \(length) bytes (1 to 1024)") }
            guard position + length <= bytes.count else { throw fail(position, "the user tower is truncated") }
            defer { position += length }
            guard let text = String(validating: bytes[position..<(position + length)], as: UTF8.self) else {
                throw fail(position, "\(what) is not valid UTF-8")
            }
            return text
        }
    }
}

/// Little-endian serialisation into a byte array.
private struct ByteWriter {
    var data: [UInt8] = []

    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func bytes(_ bytes: [UInt8]) { data.append(contentsOf: bytes) }
    mutating func text(_ text: String) {
        u32(UInt32(text.utf8.count))
        data.append(contentsOf: text.utf8)
    }
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
