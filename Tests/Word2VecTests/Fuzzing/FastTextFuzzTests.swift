import Foundation
import Testing
import Word2Vec

/// Fuzzing of the fastText `.bin` reader (`Model(fastTextModelAt:)`): seeded mutants of small valid
/// files (truncations, byte flips, huge counts and sizes spliced into the header's fields) must each
/// load as a usable model or fail with a one-line `Word2VecError`, never trap or allocate without
/// bound.
@Suite struct FastTextFuzzTests {
    static let examples: [[UInt8]] = {
        var result: [[UInt8]] = [FastTextBytes().bytes]
        var cbow = FastTextBytes()
        cbow.model = 1
        cbow.loss = 1
        cbow.dimension = 4
        cbow.words = [("</s>", 40), ("the", 30), ("naïve", 7), ("日本語", 7), ("x", 1)]
        result.append(cbow.bytes)
        var wholeWords = FastTextBytes()
        wholeWords.maxn = 0
        wholeWords.buckets = 2
        wholeWords.loss = 3
        result.append(wholeWords.bytes)
        return result
    }()

    /// A loaded model must answer what its file promises: a vector for every word, one for an
    /// unseen word when it has subwords, and a similarity query.
    static func soundness(_ model: Model) -> String? {
        let v = model.vocabulary.count
        guard v > 0, model.input.rows == v, model.input.columns == model.configuration.dimension else { return "input is not V x dim" }
        if let subwords = model.inputs.subwords, subwords.buckets.rows != model.configuration.subwords?.buckets {
            return "bucket rows differ from the configuration"
        }
        if model.vocabulary.counts != model.vocabulary.counts.sorted(by: >) { return "counts not descending" }
        if model.outputs.contains(where: { $0.weights.rows != v }) { return "output rows differ from V" }
        do {
            let embeddings = model.embeddings
            for word in model.vocabulary.words {
                guard try embeddings.vector(for: word).allSatisfy(\.isFinite) else { return "a vector that is not finite" }
            }
            if embeddings.hasSubwords { _ = try embeddings.vector(for: "zqxunseen") }
            _ = try model.similarityIndex().mostSimilar(positive: [model.vocabulary.words[0]], top: 2)
        } catch is Word2VecError {
        } catch {
            return "a query threw \(error)"
        }
        return nil
    }

    @Test func fastTextReader() throws {
        let report = try FuzzHarness.run("fasttext-bin", examples: Self.examples, extension: "bin", read: { path in
            (try? Model(fastTextModelAt: path, for: .queries), try Model(fastTextModelAt: path))
        }, check: { loaded in loaded.0.flatMap(Self.soundness) ?? Self.soundness(loaded.1) })
        ReaderFuzzTests.expectSound(report)
    }

    /// Every header field (4-byte args and dictionary sizes, 8-byte counts and matrix shapes) set to
    /// each hostile value, so that none depends on the mutator's draw.
    @Test func hostileHeaderFields() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("field.bin").path
        let valid = FastTextBytes().bytes
        // args (8..<56 int32, then t), size/nwords/nlabels (64..<76), ntokens and pruneidx_size.
        let fields32 = Array(stride(from: 4, to: 56, by: 4)) + [64, 68, 72]
        let fields64 = [56, 76, 84]
        let values: [Int64] = [0, -1, 1, 2, 3, 4, 5, 100, Int64(Int32.max), Int64(Int32.min), 1 << 31, 1 << 32, 1 << 62, Int64.max, Int64.min]
        var loaded = 0, rejected = 0
        for (offset, width) in fields32.map({ ($0, 4) }) + fields64.map({ ($0, 8) }) {
            for value in values {
                var bytes = valid
                for i in 0..<width { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                do {
                    let model = try Model(fastTextModelAt: path)
                    loaded += 1
                    if let problem = Self.soundness(model) { Issue.record("field \(offset) = \(value): \(problem)") }
                } catch let error as Word2VecError {
                    rejected += 1
                    #expect(!"\(error)".contains("\n"))
                }
            }
        }
        #expect(loaded > 0 && rejected > 0, "\(loaded) loaded, \(rejected) rejected")
    }
}
