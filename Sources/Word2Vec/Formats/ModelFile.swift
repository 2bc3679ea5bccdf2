#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The model file: everything a run needs to be queried, resumed or updated, laid out so that the
/// matrices are used in place from a memory map. The layout is specified in `docs/model-format.md`;
/// this type is its only reader and writer.
///
/// In short: a 64-byte header (magic `W2VMODEL`, version, section count, file size, checksum of the
/// header and section table), a table of 32-byte section entries (tag, flags, offset, length,
/// checksum), then the sections, each starting on a 64-byte boundary and every matrix on a 4096-byte
/// one. All numbers are little-endian; matrices are row-major float32.
enum ModelFile {
    static let magic: [UInt8] = Array("W2VMODEL".utf8)
    static let version: UInt32 = 1
    static let headerSize = 64
    static let entrySize = 32
    static let matrixAlignment = 4096

    /// Section tags, four ASCII bytes read as a little-endian `UInt32`.
    enum Tag: UInt32, CaseIterable {
        case configuration = 0x464E_4F43  // "CONF"
        case state = 0x5441_5453  // "STAT"
        case vocabulary = 0x4243_4F56  // "VOCB"
        case rareWords = 0x4552_4152  // "RARE"
        case input = 0x5450_4E49  // "INPT"
        case hierarchicalOutput = 0x464F_5348  // "HSOF"
        case negativeOutput = 0x464F_534E  // "NSOF"
        case unitVectors = 0x5449_4E55  // "UNIT"
        case documentTags = 0x5347_4154  // "TAGS"
        case documentVectors = 0x5643_4F44  // "DOCV"
        case softmaxOutput = 0x464F_4D53  // "SMOF"
        case padding = 0x5644_4150  // "PADV"
        case subwordBuckets = 0x4D52_474E  // "NGRM": character n-grams' rows
        case reservoir = 0x5256_5352  // "RSVR": sentences sampled for rehearsal
        case reservoirTags = 0x5456_5352  // "RSVT": the document tags of RSVR's sentences
        case attachment = 0x4843_5441  // "ATCH": another module's bytes, carried but not interpreted

        var name: String {
            withUnsafeBytes(of: rawValue.littleEndian) { String(decoding: $0, as: UTF8.self) }
        }

        var holdsFloats: Bool {
            switch self {
            case .input, .hierarchicalOutput, .negativeOutput, .unitVectors, .documentVectors, .softmaxOutput, .padding,
                 .subwordBuckets: true
            default: false
            }
        }
    }

    /// Whether the file at `path` starts with the model magic. False for unreadable or short files.
    static func hasMagic(_ path: String) -> Bool { ReadableFile.starts(path, with: magic) }
}

// MARK: - Writing

extension Model {
    /// Writes the model file atomically: it appears complete at `path` or not at all.
    ///
    /// - Parameter unitVectors: also store the input rows scaled to unit length, so that similarity
    ///   queries on the file need neither a pass over the vectors nor a second copy in memory. Costs
    ///   one more `vocabulary.count x dimension` matrix on disk.
    /// - Throws: `Word2VecError.unwritableFile`.
    /// - Complexity: O(size of the matrices): one pass to checksum, one to write.
    public func save(to path: String, unitVectors: Bool = true) throws {
        var sections: [(ModelFile.Tag, SectionBytes)] = [
            (.configuration, .bytes(ConfigurationSection.encode(configuration))),
            (.state, .bytes(ModelFile.encode(state))),
            (.vocabulary, .bytes(ModelFile.encode(words: vocabulary.words, counts: vocabulary.counts))),
            (.rareWords, .bytes(ModelFile.encode(rareWords))),
        ]
        if !reservoir.isEmpty { sections.append((.reservoir, .bytes(ModelFile.encode(reservoir)))) }
        if reservoir.hasTags { sections.append((.reservoirTags, .bytes(ModelFile.encode(reservoirTags: reservoir.tags)))) }
        if let attachment { sections.append((.attachment, .bytes(attachment))) }
        for entry in trainedMatrices {
            if entry.tag == .documentVectors, let documents {
                var tags = CountedWords()
                for i in 0..<documents.count { tags.append(documents.tags.table.key(i), count: 0) }
                sections.append((.documentTags, .bytes(ModelFile.encode(tags))))
            }
            sections.append((entry.tag, .matrix(entry.matrix)))
        }
        var unit: Matrix?
        if unitVectors {
            unit = queryRows.matrixWithoutKeeping
            sections.append((.unitVectors, .matrix(unit!)))
        }
        try ModelFile.write(sections, to: path)
        withExtendedLifetime(unit) {}
    }
}

