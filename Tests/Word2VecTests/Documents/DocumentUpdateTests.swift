import Foundation
import Testing
import Word2Vec

/// `Trainer.update(_:documents:)` and `doc2vec update`: new documents added to a paragraph-vector model.
@Suite struct DocumentUpdateTests {
    /// Batch one: 16 documents each of topics 0 and 1. Batch two: 8 new documents of topic 0, 24 of a
    /// new topic 2 (words the model has never seen), and more text for the old tag t1d0.
    static func batches() -> (first: [TaggedDocument], second: [TaggedDocument], labels: [String: Int]) {
        let (all, topics) = DocumentTests.plantedDocuments(topics: 3, perTopic: 24, length: 30, seed: 13)
        var labels: [String: Int] = [:]
        for (document, topic) in zip(all, topics) { labels[document.tags[0]] = topic }
        let first = all.filter { labels[$0.tags[0]]! < 2 && Int($0.tags[0].split(separator: "d")[1])! < 16 }
        var second = all.filter { labels[$0.tags[0]]! == 2 || (labels[$0.tags[0]]! == 0 && Int($0.tags[0].split(separator: "d")[1])! >= 16) }
        second.append(TaggedDocument(words: all.first { $0.tags[0] == "t1d20" }!.words, tags: ["t1d0"]))
        return (first, second, labels)
    }

    /// The label of the nearest of `candidates` (tags) to `tag`'s vector, itself excluded.
    static func nearest(_ tag: String, among candidates: [String], in documents: DocumentVectors, labels: [String: Int]) -> Int {
        let row = documents.vector(for: tag)!
        let best = candidates.filter { $0 != tag }.max { cosine(row, documents.vector(for: $0)!) < cosine(row, documents.vector(for: $1)!) }!
        return labels[best]!
    }

    @Test(arguments: [DocumentMode.dbow, .dmMean])
    func newDocumentsJoinTheirTopicAndOldOnesKeepTheirs(mode: DocumentMode) throws {
        let (first, second, labels) = Self.batches()
        let trainer = Trainer(configuration: DocumentTests.configuration(mode))
        let directory = TestDirectory()
        let path = directory.path + "/before.model"
        try trainer.train(documents: InMemoryDocumentCorpus(documents: first)).save(to: path)
        let before = try Model(contentsOf: path)
        // The sample keeps the documents with their tags through the model file.
        #expect(before.reservoir.count == first.count)
        let after = try trainer.update(before, documents: InMemoryDocumentCorpus(documents: second))
        let documents = try #require(after.documents)
        let oldTags = first.map { $0.tags[0] }
        let newTags = second.map { $0.tags[0] }.filter { $0 != "t1d0" }
        #expect(documents.tags.all == oldTags + newTags, "old tags keep their numbers, new ones follow")
        #expect(after.vocabulary.index(of: "t2w0") != nil)

        let all = oldTags + newTags
        // New documents of the new topic find each other.
        let newTopic = newTags.filter { labels[$0] == 2 }
        let ownTopic = newTopic.filter { Self.nearest($0, among: all, in: documents, labels: labels) == 2 }.count
        #expect(ownTopic >= newTopic.count * 9 / 10, "\(mode): \(ownTopic) of \(newTopic.count) topic-2 documents")
        // New documents of an old topic land beside that topic's old documents: both live in one space.
        let oldTopic = newTags.filter { labels[$0] == 0 }
        let beside = oldTopic.filter { Self.nearest($0, among: oldTags, in: documents, labels: labels) == 0 }.count
        #expect(beside == oldTopic.count, "\(mode): \(beside) of \(oldTopic.count) new topic-0 documents nearest an old topic-0 one")
        // Old documents keep their neighbours' topic.
        let kept = oldTags.filter { Self.nearest($0, among: oldTags, in: documents, labels: labels) == labels[$0] }.count
        #expect(kept >= oldTags.count * 9 / 10, "\(mode): \(kept) of \(oldTags.count) old documents")

        // The grown sample, with the tags renumbered into the model's, travels through the file.
        try after.save(to: path)
        let reloaded = try Model(contentsOf: path)
        #expect(reloaded.reservoir == after.reservoir && reloaded.reservoir.count == first.count + second.count)
        #expect(reloaded.documents?.tags.all == documents.tags.all)
    }

    @Test func refusesTheWrongKindOfModel() throws {
        let (first, _, _) = Self.batches()
        let trainer = Trainer(configuration: DocumentTests.configuration(.dbow))
        let documents = try trainer.train(documents: InMemoryDocumentCorpus(documents: first))
        #expect(throws: Word2VecError.self) { try trainer.update(documents, corpus: InMemoryCorpus(sentences: [["t0w1", "t0w2"]])) }
        var words = DocumentTests.configuration(.dbow)
        words.documentMode = nil
        let plain = try Trainer(configuration: words).train(corpus: InMemoryCorpus(sentences: first.map(\.words)))
        #expect(throws: Word2VecError.self) { try trainer.update(plain, documents: InMemoryDocumentCorpus(documents: first)) }
    }

    @Test func doc2vecUpdateCommand() throws {
        let (first, second, _) = Self.batches()
        let directory = TestDirectory()
        func lines(_ documents: [TaggedDocument]) -> String {
            documents.map { "\($0.tags[0])\t\($0.words.joined(separator: " "))" }.joined(separator: "\n") + "\n"
        }
        let old = directory.file("old.txt", lines(first)), new = directory.file("new.txt", lines(second))
        let model = directory.path + "/docs.model", vectors = directory.path + "/docs.vec"
        let trained = try runWord2Vec([
            "doc2vec", "train", "--input", old, "--save-model", model, "--dim", "16", "--min-count", "1", "--sample", "0",
            "--epochs", "10", "--threads", "1", "--quiet",
        ])
        #expect(trained.status == 0, "\(trained.standardError)")
        let updated = try runWord2Vec(["doc2vec", "update", model, "--input", new, "--output", vectors])
        #expect(updated.status == 0, "\(updated.standardError)")
        #expect(updated.standardError.contains("documents: 32 -> 64 tags (32 new)"), "\(updated.standardError)")
        #expect(try Embeddings.load(path: vectors).count == 64)
        #expect(try Model(contentsOf: model).documents?.count == 64, "the model is replaced")

        // Bad input: one line naming the file and line, the model untouched, no vectors written.
        let saved = try Data(contentsOf: URL(fileURLWithPath: model))
        let bad = directory.file("bad.txt", "x9\tfine words\n,\tbroken tags\n")
        let output = directory.path + "/bad.vec"
        let refused = try runWord2Vec(["doc2vec", "update", model, "--input", bad, "--output", output])
        #expect(refused.status != 0 && refused.standardError.contains("bad.txt:2:")
                && refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == saved && !FileManager.default.fileExists(atPath: output))
        let plain = directory.path + "/plain.model"
        _ = try runWord2Vec(["train", "--input", old, "--save-model", plain, "--min-count", "1", "--quiet"])
        let wrongKind = try runWord2Vec(["doc2vec", "update", plain, "--input", new, "--output", output])
        #expect(wrongKind.status != 0 && wrongKind.standardError.contains("no document vectors")
                && wrongKind.standardError.split(separator: "\n").count == 1, "\(wrongKind.standardError)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
