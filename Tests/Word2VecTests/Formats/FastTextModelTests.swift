import Foundation
import Testing
import Word2Vec

/// A fastText `.bin` (format 12) written field by field from fastText 0.9.2's `saveModel`, so that
/// the reader is checked against the layout rather than against itself.
struct FastTextBytes {
    var dimension = 3
    var window = 5, epochs = 2, minCount = 1, negatives = 5, wordNgrams = 1
    var loss: Int32 = 2  // 1 hs, 2 ns, 3 softmax, 4 ova
    var model: Int32 = 2  // 1 cbow, 2 sg, 3 sup
    var buckets = 7, minn = 3, maxn = 4
    var sample = 1e-4
    var words: [(String, Int)] = [("</s>", 10), ("apple", 5), ("apples", 3)]
    var labels: [(String, Int)] = []
    var pruneIndexSize: Int64 = -1
    var quantized = false

    /// Input row `r` is `inputRow(r)`, output row `r` is its negation plus 0.5.
    static func inputRow(_ r: Int, dimension: Int) -> [Float] {
        (0..<dimension).map { Float(r) * 0.25 + Float($0) * 0.125 - 1 }
    }

    var inputRows: Int { words.count + buckets }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        func i32(_ v: Int) { withUnsafeBytes(of: Int32(v).littleEndian) { out += $0 } }
        func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func f32(_ v: Float) { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        i32(793_712_314); i32(12)
        for v in [dimension, window, epochs, minCount, negatives, wordNgrams, Int(loss), Int(model), buckets, minn, maxn, 100] { i32(v) }
        withUnsafeBytes(of: sample.bitPattern.littleEndian) { out += $0 }
        i32(words.count + labels.count); i32(words.count); i32(labels.count)
        i64(Int64((words + labels).reduce(0) { $0 + $1.1 })); i64(pruneIndexSize)
        for (word, count) in words { out += Array(word.utf8) + [0]; i64(Int64(count)); out.append(0) }
        for (label, count) in labels { out += Array(label.utf8) + [0]; i64(Int64(count)); out.append(1) }
        out.append(quantized ? 1 : 0)
        i64(Int64(inputRows)); i64(Int64(dimension))
        for r in 0..<inputRows { Self.inputRow(r, dimension: dimension).forEach(f32) }
        out.append(0)
        i64(Int64(words.count)); i64(Int64(dimension))
        for r in 0..<words.count { Self.inputRow(r, dimension: dimension).forEach { f32(0.5 - $0) } }
        return out
    }

    func write(to directory: URL, _ name: String = "model.bin") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

@Suite struct FastTextModelTests {
    /// fastText's n-gram buckets of an ASCII word, written out independently of `CharacterNGrams`:
    /// every substring of `<word>` of minn...maxn characters but the lone `<`, `>`, hashed by FNV-1a.
    static func asciiBuckets(_ word: String, minn: Int, maxn: Int, buckets: Int) -> [Int] {
        let wrapped = Array("<\(word)>".utf8)
        var result: [Int] = []
        for start in wrapped.indices {
            for length in minn...maxn where start + length <= wrapped.count {
                if length == 1 && (start == 0 || start == wrapped.count - 1) { continue }
                var h: UInt32 = 2_166_136_261
                for byte in wrapped[start..<(start + length)] { h = (h ^ UInt32(byte)) &* 16_777_619 }
                result.append(Int(h % UInt32(buckets)))
            }
        }
        return result
    }

    static func mean(of rows: [Int], dimension: Int) -> [Float] {
        let vectors = rows.map { FastTextBytes.inputRow($0, dimension: dimension) }
        return (0..<dimension).map { d in vectors.reduce(Float(0)) { $0 + $1[d] } / Float(vectors.count) }
    }