/// A section's content while writing.
enum SectionBytes {
    case bytes([UInt8])
    case matrix(Matrix)

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch self {
        case .bytes(let bytes): try bytes.withUnsafeBytes(body)
        case .matrix(let matrix):
            try body(UnsafeRawBufferPointer(start: matrix.storage, count: matrix.rows * matrix.columns * 4))
        }
    }
}

extension ModelFile {
    static func write(_ sections: [(ModelFile.Tag, SectionBytes)], to path: String) throws {
        // Layout first: offsets and checksums go into the table that precedes the data.
        var table = ByteWriter()
        var offset = align(headerSize + sections.count * entrySize, to: 64)
        var offsets: [Int] = []
        for (tag, content) in sections {
            if case .matrix = content { offset = align(offset, to: matrixAlignment) }
            let (length, checksum) = content.withBytes { ($0.count, SectionChecksum.compute($0.baseAddress ?? UnsafeRawPointer(bitPattern: 64)!, count: $0.count).checksum) }
            table.u32(tag.rawValue)
            table.u32(0)
            table.u64(UInt64(offset))
            table.u64(UInt64(length))
            table.u64(checksum)
            offsets.append(offset)
            offset = align(offset + length, to: 64)
        }
        var header = ByteWriter()
        header.bytes(magic)
        header.u32(version)
        header.u32(UInt32(sections.count))
        header.u64(UInt64(offset))
        let headerChecksum = checksum(header: header.data, table: table.data)
        header.u64(headerChecksum)
        header.zeros(headerSize - header.data.count)

        let file = try AtomicFile(path: path)
        try file.write(header.data)
        try file.write(table.data)
        var written = header.data.count + table.data.count
        for ((_, content), start) in zip(sections, offsets) {
            try file.write(repeatElement(UInt8(0), count: start - written))
            // In slices, so that the writer's buffer never holds a whole matrix.
            try content.withBytes { bytes in
                var from = 0
                while from < bytes.count {
                    let to = min(bytes.count, from + (1 << 20))
                    try file.write(UnsafeRawBufferPointer(rebasing: bytes[from..<to]))
                    from = to
                }
            }
            written = start + content.withBytes { $0.count }
        }
        try file.write(repeatElement(UInt8(0), count: offset - written))
        try file.commit()
    }

    static func checksum(header: [UInt8], table: [UInt8]) -> UInt64 {
        let covered = Array(header.prefix(24)) + table
        return covered.withUnsafeBytes { SectionChecksum.compute($0.baseAddress!, count: $0.count).checksum }
    }

    static func align(_ value: Int, to alignment: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }

    static func encode(_ state: TrainingState) -> [UInt8] {
        var w = ByteWriter()
        for value in [state.epoch, state.epochs, state.wordsPerEpoch, state.processedWords, state.generation,
                      state.corpusBytes] {
            w.i64(value)
        }
        w.u32(state.initialLearningRate.bitPattern)
        w.u32(0)
        w.u64(UInt64(state.workers.count))
        for worker in state.workers {
            w.i64(worker.sentencesDone)
            w.u64(worker.finished ? 1 : 0)
            w.u64(worker.random)
            w.i64(worker.unreported)
            w.u32(worker.learningRate.bitPattern)
            w.u32(0)
            w.u64(worker.loss.bitPattern)
            w.i64(worker.predictions)
        }
        let name = Array(state.corpusName.utf8)
        w.u64(UInt64(name.count))
        w.bytes(name)
        return w.data
    }

    /// `count`, then `count` int64 counts, then `count` uint64 word end offsets, then the UTF-8 bytes.
    static func encode(words: [String], counts: [Int]) -> [UInt8] {
        var list = CountedWords()
        for (word, count) in zip(words, counts) { list.append(word.utf8, count: count) }
        return encode(list)
    }

    /// `count`, then `count` x `u64` keys (ascending), then `count` x `u64` end offsets, then the bytes.
    static func encode(_ reservoir: SentenceReservoir) -> [UInt8] {
        var w = ByteWriter()
        w.u64(UInt64(reservoir.count))
        for key in reservoir.keys { w.u64(key) }
        for end in reservoir.ends { w.u64(UInt64(end)) }
        w.bytes(reservoir.bytes)
        return w.data
    }

