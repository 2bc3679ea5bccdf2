import Foundation
import Testing
import Word2Vec

@Suite struct WindowTests {
    /// Pairs of items that always share a sequence but sit at its two ends, 31 positions apart, with
    /// random filler between: only a whole window that is never shrunk relates them.
    static func pairedSequences() -> [[String]] {
        var random = TestRandom(seed: 31)
        return (0..<4000).map { _ in
            let pair = Int.random(in: 0..<40, using: &random)
            let filler = (0..<30).map { _ in "f\(Int.random(in: 0..<400, using: &random))" }
            return ["a\(pair)"] + filler + ["b\(pair)"]
        }
    }

    static func pairContrast(window: Int, shrink: Bool) throws -> Float {
        var configuration = TrainingConfiguration()
        configuration.architecture = .skipGram
        configuration.dimension = 24
        configuration.window = window
        configuration.shrinkWindow = shrink
        configuration.minCount = 1
        configuration.sample = 0
        configuration.threads = 1
        configuration.epochs = 5
        let model = try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: pairedSequences()))
        let vectors = model.embeddings
        var same: Float = 0, other: Float = 0
        for i in 0..<40 {
            let a = try vectors.vector(for: "a\(i)")
            same += cosine(a, try vectors.vector(for: "b\(i)"))
            other += cosine(a, try vectors.vector(for: "b\((i + 1) % 40)"))
        }
        return (same - other) / 40
    }

    @Test func wholeWindowRelatesTheEndsOfASequence() throws {
        let whole = try Self.pairContrast(window: 40, shrink: false)
        let near = try Self.pairContrast(window: 5, shrink: true)
        #expect(whole > 0.2, "pairs 31 apart, whole window: contrast \(whole)")
        #expect(abs(near) < 0.1, "pairs 31 apart, window 5: contrast \(near)")
        #expect(whole > near + 0.2)
    }

    @Test func shrinkWindowRoundTripsThroughModelFiles() throws {
        var configuration = TrainingConfiguration()
        configuration.minCount = 1
        configuration.threads = 1
        configuration.shrinkWindow = false
        let model = try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: [["a", "b", "c"], ["b", "c", "a"]]))
        let path = try temporaryDirectory().appendingPathComponent("m.w2v").path
        try model.save(to: path)
        #expect(try Model(contentsOf: path).configuration.shrinkWindow == false)
    }
}
