import Foundation
import Testing
import Word2Vec

/// Subword vectors (`TrainingConfiguration.subwords`): fastText's n-grams and hash, the input seam's
/// arithmetic, and what training with them learns.
@Suite struct SubwordTests {
    /// fastText's hash, sign-extension of bytes >= 0x80 included. Expected values: gensim 4.4's
    /// `ft_hash_bytes`, which reproduces fastText's `Dictionary::hash`.
    @Test func hashIsFastTexts() {
        let expected: [(String, UInt32)] = [
            ("<the>", 4_243_648_960), ("<é", 672_036_627), ("naïve", 3_440_832_043), ("a", 3_826_002_220),
            ("日本語", 308_035_559),
        ]
        for (text, hash) in expected {
            #expect(CharacterNGrams.hash(text.utf8) == hash, "\(text)")
        }
    }

    /// The n-grams of a word, as buckets. Expected: gensim 4.4's `ft_ngram_hashes` (fastText's
    /// `computeSubwords`); compared as multisets because gensim lists them in another order.
    @Test func nGramsAreFastTexts() {
        let fastText = CharacterNGrams(minLength: 3, maxLength: 6, buckets: 2_000_000)
        let expected: [(String, [Int])] = [
            ("where", [114991, 121234, 167652, 312621, 420941, 867498, 969176, 989715, 1071586, 1473420, 1526707,
                       1529033, 1540811, 1568469]),
            ("naïve", [156687, 356832, 832043, 878190, 933201, 1088654, 1223007, 1505331, 1590546, 1711570,
                       1719404, 1788548, 1806890, 1907692]),
            ("日本語", [4581, 35559, 524609, 758587, 928923, 1674355]),
            ("a", [1087600]),
        ]
        for (word, buckets) in expected {
            #expect(fastText.buckets(of: word).sorted() == buckets, "\(word)")
        }
        // One-character n-grams: every character but the lone `<` and `>`.
        #expect(CharacterNGrams(minLength: 1, maxLength: 2, buckets: 1000).buckets(of: "ab").sorted() == [77, 220, 561, 750, 946])
        // Characters, not bytes: "é" is one character, so "<é>" has exactly one 3-gram.
        #expect(CharacterNGrams(minLength: 3, maxLength: 3, buckets: 1 << 30).buckets(of: "é")
                == [Int(CharacterNGrams.hash("<é>".utf8) % (1 << 30))])
    }

    /// `SubwordInput` against brute force: the vector is the mean of the word's rows, and `apply`
    /// gives the whole gradient to each of them (fastText's rule).
    @Test func inputRowsComposeTheMeanAndShareTheGradient() {
        let dimension = 5
        let nGrams = CharacterNGrams(minLength: 2, maxLength: 3, buckets: 7)
        var random = TestRandom(seed: 3)
        let words = ["cat", "at", "x"]
        let wordRows = Matrix(rows: words.count, columns: dimension)
        let buckets = Matrix(rows: 7, columns: dimension)
        for r in 0..<3 { wordRows.setRow(r, to: (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) }) }
        for r in 0..<7 { buckets.setRow(r, to: (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) }) }
        let subwords = SubwordRows(nGrams: nGrams, buckets: buckets, words: words)
        let input = SubwordInput(words: wordRows, subwords: subwords)
        for (w, word) in words.enumerated() {
            let rows = [wordRows.row(w)] + nGrams.buckets(of: word).map { buckets.row($0) }
            let mean = (0..<dimension).map { d in rows.reduce(Float(0)) { $0 + $1[d] } / Float(rows.count) }
            var composed = [Float](repeating: 0, count: dimension)
            composed.withUnsafeMutableBufferPointer { input.compose(w, into: $0.baseAddress!) }
            for d in 0..<dimension { #expect(abs(composed[d] - mean[d]) < 1e-6, "\(word)[\(d)]") }
            var sum = [Float](repeating: 0, count: dimension)
            let count = sum.withUnsafeMutableBufferPointer { input.accumulate(w, into: $0.baseAddress!) }
            #expect(count == rows.count)
            #expect(input.onlyRow(w) == nil || rows.count == 1)
        }
        let before = (0..<7).map { buckets.row($0) }
        let beforeWord = wordRows.row(0)
        let gradient: [Float] = [1, 2, 3, 4, 5]
        gradient.withUnsafeBufferPointer { input.apply($0.baseAddress!, step: 0.5, to: 0) }
        let uses = nGrams.buckets(of: "cat").reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
        for d in 0..<dimension { #expect(wordRows.row(0)[d] == beforeWord[d] + 0.5 * gradient[d]) }
        for b in 0..<7 {
            for d in 0..<dimension {
                let expected = before[b][d] + Float(uses[b] ?? 0) * 0.5 * gradient[d]
                #expect(abs(buckets.row(b)[d] - expected) < 1e-5, "bucket \(b)")
            }
        }
    }

    /// CBOW over composed words (`CBOW.trainComposed`: each position's rows summed once, its
    /// gradients applied once) against the step per window (`CBOW.train`), on a sentence whose
    /// words share no rows: each window's `h` sees the rows as updated by the windows before it in
    /// both, so every row ends where the per-window step leaves it, to rounding.
    @Test func composedCBOWStepsAsThePerWindowStep() throws {
        let dimension = 8
        let nGrams = CharacterNGrams(minLength: 3, maxLength: 4, buckets: 1 << 20)
        let words = ["cat", "horse", "finch", "otter", "lynx"]
        let buckets = words.map { Set(nGrams.buckets(of: $0)) }
        try #require(buckets.reduce(0) { $0 + $1.count } == buckets.reduce(Set<Int>()) { $0.union($1) }.count)
        // Word 0 again once its first position has handed back its gradient; the ring wraps.
        let sentence: [Int32] = [0, 1, 2, 3, 4, 0]
        var random = TestRandom(seed: 11)
        let used = buckets.reduce(Set<Int>()) { $0.union($1) }.sorted()
        let start = (0..<(words.count * 2 + used.count)).map { _ in
            (0..<dimension).map { _ in Float.random(in: -0.5...0.5, using: &random) }
        }
        func run(composed: Bool) -> [[Float]] {
            let wordRows = Matrix(rows: words.count, columns: dimension)
            let output = Matrix(rows: words.count, columns: dimension)
            let bucketRows = Matrix(rows: nGrams.buckets, columns: dimension)
            for w in words.indices {
                wordRows.setRow(w, to: start[w])
                output.setRow(w, to: start[words.count + w])
            }
            for (i, b) in used.enumerated() { bucketRows.setRow(b, to: start[2 * words.count + i]) }
            let subwords = SubwordRows(nGrams: nGrams, buckets: bucketRows, words: words)
            defer { withExtendedLifetime(subwords) {} }
            let input = SubwordInput(words: wordRows, subwords: subwords)
            var objective = NegativeSampling(output: output, negatives: 0, noise: NoiseDistribution(counts: [5, 4, 3, 2, 1]))
            var state = WorkerState(
                seed: 1, hiddenWidth: dimension, maxSentenceLength: sentence.count,
                contextSlots: WorkerState.contextSlots(window: 1, maxSentenceLength: sentence.count))
            defer { state.deallocate() }
            sentence.withUnsafeBufferPointer { sentence in
                if composed {
                    CBOW.trainComposed(sentence: sentence, input: input, window: 1, shrinkWindow: false, mean: true,
                                       objective: &objective, state: &state, learningRate: 0.1)
                } else {
                    CBOW.train(sentence: sentence, input: WordRowsAndBuckets(input), window: 1, shrinkWindow: false,
                               mean: true, objective: &objective, state: &state, learningRate: 0.1)
                }
            }
            return words.indices.map { wordRows.row($0) } + words.indices.map { output.row($0) }
                + used.map { bucketRows.row($0) }
        }
        let composed = run(composed: true), perWindow = run(composed: false)
        for r in perWindow.indices {
            #expect(composed[r] != start[r], "row \(r) trained")
            for d in 0..<dimension {
                #expect(abs(composed[r][d] - perWindow[r][d]) < 1e-5, "row \(r)[\(d)]: \(composed[r][d]) vs \(perWindow[r][d])")
            }
        }
    }

    /// The bucket rows drawn on several threads are the rows one stream draws in order.
    @Test func bucketRowsDoNotDependOnThreads() {
        let nGrams = CharacterNGrams(minLength: 3, maxLength: 6, buckets: 1_001)
        let one = SubwordRows.initialBuckets(nGrams, dimension: 7, seed: 5, threads: 1)
        for threads in [2, 3, 16] {
            let several = SubwordRows.initialBuckets(nGrams, dimension: 7, seed: 5, threads: threads)
            #expect((0..<nGrams.buckets).allSatisfy { several.row($0) == one.row($0) }, "\(threads) threads")
        }
        for steps: UInt64 in [0, 1, 2, 3, 64, 1_000, 123_457] {
            var drawn = LinearCongruentialGenerator(seed: 42)
            for _ in 0..<steps { _ = drawn.next() }
            #expect(LinearCongruentialGenerator(seed: 42).advanced(by: steps).state == drawn.state, "\(steps)")
        }
    }

    /// Two topics whose words share a stem within each topic. A word never seen in the text gets a
    /// vector from its n-grams alone, and it lies nearer the words of its stem than the other's.
    static func stemCorpus(sentences: Int, seed: UInt64) -> (text: [[String]], stems: [[String]]) {
        let suffixes = ["a", "o", "er", "ing", "s", "ed", "ly", "ish", "ness", "ful"]
        let stems = ["zorblat", "quimvex"].map { stem in suffixes.map { stem + $0 } }
        var random = TestRandom(seed: seed)
        let text = (0..<sentences).map { _ in
            let topic = Int.random(in: 0..<2, using: &random)
            return (0..<12).map { _ in stems[topic][Int.random(in: 0..<suffixes.count, using: &random)] }
        }
        return (text, stems)
    }

    static func configuration(_ architecture: TrainingConfiguration.Architecture) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.architecture = architecture
        configuration.dimension = 16
        configuration.minCount = 1
        configuration.epochs = 5
        configuration.threads = 1
        configuration.sample = 0
        configuration.subwords = CharacterNGrams(minLength: 3, maxLength: 5, buckets: 5_000)
        return configuration
    }

    @Test(arguments: [TrainingConfiguration.Architecture.cbow, .skipGram])
    func unseenWordsLandNearTheirStem(architecture: TrainingConfiguration.Architecture) throws {
        let (text, stems) = Self.stemCorpus(sentences: 800, seed: 5)
        let model = try Trainer(configuration: Self.configuration(architecture)).train(corpus: InMemoryCorpus(sentences: text))
        let subwords = try #require(model.inputs.subwords)
        func unknown(_ word: String) -> [Float] {
            var vector = [Float](repeating: 0, count: model.dimension)
            let found = vector.withUnsafeMutableBufferPointer { subwords.composeUnknown(word, into: $0.baseAddress!) }
            #expect(found)
            return vector
        }
        let vectors = model.wordVectors
        func meanCosine(_ vector: [Float], _ words: [String]) -> Float {
            words.map { cosine(vector, vectors.row(model.vocabulary.index(of: $0)!)) }.reduce(0, +) / Float(words.count)
        }
        for (topic, unseen) in [(0, "zorblatest"), (1, "quimvexes")] {
            #expect(model.vocabulary.index(of: unseen) == nil)
            let vector = unknown(unseen)
            let own = meanCosine(vector, stems[topic]), other = meanCosine(vector, stems[1 - topic])
            #expect(own > other + 0.3, "\(architecture) \(unseen): \(own) to its stem, \(other) to the other")
        }
        // Without n-grams ("<>" has no 3-gram) an unknown word has no vector.
        var none = [Float](repeating: 0, count: model.dimension)
        #expect(!none.withUnsafeMutableBufferPointer { subwords.composeUnknown("", into: $0.baseAddress!) })
        #expect(none.allSatisfy { $0 == 0 })
    }

    /// The word vectors of a subword model are the means of their rows, and the model file keeps
    /// them: a saved and reopened model has the same vectors and bucket rows, bit for bit.
    @Test func modelFileKeepsTheBucketsAndComposedVectors() throws {
        let (text, _) = Self.stemCorpus(sentences: 200, seed: 9)
        let model = try Trainer(configuration: Self.configuration(.skipGram)).train(corpus: InMemoryCorpus(sentences: text))
        let subwords = try #require(model.inputs.subwords)
        let w = 3
        let word = model.vocabulary.words[w]
        let rows = [model.input.row(w)] + subwords.nGrams.buckets(of: word).map { subwords.buckets.row($0) }
        let mean = (0..<model.dimension).map { d in rows.reduce(Float(0)) { $0 + $1[d] } / Float(rows.count) }
        for d in 0..<model.dimension { #expect(abs(model.wordVectors.row(w)[d] - mean[d]) < 1e-6) }
        #expect(model.input.row(w) != model.wordVectors.row(w))

        let path = try temporaryDirectory().appendingPathComponent("subwords.w2v").path
        try model.save(to: path)
        for mode in [Model.LoadingMode.everything, .vectors, .queries] {
            let loaded = try Model(contentsOf: path, for: mode)
            #expect(loaded.configuration.subwords == model.configuration.subwords)
            let buckets = try #require(loaded.inputs.subwords?.buckets)
            #expect((0..<buckets.rows).allSatisfy { buckets.row($0) == subwords.buckets.row($0) })
            #expect((0..<model.vocabulary.count).allSatisfy { loaded.wordVectors.row($0) == model.wordVectors.row($0) })
        }
    }

    /// A run stopped at a checkpoint and resumed ends bit-identical to one that never stopped, bucket
    /// rows included; `update` keeps the buckets' training and hashes new words into them.
    @Test func resumeAndUpdateCarryTheBuckets() throws {
        let (text, _) = Self.stemCorpus(sentences: 400, seed: 13)
        let directory = try temporaryDirectory()
        let textPath = directory.appendingPathComponent("text.txt").path
        try writeFile(URL(fileURLWithPath: textPath), text.map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n")
        let corpus = TextFileCorpus(path: textPath)
        let configuration = Self.configuration(.cbow)
        let reference = try Trainer(configuration: configuration).train(corpus: corpus)
        let checkpoint = directory.appendingPathComponent("ck.w2v").path
        final class Stop: @unchecked Sendable { var copied = false }
        let stop = Stop()
        let copy = directory.appendingPathComponent("copy.w2v").path
        _ = try Trainer(configuration: configuration).train(
            corpus: corpus,
            progress: { _ in
                if !stop.copied, FileManager.default.fileExists(atPath: checkpoint) {
                    stop.copied = (try? FileManager.default.copyItem(atPath: checkpoint, toPath: copy)) != nil
                }
            },
            checkpoint: Checkpointing(path: checkpoint, interval: 0.001))
        let partial = try Model(contentsOf: FileManager.default.fileExists(atPath: copy) ? copy : checkpoint)
        let resumed = try Trainer(configuration: TrainingConfiguration()).resume(partial, corpus: corpus)
        let (a, b) = (resumed.inputs.subwords!.buckets, reference.inputs.subwords!.buckets)
        #expect((0..<a.rows).allSatisfy { a.row($0) == b.row($0) })
        #expect((0..<reference.vocabulary.count).allSatisfy { resumed.input.row($0) == reference.input.row($0) })

        let more = directory.appendingPathComponent("more.txt").path
        try writeFile(URL(fileURLWithPath: more), String(repeating: "zorblatiest zorblata zorblato\n", count: 20))
        let updated = try Trainer(configuration: TrainingConfiguration()).update(reference, corpus: TextFileCorpus(path: more))
        let newWord = try #require(updated.vocabulary.index(of: "zorblatiest"))
        let nGrams = configuration.subwords!
        let rows = [updated.input.row(newWord)] + nGrams.buckets(of: "zorblatiest").map { updated.inputs.subwords!.buckets.row($0) }
        let mean = (0..<updated.dimension).map { d in rows.reduce(Float(0)) { $0 + $1[d] } / Float(rows.count) }
        for d in 0..<updated.dimension { #expect(abs(updated.wordVectors.row(newWord)[d] - mean[d]) < 1e-6) }
        // The update trained the shared buckets further, from where the first run left them.
        let (old, new) = (reference.inputs.subwords!.buckets, updated.inputs.subwords!.buckets)
        #expect(old !== new)
        #expect((0..<old.rows).contains { old.row($0) != new.row($0) })
    }

    /// The command line: `--maxn` turns subwords on, a word outside the vocabulary then has a
    /// vector (marked `oov` in JSON), and settings out of range are refused by their flags.
    @Test func commandLineTrainsAndQueriesSubwords() throws {
        let directory = try temporaryDirectory()
        let text = directory.appendingPathComponent("text.txt").path
        let (sentences, _) = Self.stemCorpus(sentences: 300, seed: 21)
        try writeFile(URL(fileURLWithPath: text), sentences.map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n")
        let model = directory.appendingPathComponent("m.w2v").path
        let vectors = directory.appendingPathComponent("v.txt").path
        let run = try runWord2Vec(["train", "--input", text, "--output", vectors, "--save-model", model, "--min-count", "1",
                                   "--dim", "12", "--maxn", "5", "--bucket", "3000", "--threads", "1", "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        let loaded = try Model(contentsOf: model)
        #expect(loaded.configuration.subwords == CharacterNGrams(minLength: 3, maxLength: 5, buckets: 3000))
        let vector = try runWord2Vec(["vector", model, "zorblata", "zorblatest", "--json"])
        #expect(vector.status == 0, "\(vector.standardError)")
        #expect(vector.standardOutput.contains(#""oov":true"#))
        #expect(vector.standardOutput.components(separatedBy: "\"oov\"").count == 2)
        // The exported file holds the composed vectors.
        let first = try String(contentsOfFile: vectors, encoding: .utf8).split(separator: "\n")[1].split(separator: " ")
        let expected = loaded.wordVectors.row(loaded.vocabulary.index(of: String(first[0]))!)
        for (d, value) in first.dropFirst().enumerated() { #expect(abs(Float(value)! - expected[d]) < 1e-5) }
        let bad = try runWord2Vec(["train", "--input", text, "--output", vectors, "--maxn", "4", "--bucket", "0", "--quiet"])
        #expect(bad.status == 64 && bad.standardError.contains("--bucket must be positive"), "\(bad.standardError)")
    }
}

/// `SubwordInput` seen as rows that are not composed (`composesWords` false), so that the
/// architectures take their step per window over the same rows.
private struct WordRowsAndBuckets: InputRows {
    let rows: SubwordInput
    init(_ rows: SubwordInput) { self.rows = rows }
    var dimension: Int { rows.dimension }
    static var composesWords: Bool { false }
    func accumulate(_ word: Int, into sum: UnsafeMutablePointer<Float>) -> Int { rows.accumulate(word, into: sum) }
    func compose(_ word: Int, into vector: UnsafeMutablePointer<Float>) { rows.compose(word, into: vector) }
    func apply(_ gradient: UnsafePointer<Float>, step: Float, to word: Int) { rows.apply(gradient, step: step, to: word) }
    func onlyRow(_ word: Int) -> UnsafeMutablePointer<Float>? { rows.onlyRow(word) }
    func prefetch(_ word: Int) { rows.prefetch(word) }
}