    /// `count`, then `count` x `u64` end offsets into the tag numbers that follow, then the `u32` tag
    /// numbers.
    static func encode(reservoirTags tags: [[Int32]]) -> [UInt8] {
        var w = ByteWriter()
        w.u64(UInt64(tags.count))
        var end = 0
        for list in tags {
            end += list.count
            w.u64(UInt64(end))
        }
        for list in tags {
            for tag in list { w.u32(UInt32(tag)) }
        }
        return w.data
    }

    static func encode(_ list: CountedWords) -> [UInt8] {
        var w = ByteWriter()
        w.u64(UInt64(list.count))
        for count in list.counts { w.i64(count) }
        for end in list.ends { w.u64(UInt64(end)) }
        w.bytes(list.bytes)
        return w.data
    }
}

/// Little-endian serialisation into a byte array.
struct ByteWriter {
    var data: [UInt8] = []

    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func i64(_ value: Int) { u64(UInt64(bitPattern: Int64(value))) }
    mutating func bytes(_ bytes: [UInt8]) { data.append(contentsOf: bytes) }
    mutating func zeros(_ count: Int) { data.append(contentsOf: repeatElement(0, count: max(0, count))) }
}

// MARK: - Reading

/// A file mapped copy-on-write: its pages are shared with the page cache until written, and writes
/// (training a loaded model further) never reach the file.
///
/// `@unchecked Sendable`: the properties are constants; the mapped bytes are shared as `Matrix`
/// storage is, under `Matrix`'s rules.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let size: Int

    init(path: String) throws {
        let descriptor = try ReadableFile.open(path)
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw Word2VecError.unreadableFile(path, reason: String(cString: strerror(errno)))
        }
        size = Int(info.st_size)
        guard size > 0 else { throw Word2VecError.malformedData(path, offset: 0, "empty file, not a model file") }
        // No MAP_POPULATE: on a writable private mapping it faults every page in for writing, which
        // copies the whole file into anonymous memory. Read faults share the page cache's pages.
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw Word2VecError.unreadableFile(path, reason: "cannot map: \(String(cString: strerror(errno)))")
        }
        base = mapped
    }

    deinit { munmap(base, size) }
}

extension Model {
    /// Opens a model file written by `save(to:)`, using its matrices in place (memory-mapped
    /// copy-on-write; the file is never modified).
    ///
    /// Every section's checksum is verified and every stored value is checked (finite floats, counts
    /// in order, consistent sizes), so a file that loads is whole.
    ///
    /// - Throws: `Word2VecError.malformedData` naming the file, the byte offset and what is wrong (not
    ///   a model file, a version this build does not know, truncation, a checksum mismatch, an
    ///   inconsistent section); `.unreadableFile`.
    /// - Parameter mode: `.vectors` leaves out the output weights (the model cannot be trained then);
    ///   `.queries` also verifies only what similarity queries read: the stored unit rows, or the
    ///   input rows when there are none (`input` is then not verified if unit rows exist).
    /// - Complexity: O(file size) for the checksums, at memory speed; O(vocabulary) to index the words.
    public convenience init(contentsOf path: String, for mode: LoadingMode = .everything) throws {
        let file = try MappedFile(path: path)
        var reader = ModelFileReader(path: path, file: file, mode: mode)
        let parts = try reader.read()
        self.init(
            vocabulary: parts.vocabulary, configuration: parts.configuration,
            inputs: InputLayer(words: parts.input, padding: parts.padding, subwords: parts.subwords),
            outputs: parts.outputs, rareWords: parts.rareWords, documents: parts.documents, reservoir: parts.reservoir,
            state: parts.state,
            unitVectors: parts.unitVectors)
        attachment = parts.attachment
    }
}

struct ModelFileReader {
    let path: String
    let file: MappedFile
    let mode: Model.LoadingMode

    struct Parts {
        var configuration: TrainingConfiguration
        var state: TrainingState
        var vocabulary: Vocabulary
        var rareWords: CountedWords
        var reservoir: SentenceReservoir
        var input: Matrix
        var outputs: [OutputLayer]
        var padding: Matrix?
        var subwords: SubwordRows?
        var documents: DocumentVectors?
        var unitVectors: Matrix?
        var attachment: [UInt8]?
    }

