import Testing
import Word2Vec

/// `Embeddings` and `SimilarityIndex` are one query vocabulary: the same verbs with the same labels,
/// the same answers on the same vectors, and one way of failing for a word outside the vocabulary.
@Suite
struct QuerySurfaceTests {
    /// A trained model, so that the answers are not special cases of hand-made vectors.
    static func model() throws -> Model {
        var configuration = TrainingConfiguration()
        configuration.dimension = 12
        configuration.minCount = 1
        configuration.epochs = 2
        configuration.threads = 1
        let sentences = (0..<60).map { i in ["w\(i % 9)", "w\((i + 1) % 9)", "x\(i % 5)", "w\((i * 7) % 9)", "x\((i + 2) % 5)"] }
        return try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: sentences))
    }

    @Test func bothSurfacesGiveTheSameAnswers() throws {
        let model = try Self.model()
        let embeddings = model.embeddings
        let index = model.similarityIndex()
        #expect(try embeddings.vector(for: "w3") == index.vector(for: "w3"))
        #expect(try embeddings.vector(for: "w3") == embeddings.vectors.row(try #require(embeddings.index(of: "w3"))))
        #expect(try embeddings.similarity("w1", "x2") == index.similarity("w1", "x2"))
        #expect(try embeddings.similarity("w1", "x2") == index.similarity("x2", "w1"))
        let similar = try embeddings.mostSimilar(positive: ["w1", "x0"], negative: ["w4"], top: 5)
        #expect(similar.count == 5)
        #expect(similar == (try index.mostSimilar(positive: ["w1", "x0"], negative: ["w4"], top: 5)))
        #expect(try embeddings.mostSimilar(positive: ["w1"], top: 3, restrictTo: 6)
            == index.mostSimilar(positive: ["w1"], top: 3, restrictTo: 6))
        let probe = try embeddings.vector(for: "x4")
        #expect(try embeddings.mostSimilar(to: probe, top: 4, excluding: [0])
            == index.mostSimilar(to: probe, top: 4, excluding: [0]))
        let queries = [SimilarityIndex.Query(positive: [1, 2], negative: [3]), SimilarityIndex.Query(positive: [4], method: .mul)]
        #expect(try embeddings.mostSimilar(queries, top: 3) == index.mostSimilar(queries, top: 3))
        for method in AnalogyMethod.allCases {
            #expect(try embeddings.analogy("w1", "w2", "x3", method: method, top: 4)
                == index.analogy("w1", "w2", "x3", method: method, top: 4))
        }
        #expect(try embeddings.nSimilarity(["w1", "w2"], ["x1"]) == index.nSimilarity(["w1", "w2"], ["x1"]))
        let words = ["w1", "w5", "x2", "x3"]
        #expect(try embeddings.rankByCentrality(words) == index.rankByCentrality(words))
        #expect(try embeddings.doesntMatch(words) == index.doesntMatch(words))
        #expect(try embeddings.doesntMatch(words) == index.rankByCentrality(words).last?.word)
        #expect(try embeddings.meanVector(of: words) == index.meanVector(of: words))
        #expect(embeddings.index(of: "x1") == index.index(of: "x1"))
    }

    /// Every verb of both surfaces throws the one error, naming the first unknown word it was given,
    /// wherever that word stands in the question.
    @Test func anUnknownWordIsTheSameErrorEverywhere() throws {
        let model = try Self.model()
        let embeddings = model.embeddings
        let index = model.similarityIndex()
        let asks: [(String, () throws -> Void)] = [
            ("Embeddings.vector", { _ = try embeddings.vector(for: "zz") }),
            ("SimilarityIndex.vector", { _ = try index.vector(for: "zz") }),
            ("Embeddings.similarity", { _ = try embeddings.similarity("w1", "zz") }),
            ("SimilarityIndex.similarity", { _ = try index.similarity("zz", "w1") }),
            ("Embeddings.mostSimilar", { _ = try embeddings.mostSimilar(positive: ["w1"], negative: ["zz"]) }),
            ("SimilarityIndex.mostSimilar", { _ = try index.mostSimilar(positive: ["zz", "w1"]) }),
            ("Embeddings.analogy", { _ = try embeddings.analogy("w1", "zz", "w2") }),
            ("SimilarityIndex.analogy", { _ = try index.analogy("w1", "w2", "zz", method: .mul) }),
            ("Embeddings.nSimilarity", { _ = try embeddings.nSimilarity(["w1"], ["zz"]) }),
            ("SimilarityIndex.nSimilarity", { _ = try index.nSimilarity(["zz"], ["w1"]) }),
            ("Embeddings.doesntMatch", { _ = try embeddings.doesntMatch(["w1", "zz", "w2"]) }),
            ("SimilarityIndex.doesntMatch", { _ = try index.doesntMatch(["w1", "zz"]) }),
            ("Embeddings.rankByCentrality", { _ = try embeddings.rankByCentrality(["zz"]) }),
            ("SimilarityIndex.rankByCentrality", { _ = try index.rankByCentrality(["w2", "zz"]) }),
            ("Embeddings.meanVector", { _ = try embeddings.meanVector(of: ["zz"]) }),
            ("SimilarityIndex.meanVector", { _ = try index.meanVector(of: ["w1", "zz"]) }),
        ]
        for (verb, ask) in asks {
            #expect(word2VecError(ask) == .unknownWord("zz"), "\(verb)")
        }
        #expect(word2VecError { _ = try embeddings.similarity("yy", "zz") } == .unknownWord("yy"))
        #expect(word2VecError { _ = try index.analogy("yy", "w1", "zz") } == .unknownWord("yy"))
        #expect("\(Word2VecError.unknownWord("zz"))" == "word 'zz' is not in the vocabulary")
        // The membership test is the one lookup that answers rather than throws.
        #expect(embeddings.index(of: "zz") == nil && index.index(of: "zz") == nil)
    }

    /// A model's embeddings, a vector file written from them and an index over either answer alike.
    @Test func aModelAndItsVectorFileAnswerAlike() throws {
        let directory = TestDirectory()
        let model = try Self.model()
        let path = directory.path + "/v.bin"
        try model.embeddings.write(to: path, format: .binary)
        let loaded = try Embeddings.load(path: path)
        #expect(try loaded.mostSimilar(positive: ["w1"], top: 5) == model.embeddings.mostSimilar(positive: ["w1"], top: 5))
        #expect(try loaded.similarity("w1", "x1") == model.similarityIndex().similarity("w1", "x1"))
    }
}
