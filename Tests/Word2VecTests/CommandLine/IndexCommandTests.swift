import Foundation
import Testing
import Word2Vec

/// `word2vec index` and the `--index` / `--ef` options of `similar` and `items recommend`.
@Suite struct IndexCommandTests {
    let directory = TestDirectory()

    /// 2,000 clustered rows r0 ... r1999 in word2vec binary.
    func vectors(_ name: String = "v.bin") throws -> String {
        let path = directory.path + "/" + name
        try gaussianMixture(rows: 2000, dimension: 16, clusters: 20, seed: 5).write(to: path, format: .binary)
        return path
    }

    func neighbours(_ run: CommandResult) -> [String] {
        run.standardOutput.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
    }

    @Test func indexThenSearchItBesideTheVectors() throws {
        let path = try vectors()
        let build = try runWord2Vec(["index", path, "--threads", "1"])
        #expect(build.status == 0, "\(build.standardError)")
        #expect(build.standardError.contains("indexed 2000 vectors"), "\(build.standardError)")
        #expect(FileManager.default.fileExists(atPath: path + ".hnsw"))

        let exact = try runWord2Vec(["similar", path, "r7", "--top", "10", "--index", "exact"])
        let approximate = try runWord2Vec(["similar", path, "r7", "--top", "10", "--index", "hnsw", "--ef", "100"])
        #expect(exact.status == 0 && approximate.status == 0, "\(approximate.standardError)")
        let found = neighbours(approximate)
        #expect(found.count == 10 && !found.contains("r7"))
        #expect(Set(found).intersection(neighbours(exact)).count >= 8, "\(found) against \(neighbours(exact))")
        // Below the threshold `auto` (the default) searches exactly even with an index present.
        let automatic = try runWord2Vec(["similar", path, "r7", "--top", "10"])
        #expect(automatic.standardOutput == exact.standardOutput)
        // The query loop uses the index too, one result block per line.
        let loop = try runWord2Vec(["similar", path, "--top", "3", "--index", "hnsw", "--json"], input: "r1\nr2 - r3\n")
        #expect(loop.status == 0, "\(loop.standardError)")
        #expect(loop.standardOutput.split(separator: "\n").count == 2)
    }

    @Test func itemsRecommendThroughTheIndexNeverReturnsTheHistory() throws {
        let path = try vectors()
        #expect(try runWord2Vec(["index", path, "--threads", "2"]).status == 0)
        let run = try runWord2Vec(["items", "recommend", path, "--history", "r1,r2,r3", "--top", "10", "--index", "hnsw"])
        #expect(run.status == 0, "\(run.standardError)")
        let found = neighbours(run)
        #expect(found.count == 10)
        #expect(Set(found).isDisjoint(with: ["r1", "r2", "r3"]))
        let exact = try runWord2Vec(["items", "recommend", path, "--history", "r1,r2,r3", "--top", "10", "--index", "exact"])
        #expect(Set(found).intersection(neighbours(exact)).count >= 8)
    }

    @Test func oneThreadIndexesAreIdentical() throws {
        let path = try vectors()
        #expect(try runWord2Vec(["index", path, "--threads", "1", "--output", path + ".a"]).status == 0)
        #expect(try runWord2Vec(["index", path, "--threads", "1", "--output", path + ".b"]).status == 0)
        #expect(FileManager.default.contents(atPath: path + ".a") == FileManager.default.contents(atPath: path + ".b"))
    }

    @Test func badInputGivesOneLineAndAStatus() throws {
        let path = try vectors()
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["similar", path, "r1", "--index", "hnsw"]), status: 66, mentions: "word2vec index")
        CommandLineSurfaceTests.expectFailure(try runWord2Vec(["index", path, "--m", "1"]), status: 64, mentions: "--m must be in 2...256")
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["index", path, "--ef-construction", "0"]), status: 64, mentions: "--ef-construction")
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["index", path, "--output", path]), status: 64, mentions: "names the same file")
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["similar", path, "r1", "--index", "hnsw", "--ef", "0"]), status: 64, mentions: "--ef must be")
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["similar", path, "r1", "--index", "exact", "--ef", "9"]), status: 64, mentions: "--ef applies")
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["similar", path, "r1", "--index", "fast"]), status: 64, mentions: "--index")

        #expect(try runWord2Vec(["index", path]).status == 0)
        // A damaged index is refused naming it; under --index auto too large a file would be
        // skipped with a warning, but an explicit --index hnsw fails.
        var bytes = try #require(FileManager.default.contents(atPath: path + ".hnsw"))
        bytes[200] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: path + ".hnsw"))
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["similar", path, "r1", "--index", "hnsw"]), status: 65, mentions: "v.bin.hnsw")
        // An index of other vectors (here: a --limit) is refused too.
        #expect(try runWord2Vec(["index", path]).status == 0)
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["similar", path, "r1", "--index", "hnsw", "--limit", "100"]), status: 65, mentions: "rebuild it")
    }
}
