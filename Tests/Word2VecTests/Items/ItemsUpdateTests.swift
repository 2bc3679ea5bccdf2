import Foundation
import Testing
import Word2Vec

/// `items update`: new events trained into an item model.
@Suite struct ItemsUpdateTests {
    /// Users of the first log watch items of group a or of group b; the new events bring users of a
    /// new group c and more b users. After the update c's items are each other's neighbours and a's
    /// items keep theirs.
    @Test func newItemsClusterAndOldOnesKeepTheirNeighbours() throws {
        var random = TestRandom(seed: 5)
        func sequence(_ group: String) -> [String] { (0..<12).map { _ in "\(group)\(Int.random(in: 0..<10, using: &random))" } }
        let directory = TestDirectory()
        let old = directory.file("old.txt", (0..<200).map { sequence($0 % 2 == 0 ? "a" : "b").joined(separator: " ") }.joined(separator: "\n"))
        var rows = ["user,item,time"]
        for user in 0..<200 {
            for (time, item) in sequence(user % 2 == 0 ? "c" : "b").enumerated() { rows.append("u\(user),\(item),\(time)") }
        }
        let events = directory.file("new.csv", rows.joined(separator: "\n") + "\n")
        let model = directory.path + "/items.model", vectors = directory.path + "/items.vec"
        let trained = try runWord2Vec(["items", "train", "--input", old, "--save-model", model, "--dim", "16", "--epochs", "5",
                                       "--threads", "1", "--quiet"])
        #expect(trained.status == 0, "\(trained.standardError)")
        let updated = try runWord2Vec(["items", "update", model, "--events", events, "--user-col", "user", "--item-col", "item",
                                       "--time-col", "time", "--output", vectors])
        #expect(updated.status == 0, "\(updated.standardError)")
        #expect(updated.standardError.contains("items: 20 -> 30 (10 new)"), "\(updated.standardError)")
        let index = SimilarityIndex(try Embeddings.load(path: vectors))
        for (item, group) in [("c0", "c"), ("c7", "c"), ("a3", "a")] {
            let neighbours = try index.mostSimilar(positive: [item], top: 5)
            #expect(neighbours.allSatisfy { $0.word.hasPrefix(group) }, "\(item): \(neighbours.map(\.word))")
        }

        // Bad input: one line naming the file and row, the model untouched, no vectors written.
        let saved = try Data(contentsOf: URL(fileURLWithPath: model))
        let bad = directory.file("bad.csv", "user,item,time\nu1,c1,3\nu2,c2,soon\n")
        let output = directory.path + "/bad.vec"
        let refused = try runWord2Vec(["items", "update", model, "--events", bad, "--user-col", "user", "--item-col", "item",
                                       "--time-col", "time", "--output", output])
        #expect(refused.status != 0 && refused.standardError.contains("bad.csv:3")
                && refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == saved && !FileManager.default.fileExists(atPath: output))
    }
}
