import Foundation
import Testing
import Word2Vec

/// Paragraph vectors: what they learn, how documents and tags are read, inference, model files.
@Suite struct DocumentTests {
    /// Documents drawn from `topics` disjoint vocabularies (plus words common to all), tagged
    /// `t<topic>d<n>`; returns the documents and each one's topic.
    static func plantedDocuments(topics: Int, perTopic: Int, length: Int, seed: UInt64) -> ([TaggedDocument], [Int]) {
        var random = TestRandom(seed: seed)
        var documents: [TaggedDocument] = []
        var labels: [Int] = []
        for n in 0..<perTopic {
            for topic in 0..<topics {
                let words = (0..<length).map { _ in
                    Int.random(in: 0..<4, using: &random) == 0
                        ? "common\(Int.random(in: 0..<10, using: &random))"
                        : "t\(topic)w\(Int.random(in: 0..<25, using: &random))"
                }
                documents.append(TaggedDocument(words: words, tags: ["t\(topic)d\(n)"]))
                labels.append(topic)
            }
        }
        return (documents, labels)
    }

    static func configuration(_ mode: DocumentMode) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.documentMode = mode
        configuration.dimension = 24
        configuration.window = 3
        configuration.minCount = 1
        configuration.sample = 0
        configuration.epochs = 30
        configuration.threads = 1
        configuration.seed = 5
        return configuration
    }

    /// The share of rows whose nearest other row (cosine) has the same label.
    static func nearestNeighbourAgreement(_ rows: [[Float]], _ labels: [Int]) -> Double {
        var agree = 0
        for i in rows.indices {
            var best = -Float.infinity
            var bestIndex = -1
            for j in rows.indices where j != i {
                let c = cosine(rows[i], rows[j])
                if c > best { (best, bestIndex) = (c, j) }
            }
            if labels[bestIndex] == labels[i] { agree += 1 }
        }
        return Double(agree) / Double(rows.count)
    }

    @Test(arguments: DocumentMode.allCases)
    func plantedTopicsCluster(mode: DocumentMode) throws {
        let (documents, labels) = Self.plantedDocuments(topics: 4, perTopic: 20, length: 30, seed: 11)
        let corpus = try InMemoryDocumentCorpus(documents: documents)
        let model = try Trainer(configuration: Self.configuration(mode)).train(documents: corpus)
        let vectors = try #require(model.documents)
        #expect(vectors.count == documents.count)
        let rows = documents.map { vectors.vector(for: $0.tags[0])! }
        let agreement = Self.nearestNeighbourAgreement(rows, labels)
        #expect(agreement >= 0.9, "\(mode): \(agreement) of documents have a same-topic nearest neighbour")
        // Random vectors agree about a quarter of the time with 4 topics.
        let inferred = try model.inferVectors(documents: documents.map(\.words))
        let inferredRows = (0..<inferred.rows).map { inferred.row($0) }
        var ownTopic = 0
        for (i, row) in inferredRows.enumerated() {
            let nearest = rows.indices.max { cosine(row, rows[$0]) < cosine(row, rows[$1]) }!
            if labels[nearest] == labels[i] { ownTopic += 1 }
        }
        #expect(Double(ownTopic) / Double(rows.count) >= 0.9, "\(mode): inferred vectors land in their topic \(ownTopic) times")
    }

    @Test func dbowWordsTrainsWordVectorsOnlyWhenAsked() throws {
        let (documents, _) = Self.plantedDocuments(topics: 3, perTopic: 15, length: 30, seed: 3)
        let corpus = try InMemoryDocumentCorpus(documents: documents)
        var configuration = Self.configuration(.dbow)
        let plain = try Trainer(configuration: configuration).train(documents: corpus)
        configuration.dbowWords = true
        let withWords = try Trainer(configuration: configuration).train(documents: corpus)
        func topicGap(_ model: Model) -> Float {
            let e = model.embeddings
            return (try? e.similarity("t0w1", "t0w2") - e.similarity("t0w1", "t1w2")) ?? .nan
        }
        #expect(topicGap(withWords) > 0.2, "skip-gram words relate words of a topic")
        #expect(abs(topicGap(plain)) < 0.2, "without --dbow-words the word vectors stay random")
    }

    /// The step dm-concat gives each row that filled a slot must be `-learningRate` times the
    /// gradient of the loss (negative sampling, target term only, output frozen), padding included.
    @Test func concatenationGradientMatchesFiniteDifferences() throws {
        let dimension = 3, window = 2, words = 5
        let slots = 1 + 2 * window
        var random = TestRandom(seed: 42)
        func randomRow(_ n: Int) -> [Float] { (0..<n).map { _ in Float.random(in: -0.5...0.5, using: &random) } }
        let input = Matrix(rows: words, columns: dimension)
        for r in 0..<words { input.setRow(r, to: randomRow(dimension)) }
        let output = Matrix(rows: words, columns: slots * dimension)
        for r in 0..<words { output.setRow(r, to: randomRow(slots * dimension)) }
        let documents = Matrix(rows: 2, columns: dimension)  // row 0: the document, row 1: padding
        documents.setRow(0, to: randomRow(dimension))
        documents.setRow(1, to: randomRow(dimension))
        let sentence: [Int32] = [3, 1, 3, 0]  // a repeated word, and every position near an edge
        let learningRate: Float = 1e-3

        // Unknowns: the document row, 5 word rows, the padding row.
        func rowsOf() -> [[Float]] { [documents.row(0)] + (0..<words).map { input.row($0) } + [documents.row(1)] }
        func loss(_ rows: [[Float]]) -> Double {
            var total = 0.0
            for position in sentence.indices {
                var hidden = rows[0]
                for offset in [-2, -1, 1, 2] {
                    let p = position + offset
                    hidden += p >= 0 && p < sentence.count ? rows[1 + Int(sentence[p])] : rows[6]
                }
                let target = output.row(Int(sentence[position]))
                let f = zip(hidden, target).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                total += log1p(exp(-f))
            }
            return total
        }
        let before = rowsOf()
        let outputBefore = (0..<words).map { output.row($0) }
        var objective = NegativeSampling(output: output, negatives: 0, noise: NoiseDistribution(counts: [5, 4, 3, 2, 1]))
        objective.learnsOutput = false
        var state = WorkerState(seed: 1, hiddenWidth: slots * dimension, maxSentenceLength: 8)
        defer { state.deallocate() }
        var tag: Int32 = 0
        withUnsafePointer(to: &tag) { tag in
            sentence.withUnsafeBufferPointer { sentence in
                ConcatenatedContext.train(
                    sentence: sentence, input: WordRows(input), window: window,
                    documents: DocumentRows(storage: documents.storage, columns: dimension, tags: UnsafeBufferPointer(start: tag, count: 1)),
                    documentSlot: true, padding: documents.storage + dimension, objective: &objective, state: &state,
                    learningRate: learningRate)
            }
        }
        let after = rowsOf()
        let epsilon: Float = 1e-3
        for r in before.indices {
            for i in 0..<dimension {
                var plus = before, minus = before
                plus[r][i] += epsilon
                minus[r][i] -= epsilon
                let gradient = (loss(plus) - loss(minus)) / (2 * Double(epsilon))
                let step = Double(after[r][i] - before[r][i]) / Double(learningRate)
                #expect(abs(step + gradient) < 0.02 * max(1, abs(gradient)), "row \(r)[\(i)]: step \(step) vs gradient \(gradient)")
            }
        }
        #expect((0..<words).map { output.row($0) } == outputBefore, "inference-style frozen output stays unchanged")
    }

    @Test func inferenceIsDeterministicAndFreezesTheModel() throws {
        let (documents, _) = Self.plantedDocuments(topics: 3, perTopic: 10, length: 25, seed: 8)
        let model = try Trainer(configuration: Self.configuration(.dmMean)).train(documents: try InMemoryDocumentCorpus(documents: documents))
        let wordsBefore = model.embeddings.vectors.row(0)
        let outputBefore = model.output(.negativeSampling)!.row(1)
        let texts = documents.prefix(12).map(\.words) + [documents[0].words, ["unknown", "words"], []]
        var options = InferenceOptions()
        options.seed = 9
        let one = try model.inferVectors(documents: texts, options: options)
        options.threads = 3
        let three = try model.inferVectors(documents: texts, options: options)
        for i in 0..<texts.count { #expect(one.row(i) == three.row(i), "row \(i) depends on the thread count") }
        #expect(one.row(0) == one.row(12), "the same text gets the same vector wherever it is")
        #expect(one.row(13).allSatisfy { $0 == 0 } && one.row(14).allSatisfy { $0 == 0 }, "no known words: zero vector")
        #expect(one.row(0) != one.row(1))
        options.seed = 10
        #expect(try model.inferVector(words: texts[0], options: options) != one.row(0), "the seed matters")
        #expect(model.embeddings.vectors.row(0) == wordsBefore && model.output(.negativeSampling)!.row(1) == outputBefore)
    }

    /// Inference steps on training's objective, L2 penalty included: with a strong penalty the
    /// trained document vectors are short, and inferred ones must be too. (On documents like these,
    /// through the command line, inferred vectors were 1.4 times as long as trained ones with the
    /// penalty and 5 times without it.)
    @Test func inferenceKeepsTheL2Penalty() throws {
        let (documents, _) = Self.plantedDocuments(topics: 3, perTopic: 10, length: 25, seed: 8)
        var configuration = Self.configuration(.dbow)
        configuration.l2 = 0.5
        let model = try Trainer(configuration: configuration).train(documents: try InMemoryDocumentCorpus(documents: documents))
        let trained = try #require(model.documents)
        let inferred = try model.inferVectors(documents: documents.map(\.words))
        func meanNorm(_ rows: [[Float]]) -> Float {
            rows.map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }.reduce(0, +) / Float(rows.count)
        }
        let trainedNorm = meanNorm((0..<trained.count).map { trained.vectors.row($0) })
        let inferredNorm = meanNorm((0..<documents.count).map { inferred.row($0) })
        #expect(trainedNorm > 0 && inferredNorm < 2 * trainedNorm, "trained \(trainedNorm), inferred \(inferredNorm)")
    }

    // MARK: - Document files

    /// Every (words, tags) the corpus yields, in order, with `parts` parts read one after another.
    static func read(_ corpus: some DocumentCorpus, parts: Int, vocabulary: Vocabulary) throws -> [([String], [String])] {
        let tags = try corpus.tags()
        var result: [([String], [String])] = []
        for part in 0..<parts {
            try corpus.forEachDocument(part: part, of: parts, vocabulary: vocabulary, maxLength: 4) { words, tagNumbers in
                result.append((words.map { vocabulary.words[Int($0)] }, tagNumbers.map { tags[Int($0)] }))
            }
        }
        return result
    }

    @Test func documentFileTagsAndLines() throws {
        let directory = TestDirectory()
        let text = "a b c\nx,y\ta b\n\nunknown\nx\tc c c c c d\n7\tb\n\ta"
        let path = directory.file("docs.txt", String(text.dropLast(3)))  // no final newline, no bad line
        let corpus = DocumentFileCorpus(path: path)
        let counts = try corpus.countWords()
        let vocabulary = Vocabulary(counts: counts, minCount: 1)
        #expect(try corpus.tags().all == ["0", "x", "y", "2", "3", "7"])
        #expect(try corpus.documentCount() == 6)
        #expect(!vocabulary.words.contains("x,y") && !vocabulary.words.contains("7"), "tags are not words")
        let known = Vocabulary(entries: vocabulary.words.filter { $0 != "unknown" }.map { ($0, 1) })
        let expected: [([String], [String])] = [
            (["a", "b", "c"], ["0"]), (["a", "b"], ["x", "y"]), (["c", "c", "c", "c"], ["x"]), (["c", "d"], ["x"]), (["b"], ["7"]),
        ]
        for parts in 1...4 {
            let got = try Self.read(corpus, parts: parts, vocabulary: known)
            #expect(got.map(\.0) == expected.map(\.0) && got.map(\.1) == expected.map(\.1), "\(parts) parts: \(got)")
        }
        var sentences: [[String]] = []
        try corpus.forEachSentence(part: 0, of: 1, vocabulary: known, maxLength: 4) { words in
            sentences.append(words.map { known.words[Int($0)] })
        }
        #expect(sentences == expected.map(\.0), "sentences are the documents' words without tags")
    }

    @Test func documentsAreReadOnceAcrossParts() throws {
        let directory = TestDirectory()
        var random = TestRandom(seed: 4)
        var lines: [String] = []
        for n in 0..<30_000 {
            let words = (0..<Int.random(in: 0..<6, using: &random)).map { _ in "w\(Int.random(in: 0..<50, using: &random))" }
            lines.append((n % 3 == 0 ? "d\(n % 500)\t" : "") + words.joined(separator: " "))
        }
        let path = directory.file("many.txt", lines.joined(separator: "\n") + "\n")
        let corpus = DocumentFileCorpus(path: path)
        let vocabulary = Vocabulary(counts: try corpus.countWords(), minCount: 1)
        #expect(try corpus.documentCount() == 30_000)
        let whole = try Self.read(corpus, parts: 1, vocabulary: vocabulary)
        for parts in [2, 3, 7] {
            let split = try Self.read(corpus, parts: parts, vocabulary: vocabulary)
            #expect(split.map(\.0) == whole.map(\.0) && split.map(\.1) == whole.map(\.1), "\(parts) parts")
        }
    }

    @Test(arguments: [
        ("\ta b\n", 1, "empty"),
        ("ok line\nx,,y\ta\n", 2, "empty tag"),
        ("a\nb\nsome words\tthen a tab\n", 3, "contains a space"),
        (String(repeating: "w ", count: 600) + "\tlate tab\n", 1, "a TAB after the first 1024 bytes"),
    ])
    func badTagLinesNameTheirLine(text: String, line: Int, problem: String) throws {
        let directory = TestDirectory()
        let path = directory.file("bad.txt", text)
        let error = word2VecError { _ = try DocumentFileCorpus(path: path).countWords() }
        guard case let .malformedFile(file, errorLine, message)? = error else {
            Issue.record("expected a malformed-file error, got \(String(describing: error))")
            return
        }
        #expect(file == path && errorLine == line && message.contains(problem), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test func tagsWithoutKnownWordsGetZeroVectors() throws {
        let directory = TestDirectory()
        var text = ""
        let (documents, _) = Self.plantedDocuments(topics: 2, perTopic: 10, length: 20, seed: 2)
        for document in documents { text += "\(document.tags[0])\t\(document.words.joined(separator: " "))\n" }
        text += "lonely\trare1 rare2\n\nshared\tt0w1 t0w2\nshared\n"
        let path = directory.file("docs.txt", text)
        var configuration = Self.configuration(.dbow)
        configuration.minCount = 2
        configuration.epochs = 5
        let model = try Trainer(configuration: configuration).train(documents: DocumentFileCorpus(path: path))
        let vectors = try #require(model.documents)
        #expect(vectors.vector(for: "lonely")!.allSatisfy { $0 == 0 }, "only words below min-count")
        #expect(vectors.vector(for: "\(documents.count + 1)")!.allSatisfy { $0 == 0 }, "an empty line")
        #expect(vectors.vector(for: "shared")!.contains { $0 != 0 }, "a tag with one line of known words")
        #expect(vectors.vector(for: "t0d0")!.contains { $0 != 0 })
    }

    @Test func modelFileKeepsDocumentsAndInfersTheSame() throws {
        let directory = TestDirectory()
        let (documents, _) = Self.plantedDocuments(topics: 2, perTopic: 8, length: 20, seed: 6)
        for mode in [DocumentMode.dbow, .dmConcat] {
            var configuration = Self.configuration(mode)
            configuration.epochs = 3
            if mode == .dmConcat { configuration.loss = .hierarchicalSoftmaxAndNegativeSampling(negatives: configuration.negatives) }
            let model = try Trainer(configuration: configuration).train(documents: try InMemoryDocumentCorpus(documents: documents))
            let path = directory.path + "/\(mode).model"
            try model.save(to: path)
            let loaded = try Model(contentsOf: path)
            #expect(loaded.configuration == model.configuration)
            let a = try #require(model.documents), b = try #require(loaded.documents)
            #expect(a.tags.all == b.tags.all)
            for i in 0..<a.count { #expect(a.vectors.row(i) == b.vectors.row(i)) }
            #expect(try model.inferVector(words: documents[3].words) == loaded.inferVector(words: documents[3].words))
        }
    }

    @Test func wordTrainingAndDocumentTrainingAreKeptApart() throws {
        var configuration = Self.configuration(.dbow)
        #expect(word2VecError { _ = try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: [["a", "b"]])) } != nil)
        configuration.documentMode = nil
        #expect(word2VecError { _ = try Trainer(configuration: configuration).train(documents: InMemoryDocumentCorpus(texts: [["a", "b"]])) } != nil)
        configuration.dbowWords = true
        #expect(word2VecError { try configuration.validate() } != nil, "--dbow-words needs dbow")
    }
}
