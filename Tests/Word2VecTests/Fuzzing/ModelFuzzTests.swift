import Foundation
import Testing
import Word2Vec

/// Fuzzing of the model loader. Plain mutants mostly stop at a checksum, so a second pass reseals
/// each mutant: the section table, offsets and checksums are recomputed by the independent
/// implementation of `docs/model-format.md` below, so that damaged contents (huge counts, sizes and
/// dimensions, bad words, impossible states) reach the section parsers.
@Suite struct ModelFuzzTests {
    static let examples: [[UInt8]] = {
        var result: [[UInt8]] = []
        for (seed, hs, negative) in [(UInt64(1), true, 2), (2, false, 3), (3, true, 0)] {
            let model = try! smallModel(seed: seed, hs: hs, negative: negative, epochs: 1)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString).w2v").path
            try! model.save(to: path, unitVectors: seed != 2)
            result.append(Array(try! Data(contentsOf: URL(fileURLWithPath: path))))
            try? FileManager.default.removeItem(atPath: path)
        }
        // The sections and keys of the open-question options (SMOF, PADV; softmax, cbowConcat, l2).
        for model in [try! openQuestionModel(.skipGram, softmax: true, l2: 0.01), try! openQuestionModel(.cbow, concat: true)] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString).w2v").path
            try! model.save(to: path)
            result.append(Array(try! Data(contentsOf: URL(fileURLWithPath: path))))
            try? FileManager.default.removeItem(atPath: path)
        }
        // Paragraph vectors with their rehearsal sample's tags (TAGS, DOCV, RSVT).
        var documents = DocumentTests.configuration(.dbow)
        documents.epochs = 1
        documents.dimension = 8
        let (planted, _) = DocumentTests.plantedDocuments(topics: 2, perTopic: 4, length: 10, seed: 4)
        let documentModel = try! Trainer(configuration: documents).train(documents: try! InMemoryDocumentCorpus(documents: planted))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString).w2v").path
        try! documentModel.save(to: path)
        result.append(Array(try! Data(contentsOf: URL(fileURLWithPath: path))))
        try? FileManager.default.removeItem(atPath: path)
        return result
    }()

    /// What every loaded model must satisfy; also runs a query and, for unfinished small runs, a
    /// resume, so that a loaded model is used, not only parsed.
    static func soundness(_ model: Model) -> String? {
        let v = model.vocabulary.count
        guard model.input.rows == v, model.input.columns == model.configuration.dimension else { return "input is not V x dim" }
        if let ns = model.output(.negativeSampling), ns.rows != v { return "negative-sampling rows differ from V" }
        if let hs = model.output(.hierarchicalSoftmax), hs.rows != max(v - 1, 1) { return "tree rows differ from V - 1" }
        if let softmax = model.output(.softmax), softmax.rows != v { return "softmax rows differ from V" }
        if model.vocabulary.counts != model.vocabulary.counts.sorted(by: >) { return "counts not descending" }
        guard let first = model.vocabulary.words.first else { return "empty vocabulary" }
        // The rehearsal sample (RSVR): bounded, whole words, usable by an update's vocabulary.
        guard model.reservoir.wordCount <= SentenceReservoir.capacity else { return "reservoir over its capacity" }
        for i in 0..<model.reservoir.count where model.reservoir.sentence(i).isEmpty { return "empty sentence in reservoir" }
        _ = model.reservoir.sentences(in: model.vocabulary)
        do {
            _ = try model.similarityIndex().mostSimilar(positive: [first], top: 3)
            if model.isTrainable, !model.state.isComplete, model.state.epochs - model.state.epoch <= 2 {
                let corpus = InMemoryCorpus(sentences: [Array(model.vocabulary.words.prefix(20))])
                _ = try Trainer(configuration: model.configuration).resume(model, corpus: corpus)
            }
            // A small paragraph-vector model is updated: its sample's tags are replayed as rows.
            if let documents = model.documents, model.isTrainable, model.state.isComplete, model.state.epochs <= 2,
               documents.count <= 100, model.vocabulary.count <= 100, model.configuration.dimension <= 64 {
                let corpus = try InMemoryDocumentCorpus(documents: [
                    TaggedDocument(words: Array(model.vocabulary.words.prefix(10)), tags: ["new"]),
                ])
                _ = try Trainer(configuration: model.configuration).update(model, documents: corpus)
            }
        } catch is Word2VecError {
        } catch {
            return "query or resume threw \(error)"
        }
        return nil
    }

    @Test func specMatchesTheWriter() {
        for example in Self.examples {
            #expect(ModelFileSpec.seal(ModelFileSpec.sectionsAsText(example)) == example)
        }
    }

    /// Sections of 32 MB and more are checksummed in parallel slices; the result must still be the
    /// serial checksum of the format document.
    @Test func largeSectionsMatchTheSpecChecksum() throws {
        let rows = 90_000, columns = 100
        let matrix = Matrix(rows: rows, columns: columns)
        var random = TestRandom(seed: 12)
        for row in 0..<rows { matrix.setRow(row, to: (0..<columns).map { _ in Float.random(in: -1...1, using: &random) }) }
        let model = Model(embeddings: try Embeddings(words: (0..<rows).map { "w\($0)" }, vectors: matrix))
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("large.w2v").path
        try model.save(to: path)
        var file = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var middleOfInput = 0
        for i in 0..<Int(ModelFileSpec.u32(file, 12)) {
            let entry = 64 + 32 * i
            let offset = Int(ModelFileSpec.u64(file, entry + 8)), length = Int(ModelFileSpec.u64(file, entry + 16))
            #expect(ModelFileSpec.checksum(Array(file[offset..<(offset + length)])) == ModelFileSpec.u64(file, entry + 24))
            if file[entry..<(entry + 4)].elementsEqual("INPT".utf8) { middleOfInput = offset + length / 2 }
        }
        #expect(try Model(contentsOf: path).vocabulary.count == rows)
        file[middleOfInput] ^= 4
        try Data(file).write(to: URL(fileURLWithPath: path))
        #expect(throws: Word2VecError.self) { _ = try Model(contentsOf: path) }
    }

    @Test func plainMutants() throws {
        let report = try FuzzHarness.run(
            "model", examples: Self.examples, extension: "w2v", read: { try Model(contentsOf: $0) }, check: Self.soundness)
        #expect(report.findingCount == 0, "\(report)")
        #expect(report.rejected > 0)
    }

    @Test func resealedMutants() throws {
        let report = try FuzzHarness.run(
            "model-resealed", examples: Self.examples.map(ModelFileSpec.sectionsAsText), extension: "w2v",
            read: { path in
                // The mutant holds the sections in a mutable text-free framing; seal it into a model file.
                let framed = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                try Data(ModelFileSpec.seal(framed)).write(to: URL(fileURLWithPath: path))
                return try Model(contentsOf: path)
            }, check: Self.soundness)
        #expect(report.findingCount == 0, "\(report)")
        #expect(report.accepted > 0 && report.rejected > 0)
    }
}

