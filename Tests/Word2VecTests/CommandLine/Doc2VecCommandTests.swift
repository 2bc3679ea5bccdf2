import Foundation
import Testing
import Word2Vec

/// `word2vec doc2vec train | infer | similar` end to end.
@Suite struct Doc2VecCommandTests {
    static func documentsFile(_ directory: TestDirectory) -> String {
        let (documents, _) = DocumentTests.plantedDocuments(topics: 3, perTopic: 12, length: 30, seed: 21)
        return directory.file("docs.txt", documents.map { "\($0.tags[0])\t\($0.words.joined(separator: " "))" }.joined(separator: "\n") + "\n")
    }

    @Test func trainInferAndSimilar() throws {
        let directory = TestDirectory()
        let input = Self.documentsFile(directory)
        let model = directory.path + "/docs.model", vectors = directory.path + "/docs.vec", words = directory.path + "/words.vec"
        let trained = try runWord2Vec([
            "doc2vec", "train", "--input", input, "--output", vectors, "--save-model", model, "--output-words", words,
            "--mode", "dm-mean", "--dim", "20", "--min-count", "1", "--sample", "0", "--epochs", "30", "--threads", "1",
        ])
        #expect(trained.status == 0, "\(trained.standardError)")
        let documentVectors = try Embeddings.load(path: vectors)
        #expect(documentVectors.count == 36 && documentVectors.index(of: "t0d0") != nil)
        #expect(try Embeddings.load(path: words).index(of: "t1w3") != nil)

        let inferred = directory.path + "/inferred.vec"
        let inputs = directory.file("new.txt", "t0w1 t0w2 t0w3 t0w4 t0w5 t0w6\nzzz\n")
        for _ in 0..<2 {
            let result = try runWord2Vec(["doc2vec", "infer", model, "--input", inputs, "--output", inferred, "--threads", "2"])
            #expect(result.status == 0, "\(result.standardError)")
        }
        let first = try Data(contentsOf: URL(fileURLWithPath: inferred))
        _ = try runWord2Vec(["doc2vec", "infer", model, "--input", inputs, "--output", inferred, "--threads", "1"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: inferred)) == first, "same bytes whatever the threads")
        let rows = try Embeddings.load(path: inferred)
        #expect(rows.words == ["0", "1"] && rows.vectors.row(1).allSatisfy { $0 == 0 })

        let byTag = try runWord2Vec(["doc2vec", "similar", model, "--tag", "t2d0", "--top", "5"])
        #expect(byTag.status == 0)
        let tags = byTag.standardOutput.split(separator: "\n").map { $0.split(separator: "\t")[0] }
        #expect(tags.count == 5 && tags.allSatisfy { $0.hasPrefix("t2") } && !tags.contains("t2d0"), "\(byTag.standardOutput)")
        let byText = try runWord2Vec(["doc2vec", "similar", model, "--text", "t1w1 t1w2 t1w3 t1w4 t1w5 t1w9", "--top", "3", "--json"])
        #expect(byText.status == 0 && byText.standardOutput.contains("\"t1d"), "\(byText.standardOutput)")
        #expect(byText.standardOutput.split(separator: "\n").count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(byText.standardOutput.utf8)) as? [String: Any])
        #expect(Set(((object["neighbours"] as? [[String: Any]])?.first ?? [:]).keys) == ["word", "index", "score"])
        // No word of the text is known: no ranking of an uninformed vector.
        let unknown = try runWord2Vec(["doc2vec", "similar", model, "--text", "zzz qqq", "--json"])
        #expect(unknown.status == 1 && unknown.standardOutput.isEmpty)
        #expect(unknown.standardError == "word2vec: error: words 'zzz', 'qqq' are not in the vocabulary\n", "\(unknown.standardError)")
    }

    @Test func badLinesAndMissingModels() throws {
        let directory = TestDirectory()
        let bad = directory.file("bad.txt", "a\tfine text\nb,\tbroken tag list\n")
        let output = directory.path + "/out.vec"
        let result = try runWord2Vec(["doc2vec", "train", "--input", bad, "--output", output, "--min-count", "1"])
        #expect(result.status != 0 && result.standardError.contains("bad.txt:2:") && result.standardError.split(separator: "\n").count == 1,
                "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let words = directory.file("plain.txt", "a b c a b c\n")
        let plainModel = directory.path + "/plain.model"
        _ = try runWord2Vec(["train", "--input", words, "--save-model", plainModel, "--min-count", "1", "--quiet"])
        let infer = try runWord2Vec(["doc2vec", "infer", plainModel, "--input", words, "--output", output])
        #expect(infer.status != 0 && infer.standardError.contains("no document vectors"), "\(infer.standardError)")
    }
}
