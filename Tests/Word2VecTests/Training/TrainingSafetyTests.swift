import Foundation
import Testing
import Word2Vec

/// A corpus that lies: its sentences hold indices outside the vocabulary it is given.
struct LyingCorpus: TrainingCorpus {
    var name: String { "lying corpus" }
    let index: Int32
    let length: Int

    func countWords() throws -> WordCounts {
        var counts = WordCounts()
        counts.add(sentence: ["a", "b", "a", "b"])
        return counts
    }

    func forEachSentence(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        let sentence = [Int32](repeating: index, count: length)
        try sentence.withUnsafeBufferPointer(body)
    }
}

@Suite struct TrainingSafetyTests {
    @Test func customCorporaCannotWriteOutsideTheMatrices() throws {
        var configuration = TrainingConfiguration()
        configuration.minCount = 1
        configuration.threads = 1
        configuration.maxSentenceLength = 8
        for (index, length) in [(Int32(2), 3), (-1, 3), (Int32.max, 1), (0, 9)] {
            #expect(throws: Word2VecError.self) {
                _ = try Trainer(configuration: configuration).train(corpus: LyingCorpus(index: index, length: length))
            }
        }
        // An honest sentence of the same shape trains.
        _ = try Trainer(configuration: configuration).train(corpus: LyingCorpus(index: 1, length: 8))
    }

    /// Control bytes (terminal colour codes, DEL) separate words in a corpus: no word can hold one
    /// in any vector or vocabulary file, so they must not reach the vocabulary.
    @Test func controlBytesSeparateWords() throws {
        let directory = try temporaryDirectory()
        let text = directory.appendingPathComponent("colours.txt")
        let line = "\u{1B}[31mred\u{1B}[0m apple\u{7F}pie x\u{01}y\u{1F}z\r\n"
        try writeFile(text, String(repeating: line, count: 50))
        let vectors = directory.appendingPathComponent("v.txt").path
        let vocabulary = directory.appendingPathComponent("vocab.txt").path
        let result = try runWord2Vec(["train", "--input", text.path, "--output", vectors, "--save-vocab", vocabulary,
                                      "--min-count", "1", "--quiet", "--threads", "1"])
        #expect(result.status == 0, "\(result.standardError)")
        let words = try Embeddings.load(path: vectors).words
        #expect(Set(words) == ["[31mred", "[0m", "apple", "pie", "x", "y", "z"])
    }
}