    static func expectClose(_ a: [Float], _ b: [Float], _ label: String) {
        #expect(a.count == b.count, "\(label)")
        for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-6, "\(label): \(a) vs \(b)") }
    }

    @Test func vectorsAreFastTextsWordVectors() throws {
        let file = FastTextBytes()
        let path = try file.write(to: try temporaryDirectory())
        #expect(Model.isFastTextModel(atPath: path))
        #expect(!Model.isModelFile(atPath: path))
        let model = try Model(fastTextModelAt: path)
        #expect(model.vocabulary.words == ["</s>", "apple", "apples"])
        #expect(model.vocabulary.counts == [10, 5, 3])
        let embeddings = model.embeddings
        let nwords = file.words.count
        // A known word: the mean of its row and its n-grams' rows (offset past the word rows).
        for (w, word) in ["apple", "apples"].enumerated() {
            let grams = Self.asciiBuckets(word, minn: 3, maxn: 4, buckets: 7).map { nwords + $0 }
            Self.expectClose(try embeddings.vector(for: word), Self.mean(of: [w + 1] + grams, dimension: 3), word)
        }
        // fastText's end-of-line token has no n-grams.
        Self.expectClose(try embeddings.vector(for: "</s>"), FastTextBytes.inputRow(0, dimension: 3), "</s>")
        // An unseen word: the mean of its n-grams' rows alone.
        let grams = Self.asciiBuckets("apply", minn: 3, maxn: 4, buckets: 7).map { nwords + $0 }
        #expect(embeddings.index(of: "apply") == nil)
        Self.expectClose(try embeddings.vector(for: "apply"), Self.mean(of: grams, dimension: 3), "apply")

        let configuration = model.configuration
        #expect(configuration.architecture == .skipGram)
        #expect(configuration.dimension == 3 && configuration.window == 5 && configuration.epochs == 2)
        #expect(configuration.loss == .negativeSampling(negatives: 5))
        #expect(configuration.sample == 1e-4)
        #expect(configuration.subwords == CharacterNGrams(minLength: 3, maxLength: 4, buckets: 7))
        #expect(model.state.isComplete)
        // The output matrix becomes the negative-sampling layer, row for row.
        let output = try #require(model.output(.negativeSampling))
        #expect(output.rows == nwords)
        #expect(output.row(1) == FastTextBytes.inputRow(1, dimension: 3).map { 0.5 - $0 })
        #expect(model.isTrainable)
        // Opened for queries, the output matrix is not read.
        #expect(try Model(fastTextModelAt: path, for: .queries).outputs.isEmpty)
    }

    @Test func lossesAndArchitecturesMap() throws {
        let directory = try temporaryDirectory()
        var file = FastTextBytes()
        file.model = 1
        file.loss = 1
        let hs = try Model(fastTextModelAt: try file.write(to: directory, "hs.bin"))
        #expect(hs.configuration.architecture == .cbow)
        #expect(hs.configuration.loss == .hierarchicalSoftmax)
        // fastText's tree is not ours: no output layer, but the vectors answer queries.
        #expect(hs.outputs.isEmpty)
        #expect(try hs.similarityIndex().mostSimilar(positive: ["apple"], top: 1).first?.word == "apples")
        file.loss = 3
        let softmax = try Model(fastTextModelAt: try file.write(to: directory, "softmax.bin"))
        #expect(softmax.configuration.loss == .softmax)
        #expect(softmax.output(.softmax)?.rows == 3)
    }

    /// maxn 0 turns n-grams off: the word rows are the vectors and unknown words have none.
    @Test func withoutNGramsTheWordRowsAreTheVectors() throws {
        var file = FastTextBytes()
        file.maxn = 0
        let model = try Model(fastTextModelAt: try file.write(to: try temporaryDirectory()))
        #expect(model.configuration.subwords == nil)
        #expect(model.inputs.subwords == nil)
        #expect(model.input.rows == 3)
        #expect(try model.embeddings.vector(for: "apples") == FastTextBytes.inputRow(2, dimension: 3))
        #expect(throws: Word2VecError.unknownWord("apply")) { _ = try model.embeddings.vector(for: "apply") }
    }

    /// `convert --to model`: the model file keeps the buckets, so unseen words answer the same.
    @Test func aModelFileKeepsTheSubwords() throws {
        let directory = try temporaryDirectory()
        let path = try FastTextBytes().write(to: directory)
        let model = try Model(fastTextModelAt: path)
        let saved = directory.appendingPathComponent("model.w2v").path
        try model.save(to: saved)
        let reloaded = try Model(contentsOf: saved)
        for word in ["apple", "</s>", "apply", "pineapple"] {
            #expect(try reloaded.embeddings.vector(for: word) == model.embeddings.vector(for: word), "\(word)")
        }
        #expect(reloaded.vocabulary.words == model.vocabulary.words)
        // `Embeddings.load` detects the .bin by its magic number.
        #expect(try Embeddings.load(path: path).vector(for: "apply") == model.embeddings.vector(for: "apply"))
    }

    /// Classifiers and quantized models are refused with one line naming the file and the reason.
    @Test func refusalsNameTheFile() throws {
        let directory = try temporaryDirectory()
        var cases: [(FastTextBytes, String)] = []
        var supervised = FastTextBytes()
        supervised.model = 3
        cases.append((supervised, "supervised"))
        var labelled = FastTextBytes()
        labelled.labels = [("__label__a", 2)]
        cases.append((labelled, "supervised"))
        var quantized = FastTextBytes()
        quantized.quantized = true
        cases.append((quantized, "quantized"))
        var pruned = FastTextBytes()
        pruned.pruneIndexSize = 0
        cases.append((pruned, "quantized"))
        var ova = FastTextBytes()
        ova.loss = 4
        cases.append((ova, "ova"))
        for (i, (file, reason)) in cases.enumerated() {
            let path = try file.write(to: directory, "refused\(i).bin")
            do {
                _ = try Model(fastTextModelAt: path)
                Issue.record("case \(i) (\(reason)) loaded")
            } catch let error as Word2VecError {
                let message = "\(error)"
                #expect(message.contains("refused\(i).bin") && message.contains(reason), "\(message)")
                #expect(!message.contains("\n"))
            }
        }
    }

    /// Counts and sizes are checked against the file before anything is allocated.
    @Test func hostileSizesAreOneLineErrors() throws {
        let directory = try temporaryDirectory()
        let valid = FastTextBytes().bytes
        func expectRejected(_ bytes: [UInt8], _ fragment: String, _ label: String) throws {
            let path = directory.appendingPathComponent("\(label).bin").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try Model(fastTextModelAt: path)
                Issue.record("\(label) loaded")
            } catch let error as Word2VecError {
                #expect("\(error)".contains(fragment), "\(label): \(error)")
            }
        }
        func patch32(_ offset: Int, _ value: Int32) -> [UInt8] {
            var bytes = valid
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + 4), with: $0) }
            return bytes
        }
        // size and nwords (offsets 64 and 68) at 2^31 - 1 in a file of a few hundred bytes.
        var huge = patch32(64, Int32.max)
        withUnsafeBytes(of: Int32.max.littleEndian) { huge.replaceSubrange(68..<72, with: $0) }
        try expectRejected(huge, "more than", "huge-dictionary")
        // bucket (offset 40) at 2^31 - 1: the input matrix no longer matches the file.
        try expectRejected(patch32(40, Int32.max), "matrix", "huge-bucket")
        try expectRejected(patch32(8, 1 << 30), "dim", "huge-dimension")
        try expectRejected(Array(valid.dropLast(5)), "truncated", "truncated")
        try expectRejected(valid + [0], "unexpected bytes", "trailing")
        try expectRejected(patch32(4, 11), "version 11", "old-version")
        var nan = valid
        // The last float of the output matrix.
        withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { nan.replaceSubrange((nan.count - 4)..<nan.count, with: $0) }
        try expectRejected(nan, "not finite", "nan")
    }
}