    private func fail(_ offset: Int, _ problem: String) -> Word2VecError {
        .malformedData(path, offset: offset, problem)
    }

    private var bytes: UnsafeRawPointer { UnsafeRawPointer(file.base) }

    private func u32(_ offset: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    private func u64(_ offset: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }

    mutating func read() throws -> Parts {
        guard file.size >= ModelFile.magic.count,
              Array(UnsafeRawBufferPointer(start: bytes, count: ModelFile.magic.count)) == ModelFile.magic
        else { throw fail(0, "not a swift-word2vec model file (no W2VMODEL magic)") }
        guard file.size >= ModelFile.headerSize else {
            throw fail(0, "model file is truncated: \(file.size) bytes, shorter than its \(ModelFile.headerSize)-byte header")
        }
        let version = u32(8)
        guard version == ModelFile.version else {
            throw fail(8, version > ModelFile.version
                ? "model file version \(version) is newer than this build reads (\(ModelFile.version)); upgrade word2vec"
                : "unknown model file version \(version)")
        }
        let sectionCount = Int(u32(12))
        let announcedSize = u64(16)
        guard announcedSize == UInt64(file.size) else {
            throw fail(16, announcedSize > UInt64(file.size)
                ? "model file is truncated: \(file.size) of \(announcedSize) bytes present"
                : "model file has \(UInt64(file.size) - announcedSize) unexpected bytes after its end")
        }
        guard sectionCount <= ModelFile.Tag.allCases.count, ModelFile.headerSize + sectionCount * ModelFile.entrySize <= file.size else {
            throw fail(12, "model file announces \(sectionCount) sections; at most \(ModelFile.Tag.allCases.count) exist")
        }
        let tableBytes = Array(UnsafeRawBufferPointer(start: bytes + ModelFile.headerSize, count: sectionCount * ModelFile.entrySize))
        let header = Array(UnsafeRawBufferPointer(start: bytes, count: 24))
        guard ModelFile.checksum(header: header, table: tableBytes) == u64(24) else {
            throw fail(24, "model file header or section table is corrupt (checksum mismatch)")
        }
        var sections: [ModelFile.Tag: UnsafeRawBufferPointer] = [:]
        var checksums: [ModelFile.Tag: UInt64] = [:]
        for i in 0..<sectionCount {
            let entry = ModelFile.headerSize + i * ModelFile.entrySize
            guard let tag = ModelFile.Tag(rawValue: u32(entry)) else {
                throw fail(entry, "unknown section tag 0x\(String(u32(entry), radix: 16))")
            }
            guard sections[tag] == nil else { throw fail(entry, "section \(tag.name) appears twice") }
            let offset = u64(entry + 8)
            let length = u64(entry + 16)
            guard offset <= UInt64(file.size), length <= UInt64(file.size) - offset else {
                throw fail(entry, "section \(tag.name) (\(length) bytes at \(offset)) extends past the end of the file")
            }
            if tag.holdsFloats {
                guard offset % UInt64(ModelFile.matrixAlignment) == 0, length % 4 == 0 else {
                    throw fail(entry, "section \(tag.name) is not aligned for float32 rows")
                }
            }
            sections[tag] = UnsafeRawBufferPointer(start: bytes + Int(offset), count: Int(length))
            checksums[tag] = u64(entry + 24)
        }
        // Queries read the unit rows (or, without them, the input rows) and never the output weights,
        // so only what they read is verified and mapped in: opening costs one pass over one matrix.
        if mode != .everything {
            for kind in OutputLayer.Kind.allCases { sections[OutputLayer.tag(of: kind)] = nil }
        }
        for (tag, section) in sections {
            // With subwords an unknown word's vector comes from the rows themselves.
            if mode == .queries, tag == .input, sections[.unitVectors] != nil, sections[.subwordBuckets] == nil { continue }
            let (checksum, finite) = SectionChecksum.compute(
                section.baseAddress ?? bytes, count: section.count, floats: tag.holdsFloats)
            guard checksum == checksums[tag] else {
                throw fail(offset(of: section), "section \(tag.name) is corrupt (checksum mismatch)")
            }
            guard finite else { throw fail(offset(of: section), "section \(tag.name) holds a value that is not finite") }
        }
        func required(_ tag: ModelFile.Tag) throws -> UnsafeRawBufferPointer {
            guard let section = sections[tag] else { throw fail(ModelFile.headerSize, "model file has no \(tag.name) section") }
            return section
        }
        let configuration = try decodeConfiguration(try required(.configuration))
        let (words, counts, _) = try decodeWords(try required(.vocabulary), tag: .vocabulary)
        guard !words.isEmpty else { throw fail(offset(of: try required(.vocabulary)), "the vocabulary is empty") }
        for i in 1..<max(counts.count, 1) where counts[i] > counts[i - 1] {
            throw fail(offset(of: try required(.vocabulary)), "vocabulary counts are not in descending order at word \(i)")
        }
        let vocabulary = try Vocabulary(sortedWords: words, counts: counts) { duplicate in
            fail(offset(of: sections[.vocabulary]!), "word '\(duplicate)' appears twice in the vocabulary")
        }
        // Only updates read the rare words; a model opened for vectors or queries cannot be trained,
        // so their section is verified by its checksum but not decoded.
        let rare = try mode == .everything ? decodeWords(required(.rareWords), tag: .rareWords).list : CountedWords()
        var reservoir = try mode == .everything ? sections[.reservoir].map { try decodeReservoir($0) } ?? SentenceReservoir() : SentenceReservoir()
        let state = try decodeState(try required(.state), configuration: configuration)

        let v = vocabulary.count
        let dimension = configuration.dimension
        func matrix(_ tag: ModelFile.Tag, rows: Int, columns: Int = dimension) throws -> Matrix? {
            guard let section = sections[tag] else { return nil }
            let (floats, overflow) = rows.multipliedReportingOverflow(by: columns)
            guard !overflow, floats <= section.count / 4, floats * 4 == section.count else {
                throw fail(offset(of: section), "section \(tag.name) holds \(section.count) bytes, expected \(rows) x \(columns) floats")
            }
            let storage = UnsafeMutableRawPointer(mutating: section.baseAddress!).bindMemory(to: Float.self, capacity: floats)
            return Matrix(rows: rows, columns: columns, borrowing: storage, owner: file)
        }
        let input = try matrix(.input, rows: v)
        guard let input else { throw fail(ModelFile.headerSize, "model file has no INPT section") }
        let width = configuration.hiddenWidth
        var outputs: [OutputLayer] = []
        for kind in configuration.outputKinds {
            let rows = OutputLayer.rowCount(of: kind, vocabularySize: v)
            if let weights = try matrix(OutputLayer.tag(of: kind), rows: rows, columns: width) {
                outputs.append(OutputLayer(kind, weights: weights))
            }
        }
        let padding = try matrix(.padding, rows: 1)
        var subwords: SubwordRows?
        if let nGrams = configuration.subwords {
            guard let buckets = try matrix(.subwordBuckets, rows: nGrams.buckets) else {
                throw fail(ModelFile.headerSize, "model file has no NGRM section (its configuration has subwords)")
            }
            subwords = SubwordRows(nGrams: nGrams, buckets: buckets, words: vocabulary.words)
        } else if sections[.subwordBuckets] != nil {
            throw fail(ModelFile.headerSize, "NGRM section in a model without subwords")
        }
        guard (padding != nil) == configuration.usesConcatenatedWords else {
            throw fail(ModelFile.headerSize, configuration.usesConcatenatedWords
                ? "model file has no PADV section (cbowConcat needs its padding row)"
                : "PADV section in a model without cbowConcat")
        }
        var documents: DocumentVectors?
        if configuration.documentMode != nil {
            let tagSection = try required(.documentTags)
            let list = try decodeWords(tagSection, tag: .documentTags).list
            var tags = DocumentTags()
            for i in 0..<list.count {
                let id = list.wordBytes(i).withUnsafeBufferPointer { tags.insert(bytes: $0) }
                guard id == i else { throw fail(offset(of: tagSection), "section TAGS: tag \(i) appears twice") }
            }
            guard tags.count > 0 else { throw fail(offset(of: tagSection), "section TAGS is empty") }
            let rows = tags.count + (configuration.documentMode == .dmConcat ? 1 : 0)
            guard let weights = try matrix(.documentVectors, rows: rows) else {
                throw fail(ModelFile.headerSize, "model file has no DOCV section")
            }
            documents = DocumentVectors(tags: tags, weights: weights)
        } else if sections[.documentTags] != nil || sections[.documentVectors] != nil {
            throw fail(ModelFile.headerSize, "document sections in a model without a document mode")
        }
        if mode == .everything, let section = sections[.reservoirTags] {
            guard let documents, sections[.reservoir] != nil else {
                throw fail(offset(of: section), "section RSVT without RSVR and document vectors")
            }
            reservoir.tags = try decodeReservoirTags(section, sentences: reservoir.count, documents: documents.count)
        }
        // A model made from word vectors alone has no output weights and unknown (zero) counts; a
        // trainable one has exactly the matrices its objectives use and counts of at least 1.
        let outputSections = OutputLayer.Kind.allCases.filter { sections[OutputLayer.tag(of: $0)] != nil }
        if mode == .everything, !outputSections.isEmpty {
            guard outputSections.count == outputs.count, outputs.count == configuration.outputKinds.count else {
                throw fail(ModelFile.headerSize, "the output matrices do not match the configuration's objectives")
            }
            guard counts.last! >= 1 else { throw fail(offset(of: try required(.vocabulary)), "a vocabulary count is 0") }
        }
        // Queries trust the stored unit rows as cosines' denominators: a row of another length (a
        // file sealed with valid checksums by another writer) would give scores outside [-1, 1].
        let unit = try matrix(.unitVectors, rows: v)
        if let unit {
            for row in 0..<unit.rows {
                let squares = VectorKernels.dot(unit.pointer(row: row), unit.pointer(row: row), count: unit.columns)
                guard squares == 0 || abs(squares - 1) <= 1e-3 else {
                    throw fail(offset(of: sections[.unitVectors]!) + row * unit.columns * 4,
                               "section UNIT row \(row) has length \(squares.squareRoot()), not 1 (or 0)")
                }
            }
        }
        return Parts(
            configuration: configuration, state: state, vocabulary: vocabulary, rareWords: rare, reservoir: reservoir, input: input,
            outputs: outputs, padding: padding, subwords: subwords, documents: documents,
            unitVectors: unit, attachment: sections[.attachment].map { Array($0) })
    }

    private func offset(of section: UnsafeRawBufferPointer) -> Int {
        section.baseAddress.map { $0 - bytes } ?? 0
    }

    private func decodeConfiguration(_ section: UnsafeRawBufferPointer) throws -> TrainingConfiguration {
        do {
            return try ConfigurationSection.decode(section)
        } catch {
            throw fail(offset(of: section), error.message)
        }
    }

    /// The layout the vocabulary, rare-word and reservoir sections share: a count n, n 64-bit
    /// values, n end offsets into the arena of bytes that follows, each entry at least one byte.
    /// Checks the count against the size and the extents; what the values mean is the caller's.
    private func decodeTable(_ section: UnsafeRawBufferPointer, tag: ModelFile.Tag, entry: String) throws -> (values: [UInt64], ends: [Int], bytes: [UInt8]) {
        let at = offset(of: section)
        guard section.count >= 8 else { throw fail(at, "section \(tag.name) is too short") }
        let count = UInt64(littleEndian: section.loadUnaligned(as: UInt64.self))
        // Each entry takes a value, an end offset and at least one byte.
        guard count <= UInt64(section.count - 8) / 17 else {
            throw fail(at, "section \(tag.name) announces \(count) \(entry)s, more than its \(section.count) bytes can hold")
        }
        let n = Int(count)
        let arena = 8 + 16 * n
        let arenaLength = section.count - arena
        var values: [UInt64] = [], ends: [Int] = []
        values.reserveCapacity(n)
        ends.reserveCapacity(n)
        var previousEnd = 0
        for i in 0..<n {
            let end = UInt64(littleEndian: section.loadUnaligned(fromByteOffset: 8 + 8 * n + 8 * i, as: UInt64.self))
            guard end > UInt64(previousEnd), end <= UInt64(arenaLength) else {
                throw fail(at, "section \(tag.name): \(entry) \(i) has an invalid extent")
            }
            values.append(UInt64(littleEndian: section.loadUnaligned(fromByteOffset: 8 + 8 * i, as: UInt64.self)))
            ends.append(Int(end))
            previousEnd = Int(end)
        }
        guard previousEnd == arenaLength else {
            throw fail(at, "section \(tag.name) has \(arenaLength - previousEnd) bytes after its last \(entry)")
        }
        return (values, ends, Array(UnsafeRawBufferPointer(rebasing: section[arena...])))
    }

    private func decodeWords(_ section: UnsafeRawBufferPointer, tag: ModelFile.Tag) throws -> (words: [String], counts: [Int], list: CountedWords) {
        let at = offset(of: section)
        let table = try decodeTable(section, tag: tag, entry: "word")
        var list = CountedWords()
        list.counts.reserveCapacity(table.values.count)
        var total = 0
        for (i, value) in table.values.enumerated() {
            guard value <= 1 << 62 else { throw fail(at, "section \(tag.name): word \(i) has an invalid count") }
            let (sum, overflow) = total.addingReportingOverflow(Int(value))
            guard !overflow, sum <= 1 << 62 else { throw fail(at, "section \(tag.name): counts add up beyond 2^62") }
            total = sum
            list.counts.append(Int(value))
        }
        list.ends = table.ends
        list.bytes = table.bytes
        let n = list.counts.count
        var words: [String] = []
        if tag == .vocabulary {
            words.reserveCapacity(n)
            for i in 0..<n {
                guard let word = Self.validWord(list.wordBytes(i)) else {
                    throw fail(at, "section \(tag.name): word \(i) is not a valid word (UTF-8 without spaces or control bytes)")
                }
                words.append(word)
            }
        } else {
            for i in 0..<n where Self.validWord(list.wordBytes(i)) == nil {
                throw fail(at, "section \(tag.name): word \(i) is not a valid word (UTF-8 without spaces or control bytes)")
            }
        }
        return (words, list.counts, list)
    }

    private func decodeReservoir(_ section: UnsafeRawBufferPointer) throws -> SentenceReservoir {
        let at = offset(of: section)
        let table = try decodeTable(section, tag: .reservoir, entry: "sentence")
        var reservoir = SentenceReservoir()
        reservoir.keys = table.values
        reservoir.ends = table.ends
        reservoir.bytes = table.bytes
        for i in reservoir.keys.indices {
            guard i == 0 || reservoir.keys[i] >= reservoir.keys[i - 1] else {
                throw fail(at, "section RSVR: keys are not in ascending order at sentence \(i)")
            }
            for word in reservoir.sentenceBytes(i).split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            where Self.validWord(word) == nil {
                throw fail(at, "section RSVR: sentence \(i) holds an invalid word (words are valid UTF-8 without control bytes, one space apart)")
            }
        }
        guard reservoir.wordCount <= SentenceReservoir.capacity else {
            throw fail(at, "section RSVR holds \(reservoir.wordCount) words, more than the \(SentenceReservoir.capacity) a reservoir keeps")
        }
        return reservoir
    }

    /// The tag lists of `RSVT`: one per sentence of `RSVR`, each of 1 to 65,536 numbers below
    /// `documents`.
    private func decodeReservoirTags(_ section: UnsafeRawBufferPointer, sentences: Int, documents: Int) throws -> [[Int32]] {
        let at = offset(of: section)
        guard section.count >= 8 else { throw fail(at, "section RSVT is too short") }
        let count = UInt64(littleEndian: section.loadUnaligned(as: UInt64.self))
        guard count == UInt64(sentences), UInt64(section.count - 8) / 8 >= count else {
            throw fail(at, "section RSVT announces \(count) tag lists for the \(sentences) sentences of RSVR")
        }
        let first = 8 + 8 * sentences
        let numbers = (section.count - first) / 4
        guard (section.count - first) % 4 == 0 else { throw fail(at, "section RSVT does not end on a whole tag number") }
        var tags: [[Int32]] = []
        tags.reserveCapacity(sentences)
        var start = 0
        for i in 0..<sentences {
            let end = UInt64(littleEndian: section.loadUnaligned(fromByteOffset: 8 + 8 * i, as: UInt64.self))
            guard end > UInt64(start), end <= UInt64(numbers), end - UInt64(start) <= 1 << 16 else {
                throw fail(at, "section RSVT: sentence \(i) has an invalid extent")
            }
            var list: [Int32] = []
            for j in start..<Int(end) {
                let tag = UInt32(littleEndian: section.loadUnaligned(fromByteOffset: first + 4 * j, as: UInt32.self))
                guard tag < UInt32(documents) else {
                    throw fail(at, "section RSVT: sentence \(i) has tag number \(tag), but the model has \(documents) tags")
                }
                list.append(Int32(tag))
            }
            tags.append(list)
            start = Int(end)
        }
        guard start == numbers else { throw fail(at, "section RSVT has \(numbers - start) tag numbers after its last list") }
        return tags
    }

    /// The word spelled by `bytes` if they are valid UTF-8 and follow `WordSpelling` (no space or
    /// control byte: what every vector and vocabulary file can hold).
    static func validWord(_ bytes: ArraySlice<UInt8>) -> String? {
        guard bytes.withUnsafeBufferPointer({ WordSpelling.problem($0) }) == nil else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    private func decodeState(_ section: UnsafeRawBufferPointer, configuration: TrainingConfiguration) throws -> TrainingState {
        let at = offset(of: section)
        var cursor = 0
        func next() throws -> UInt64 {
            guard cursor + 8 <= section.count else { throw fail(at, "section STAT is truncated") }
            defer { cursor += 8 }
            return UInt64(littleEndian: section.loadUnaligned(fromByteOffset: cursor, as: UInt64.self))
        }
        func int() throws -> Int { Int(Int64(bitPattern: try next())) }
        let epoch = try int(), epochs = try int(), wordsPerEpoch = try int(), processed = try int()
        let generation = try int(), corpusBytes = try int()
        let rate = Float(bitPattern: UInt32(truncatingIfNeeded: try next()))
        let workerCount = try next()
        guard epochs >= 1, epochs <= TrainingConfiguration.limits.epochs, epoch >= 0, epoch <= epochs, wordsPerEpoch >= 0, wordsPerEpoch <= 1 << 62,
              processed >= 0, generation >= 1, corpusBytes >= -1, rate.isFinite, rate > 0,
              workerCount == 0 || workerCount == UInt64(configuration.threads)
        else { throw fail(at, "section STAT holds an impossible training state") }
        var state = TrainingState(
            epochs: epochs, wordsPerEpoch: wordsPerEpoch, initialLearningRate: rate, corpusName: "",
            corpusBytes: corpusBytes, generation: generation)
        state.epoch = epoch
        state.processedWords = processed
        for _ in 0..<Int(workerCount) {
            let done = try int(), finished = try next(), random = try next(), unreported = try int()
            let learningRate = Float(bitPattern: UInt32(truncatingIfNeeded: try next()))
            let loss = Double(bitPattern: try next()), predictions = try int()
            guard done >= 0, finished <= 1, unreported >= 0, learningRate.isFinite, loss.isFinite, predictions >= 0 else {
                throw fail(at, "section STAT holds an impossible worker state")
            }
            state.workers.append(WorkerPosition(
                sentencesDone: done, finished: finished == 1, random: random, unreported: unreported,
                learningRate: learningRate, loss: loss, predictions: predictions))
        }
        let nameLength = try next()
        guard nameLength == UInt64(section.count - cursor) else { throw fail(at, "section STAT has a bad corpus name length") }
        guard let name = String(validating: section[cursor...], as: UTF8.self) else {
            throw fail(at, "section STAT: the corpus name is not UTF-8")
        }
        state.corpusName = name
        return state
    }
}

extension Vocabulary {
    /// A vocabulary from words already in the model order (descending count), without sorting.
    init(sortedWords words: [String], counts: [Int], duplicate: (String) -> Word2VecError) throws {
        var table = ByteStringTable(minimumCapacity: words.count)
        for word in words {
            var word = word
            let inserted = word.withUTF8 { table.insert($0).inserted }
            guard inserted else { throw duplicate(word) }
        }
        self.words = words
        self.counts = counts
        self.totalCount = counts.reduce(0, +)
        self.table = table
    }
}

extension Vocabulary {
    /// The first `count` words of `vocabulary` (its most frequent ones), in the same order.
    init(sortedPrefix count: Int, of vocabulary: Vocabulary) {
        let words = Array(vocabulary.words.prefix(count))
        // Words of a vocabulary are distinct, so this cannot fail.
        try! self.init(sortedWords: words, counts: Array(vocabulary.counts.prefix(count))) { _ in .emptyCorpus("") }
    }
}

extension Model {
    /// What a model is opened for (see `init(contentsOf:for:)`).
    public enum LoadingMode: Sendable {
        /// Everything, verified: for training further, updating, converting.
        case everything
        /// The word vectors (and unit rows) without the output weights.
        case vectors
        /// Similarity queries only: less to verify and to map in.
        case queries
    }

    /// Whether `path` names a model file (by its magic bytes; nothing else is checked).
    public static func isModelFile(atPath path: String) -> Bool { ModelFile.hasMagic(path) }
}