/// The model file layout as `docs/model-format.md` specifies it, written again from the document
/// (not from the library's code) to build sealed mutants.
enum ModelFileSpec {
    static func checksum(_ bytes: [UInt8]) -> UInt64 {
        var a = [UInt32](repeating: 0, count: 8)
        var b = [UInt32](repeating: 0, count: 8)
        var padded = bytes
        padded += [UInt8](repeating: 0, count: (32 - bytes.count % 32) % 32)
        for block in stride(from: 0, to: padded.count, by: 32) {
            for lane in 0..<8 {
                let o = block + 4 * lane
                let word = UInt32(padded[o]) | UInt32(padded[o + 1]) << 8 | UInt32(padded[o + 2]) << 16 | UInt32(padded[o + 3]) << 24
                a[lane] &+= word
                b[lane] &+= a[lane]
            }
        }
        var result = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        for lane in 0..<8 {
            result = (result ^ UInt64(a[lane])) &* 0x0000_0100_0000_01B3
            result = (result ^ UInt64(b[lane])) &* 0x0000_0100_0000_01B3
        }
        return result
    }

    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) }
    }

    static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) }
    }

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// A model file's sections as `TAG` + 8-byte length + content, one after another: the framing
    /// the mutator damages (so tags, lengths and contents all get hit).
    static func sectionsAsText(_ file: [UInt8]) -> [UInt8] {
        let count = Int(u32(file, 12))
        var framed: [UInt8] = []
        for i in 0..<count {
            let entry = 64 + 32 * i
            let offset = Int(u64(file, entry + 8)), length = Int(u64(file, entry + 16))
            framed += file[entry..<(entry + 4)] + le(UInt64(length)) + file[offset..<(offset + length)]
        }
        return framed
    }

    /// `framed` with the content of section `tag` rewritten by `change` (the length follows).
    static func replacingSection(_ tag: String, in framed: [UInt8], _ change: ([UInt8]) -> [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var i = 0
        while i + 12 <= framed.count {
            let length = Int(u64(framed, i + 4))
            var content = Array(framed[(i + 12)..<(i + 12 + length)])
            if framed[i..<(i + 4)].elementsEqual(tag.utf8) { content = change(content) }
            result += framed[i..<(i + 4)] + le(UInt64(content.count)) + content
            i += 12 + length
        }
        return result
    }

    /// Lays the framed sections out as a model file: header, table, aligned sections, checksums.
    static func seal(_ framed: [UInt8]) -> [UInt8] {
        var sections: [(tag: [UInt8], content: [UInt8])] = []
        var i = 0
        while i + 12 <= framed.count, sections.count < 16 {
            let length = min(Int(truncatingIfNeeded: u64(framed, i + 4) & 0xFFFF_FFFF), framed.count - i - 12)
            sections.append((Array(framed[i..<(i + 4)]), Array(framed[(i + 12)..<(i + 12 + max(0, length))])))
            i += 12 + max(0, length)
        }
        let floatTags = Set(["INPT", "HSOF", "NSOF", "UNIT", "SMOF", "PADV", "DOCV"].map { Array($0.utf8) })
        var offset = (64 + 32 * sections.count + 63) / 64 * 64
        var table: [UInt8] = []
        var offsets: [Int] = []
        for (tag, content) in sections {
            if floatTags.contains(tag) { offset = (offset + 4095) / 4096 * 4096 }
            table += tag + le(UInt32(0)) + le(UInt64(offset)) + le(UInt64(content.count)) + le(checksum(content))
            offsets.append(offset)
            offset = (offset + content.count + 63) / 64 * 64
        }
        var header = Array("W2VMODEL".utf8) + le(UInt32(1)) + le(UInt32(sections.count)) + le(UInt64(offset))
        header += le(checksum(header + table))
        header += [UInt8](repeating: 0, count: 64 - header.count)
        var file = header + table
        for ((_, content), start) in zip(sections, offsets) {
            file += [UInt8](repeating: 0, count: start - file.count) + content
        }
        return file + [UInt8](repeating: 0, count: offset - file.count)
    }
}
