import Foundation
import Word2Vec

/// Scratch files for one test, removed when the value is released.
final class TestDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "/word2vec-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` and returns the full path.
    @discardableResult
    func file(_ name: String, bytes: [UInt8]) -> String {
        let full = path + "/" + name
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    @discardableResult
    func file(_ name: String, _ text: String) -> String { file(name, bytes: Array(text.utf8)) }
}

/// Little-endian bytes of `values`.
func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value -> [UInt8] in
        let bits = value.bitPattern.littleEndian
        return (0..<4).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) }
    }
}

/// Embeddings from literal rows.
func embeddings(_ rows: [(String, [Float])]) throws -> Embeddings {
    let dimension = rows.first?.1.count ?? 1
    let matrix = Matrix(rows: rows.count, columns: dimension)
    for (i, row) in rows.enumerated() { matrix.setRow(i, to: row.1) }
    return try Embeddings(words: rows.map(\.0), vectors: matrix)
}

/// All rows of `embeddings`.
func rows(of embeddings: Embeddings) -> [[Float]] {
    (0..<embeddings.count).map { embeddings.vectors.row($0) }
}

/// The error thrown by `body`, if it is a `Word2VecError`.
func word2VecError(_ body: () throws -> Void) -> Word2VecError? {
    do {
        try body()
        return nil
    } catch let error as Word2VecError {
        return error
    } catch {
        return nil
    }
}
