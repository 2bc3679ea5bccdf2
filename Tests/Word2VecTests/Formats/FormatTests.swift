import Foundation
import Testing
import Word2Vec

@Suite struct FormatTests {
    static func embeddings() throws -> Embeddings {
        let words = ["the", "naïve", "東京", "x"]
        let values: [[Float]] = [
            [0.5, -0.25, 1e-7, -1e-7], [0.0078125, -0.0078125, 123.456, -0.0], [1, 2, 3, 4], [0.1, 0.2, 0.3, 1e10],
        ]
        let matrix = Matrix(rows: 4, columns: 4)
        for (i, row) in values.enumerated() { matrix.setRow(i, to: row) }
        return try Embeddings(words: words, vectors: matrix)
    }

    /// The text format is the original tool's: `%f ` per value (six decimals, ties to even, a
    /// trailing space), one word per line after a `count dimension` header.
    @Test func textMatchesPrintf() throws {
        let file = try temporaryDirectory().appendingPathComponent("v.txt")
        let embeddings = try Self.embeddings()
        try embeddings.write(to: file.path, format: .text)
        var expected = "4 4\n"
        for (i, word) in embeddings.words.enumerated() {
            expected += word + " " + embeddings.vectors.row(i).map { String(format: "%f ", Double($0)) }.joined() + "\n"
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == expected)
    }

    @Test func randomValuesFormatLikePrintf() throws {
        var random = TestRandom(seed: 8)
        let matrix = Matrix(rows: 200, columns: 50)
        for r in 0..<200 {
            matrix.setRow(r, to: (0..<50).map { _ in Float.random(in: -3...3, using: &random) * (Bool.random(using: &random) ? 1 : 1e-5) })
        }
        let embeddings = try Embeddings(words: (0..<200).map { "w\($0)" }, vectors: matrix)
        let file = try temporaryDirectory().appendingPathComponent("r.txt")
        try embeddings.write(to: file.path, format: .text)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        for r in 0..<200 {
            let expected = "w\(r) " + matrix.row(r).map { String(format: "%f ", Double($0)) }.joined()
            #expect(String(lines[r + 1]) == expected)
        }
    }

    @Test func binaryLayout() throws {
        let file = try temporaryDirectory().appendingPathComponent("v.bin")
        let embeddings = try Self.embeddings()
        try embeddings.write(to: file.path, format: .binary)
        let data = try Data(contentsOf: file)
        var expected = Data("4 4\n".utf8)
        for (i, word) in embeddings.words.enumerated() {
            expected.append(contentsOf: Array(word.utf8) + [0x20])
            for value in embeddings.vectors.row(i) {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { expected.append(contentsOf: $0) }
            }
            expected.append(0x0A)
        }
        #expect(data == expected)
    }

    @Test func unwritablePathLeavesNothingBehind() throws {
        let directory = try temporaryDirectory()
        let missing = directory.appendingPathComponent("no/such/dir/v.txt").path
        #expect(throws: Word2VecError.self) { try Self.embeddings().write(to: missing, format: .text) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func duplicateWordsAreRejected() {
        #expect(throws: Word2VecError.self) { try Embeddings(words: ["a", "a"], vectors: Matrix(rows: 2, columns: 3)) }
    }
}
