import Foundation
import Testing
import Word2Vec

/// Fuzzing of the HNSW index reader. Plain mutants mostly stop at the checksum, so a second pass
/// reseals each mutant (the checksum at byte 72 recomputed as the file format documents it, with
/// `ModelFileSpec.checksum`), so that damaged counts, levels, offsets and links reach the
/// structural checks. A mutant must load into an index that searches safely, or be refused with a
/// one-line `Word2VecError` naming the file.
@Suite struct HNSWFuzzTests {
    static let vectors = SimilarityIndex(try! gaussianMixture(rows: 200, dimension: 8, clusters: 5, seed: 11))

    static let examples: [[UInt8]] = {
        var result: [[UInt8]] = []
        // M 2 and 3 give several levels on 200 rows; M 8 full lists.
        for (m, seed) in [(2, UInt64(1)), (3, 2), (8, 3)] {
            let index = try! HNSWIndex(building: vectors, parameters: HNSWParameters(m: m, efConstruction: 20, seed: seed), threads: 1)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString).hnsw").path
            try! index.save(to: path)
            result.append(Array(try! Data(contentsOf: URL(fileURLWithPath: path))))
            try? FileManager.default.removeItem(atPath: path)
        }
        return result
    }()

    /// Searches a loaded index and checks what it returns.
    static func soundness(_ index: HNSWIndex) -> String? {
        do {
            for q in [0, 57, 199] {
                let found = try vectors.mostSimilar(to: vectors.unit.row(q), top: 10, excluding: [q], using: .approximate(index, ef: 16))
                guard found.allSatisfy({ $0.index >= 0 && $0.index < vectors.count && $0.index != q }) else {
                    return "returned a row out of range or excluded"
                }
                guard found.map(\.score) == found.map(\.score).sorted(by: >) else { return "answer not sorted" }
            }
        } catch {
            return "search threw \(error)"
        }
        return nil
    }

    static func reseal(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 80 else { return bytes }
        let sum = ModelFileSpec.checksum(Array(bytes[0..<72])) ^ ModelFileSpec.checksum(Array(bytes[80...]))
        return Array(bytes[0..<72]) + ModelFileSpec.le(sum) + Array(bytes[80...])
    }

    static func load(_ path: String) throws -> HNSWIndex {
        do {
            return try HNSWIndex(contentsOf: path, for: vectors)
        } catch let error as Word2VecError {
            // Every refusal names the file.
            guard "\(error)".contains(URL(fileURLWithPath: path).lastPathComponent) else {
                throw FuzzFinding(message: "error does not name the file: \(error)")
            }
            throw error
        }
    }

    struct FuzzFinding: Error { var message: String }

    @Test func resealingGivesBackTheWrittenFile() {
        for example in Self.examples { #expect(Self.reseal(example) == example) }
    }

    @Test func plainMutants() throws {
        let report = try FuzzHarness.run("hnsw", examples: Self.examples, extension: "hnsw", read: Self.load, check: Self.soundness)
        #expect(report.findingCount == 0, "\(report)")
        #expect(report.rejected > 0)
    }

    @Test func resealedMutants() throws {
        let report = try FuzzHarness.run(
            "hnsw-resealed", examples: Self.examples, extension: "hnsw",
            read: { path in
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                try Data(Self.reseal(bytes)).write(to: URL(fileURLWithPath: path))
                return try Self.load(path)
            }, check: Self.soundness)
        #expect(report.findingCount == 0, "\(report)")
        #expect(report.accepted > 0 && report.rejected > 0)
    }

    /// Targeted damage that the checksum alone would not catch once resealed: a link past the
    /// rows, a link to a node without the layer, an overlong list, a wrong entry point.
    @Test func structuralDamageIsRefusedWithItsReason() throws {
        let file = Self.examples[0]
        let count = Int(ModelFileSpec.u64(file, 16)), m = Int(ModelFileSpec.u32(file, 24))
        let layer0 = 80 + 4 * (count + 1)
        func refused(_ change: (inout [UInt8]) -> Void, saying reason: String) throws {
            var bytes = file
            change(&bytes)
            let path = try temporaryDirectory().appendingPathComponent("damaged.hnsw").path
            try Data(Self.reseal(bytes)).write(to: URL(fileURLWithPath: path))
            do {
                _ = try HNSWIndex(contentsOf: path, for: Self.vectors)
                Issue.record("accepted a file whose \(reason)")
            } catch let error as Word2VecError {
                #expect("\(error)".contains("damaged.hnsw") && "\(error)".contains(reason), "\(error)")
            }
        }
        try refused({ $0.replaceSubrange((layer0 + 4)..<(layer0 + 8), with: ModelFileSpec.le(UInt32(count))) },
                    saying: "is not below the vector count")
        try refused({ $0.replaceSubrange(layer0..<(layer0 + 4), with: ModelFileSpec.le(UInt32(2 * m + 1))) }, saying: "exceeds")
        try refused({ $0.replaceSubrange(40..<44, with: ModelFileSpec.le(UInt32(count + 5))) }, saying: "entry point")
        try refused({ $0.replaceSubrange(0..<8, with: Array("W2VMODEL".utf8)) }, saying: "not an HNSW index file")
        try refused({ $0.removeLast(4) }, saying: "truncated")
        // A layer-1 list pointing at a node of level 0.
        let upper = layer0 + 4 * count * (1 + 2 * m)
        let levelZero = (0..<count).first { ModelFileSpec.u32(file, 80 + 4 * ($0 + 1)) == ModelFileSpec.u32(file, 80 + 4 * $0) }!
        if upper + 8 <= file.count, ModelFileSpec.u32(file, upper) > 0 {
            try refused({ $0.replaceSubrange((upper + 4)..<(upper + 8), with: ModelFileSpec.le(UInt32(levelZero))) },
                        saying: "which has level 0")
        } else {
            Issue.record("the example has no upper-layer link to damage")
        }
    }
}
