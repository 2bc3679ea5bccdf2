import Dispatch
import Foundation
import Synchronization
import Testing
import Word2Vec

/// Processes of a data-parallel run played by threads of this one: each collective call waits for
/// every rank's call and hands each the same combined result, as MPI does.
final class ThreadCollectiveHub: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var arrived = 0
    private var generation = 0
    private var slots: [[UInt8]]
    private var result: [[UInt8]] = []
    /// Collective calls made by each rank, to check that all made the same sequence.
    private(set) var calls: [Int]

    init(size: Int) {
        self.size = size
        slots = Array(repeating: [], count: size)
        calls = Array(repeating: 0, count: size)
    }

    /// Every rank's `bytes`, once all ranks have called.
    func exchange(rank: Int, _ bytes: [UInt8]) -> [[UInt8]] {
        condition.lock()
        defer { condition.unlock() }
        calls[rank] += 1
        let mine = generation
        slots[rank] = bytes
        arrived += 1
        if arrived == size {
            // The next exchange needs this rank again, so `result` stays until every rank has read it.
            result = slots
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return result
    }

    func collectives() -> [ThreadCollective] { (0..<size).map { ThreadCollective(hub: self, rank: $0) } }
}

final class ThreadCollective: TrainingCollective, @unchecked Sendable {
    let hub: ThreadCollectiveHub
    let rank: Int
    var size: Int { hub.size }

    init(hub: ThreadCollectiveHub, rank: Int) {
        self.hub = hub
        self.rank = rank
    }

    private func add<T: Numeric>(_ values: UnsafeMutableBufferPointer<T>) {
        let all = hub.exchange(rank: rank, Array(UnsafeRawBufferPointer(values)))
        for i in values.indices { values[i] = 0 }
        // In rank order, so that every rank computes the same floating-point sums.
        for bytes in all {
            bytes.withUnsafeBytes { raw in
                for i in values.indices { values[i] += raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.stride, as: T.self) }
            }
        }
    }

    func sum(_ values: UnsafeMutableBufferPointer<Float>) throws { add(values) }
    func sum(_ values: UnsafeMutableBufferPointer<Int64>) throws { add(values) }
    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] { hub.exchange(rank: rank, bytes) }

    /// Whether `sum(count:staging:fill:use:)` hands `use` every rank's values, in rank order, as
    /// MPI ranks sharing a node's memory do, rather than their sum (the protocol's default).
    var sharesParts = false

    func sum(count: Int, staging: UnsafeMutableBufferPointer<Float>,
             fill: (UnsafeMutableBufferPointer<Float>) -> Void,
             use: ([UnsafeBufferPointer<Float>]) -> Void) throws {
        let values = UnsafeMutableBufferPointer(rebasing: staging[..<count])
        fill(values)
        guard sharesParts else {
            add(values)
            use([UnsafeBufferPointer(values)])
            return
        }
        let all = hub.exchange(rank: rank, Array(UnsafeRawBufferPointer(values)))
        let parts = all.map { bytes in
            let part = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
            _ = part.withMemoryRebound(to: UInt8.self) { bytes.withUnsafeBytes($0.initialize(fromContentsOf:)) }
            return part
        }
        defer { for part in parts { part.deallocate() } }
        use(parts.map { UnsafeBufferPointer($0) })
    }
}

/// Runs `body` once per rank, each on its own thread, and returns the results in rank order.
func runRanks<R: Sendable>(_ size: Int, _ body: @escaping @Sendable (ThreadCollective) throws -> R) throws -> [R] {
    let collectives = ThreadCollectiveHub(size: size).collectives()
    let results = Mutex<[Int: Result<R, Error>]>([:])
    // Threads of their own: every rank blocks in collective calls until all have called, so they
    // must all run at once whatever the size of a thread pool.
    let group = DispatchGroup()
    for collective in collectives {
        group.enter()
        Thread {
            let result = Result { try body(collective) }
            results.withLock { $0[collective.rank] = result }
            group.leave()
        }.start()
    }
    group.wait()
    return try results.withLock { all in try (0..<size).map { try all[$0]!.get() } }
}

@Suite struct DataParallelTrainingTests {
    /// Counting collectively, each rank one byte range, gives every rank exactly the count of one
    /// process: the same words in the same order with the same counts, so the same vocabulary,
    /// ties included.
    @Test(.timeLimit(.minutes(1)), arguments: [1, 2, 3, 5])
    func collectiveCountEqualsOneProcess(seed: UInt64) throws {
        let directory = try temporaryDirectory()
        let path = try ParallelCountingTests.write(
            ParallelCountingTests.randomText(seed: seed, lines: 60 * Int(seed)), in: directory)
        let single = try TextFileCorpus(path: path).countWords()
        let expected = try ParallelCountingTests.summary(single)
        var configuration = TrainingConfiguration()
        configuration.minCount = 2
        let singleVocabulary = try Trainer(configuration: configuration).buildVocabulary(counts: single, source: path)
        let settings = configuration
        for ranks in [1, 2, 3, 4, 7] {
            let counts = try runRanks(ranks) { collective in
                try DataParallelTrainer(configuration: settings, collective: collective)
                    .countWords(TextFileCorpus(path: path))
            }
            for (rank, count) in counts.enumerated() {
                #expect(count.serialized() == single.serialized(), "ranks \(ranks), rank \(rank)")
                #expect(try ParallelCountingTests.summary(count).others == expected.others)
                let vocabulary = try Trainer(configuration: configuration).buildVocabulary(counts: count, source: path)
                #expect(vocabulary.vocabulary.words == singleVocabulary.vocabulary.words)
                #expect(vocabulary.vocabulary.counts == singleVocabulary.vocabulary.counts)
                #expect(vocabulary.rareWords == singleVocabulary.rareWords)
            }
        }
    }

    /// A file with more distinct words than the limit is pruned by one pass; the ranks then all count
    /// it whole, so that they still agree with one process.
    @Test(.timeLimit(.minutes(1))) func prunedCountEqualsOneProcess() throws {
        let directory = try temporaryDirectory()
        var random = TestRandom(seed: 9)
        let lines = (0..<400).map { _ in
            (0..<10).map { _ in "w\(Int.random(in: 0..<3_000, using: &random))" }.joined(separator: " ")
        }
        let path = try ParallelCountingTests.write(Array((lines.joined(separator: "\n") + "\n").utf8), in: directory)
        let single = try TextFileCorpus(path: path, maxDistinctWords: 1_000).countWords()
        #expect(single.prunedBelow > 0)
        let counts = try runRanks(3) { collective in
            try DataParallelTrainer(configuration: TrainingConfiguration(), collective: collective)
                .countWords(TextFileCorpus(path: path, maxDistinctWords: 1_000))
        }
        for count in counts {
            #expect(count.serialized() == single.serialized())
            #expect(count.prunedBelow == single.prunedBelow)
        }
    }

    @Test func serializedCountsReadBack() throws {
        var counts = WordCounts()
        for word in ["b", "a", "b", "é", "c", "b"] { counts.add(word) }
        let bytes = counts.serialized()
        let read = try WordCounts(serialized: bytes, source: "test")
        #expect(read.serialized() == bytes)
        #expect(read.tokenCount == 6 && read.count(of: "b") == 3 && read.count(of: "é") == 1)
        #expect(try WordCounts(serialized: WordCounts().serialized(), source: "test").tokenCount == 0)
        // Damaged: cut short, a count changed so that the total no longer adds up, a word repeated.
        #expect(throws: Word2VecError.self) { try WordCounts(serialized: Array(bytes.dropLast()), source: "test") }
        var changed = bytes
        changed[bytes.count - 8] &+= 1
        #expect(throws: Word2VecError.self) { try WordCounts(serialized: changed, source: "test") }
        var repeated = WordCounts()
        repeated.add("x")
        var twice = repeated.serialized()
        twice[0] = 2
        twice[8] = 2
        twice += Array(twice[16...])
        #expect(throws: Word2VecError.self) { try WordCounts(serialized: twice, source: "test") }
    }

    /// Two and three ranks trained together end with one model, bit for bit equal in every rank,
    /// that has learnt the planted topics as well as one process does; the learning-rate schedule
    /// counted every rank's words.
    @Test(.timeLimit(.minutes(2)), arguments: [WeightCombination.frequency, .mean, .sum])
    func ranksLearnOneModel(combination: WeightCombination) throws {
        let path = try Self.topicText(sentences: 1_500, seed: 3)
        let configuration = Self.rankConfiguration(dimension: 24, epochs: 5)
        let corpus = TextFileCorpus(path: path)
        let single = try Trainer(configuration: configuration).train(corpus: corpus)
        let settings = configuration
        // Summing overshoots on rows every rank changes often, which grows from round to round
        // with more than 2 ranks (see `WeightCombination`).
        for ranks in combination == .sum ? [2] : [2, 3] {
            let results = try runRanks(ranks) { collective in
                var parallel = DataParallelTrainer(configuration: settings, collective: collective,
                                                   wordsPerSynchronization: 1_000 + 500 * collective.rank)
                parallel.combination = combination
                let counts = try parallel.countWords(corpus)
                let (vocabulary, rare) = try Trainer(configuration: settings).buildVocabulary(counts: counts, source: path)
                let (model, statistics) = try parallel.train(corpus: corpus, vocabulary: vocabulary, rareWords: rare)
                return (model, statistics)
            }
            let model = results[0].0
            #expect(model.vocabulary.words == single.vocabulary.words)
            #expect(model.state.processedWords == configuration.epochs * model.vocabulary.totalCount)
            for (other, statistics) in results {
                #expect(statistics.rounds >= configuration.epochs)
                #expect(statistics.bytesPerRound >= 4 * model.vocabulary.count * configuration.dimension * 2)
                for row in 0..<model.vocabulary.count {
                    #expect(other.input.row(row) == model.input.row(row), "ranks \(ranks), row \(row)")
                }
            }
            let learnt = topicSeparation(model), alone = topicSeparation(single)
            #expect(learnt > 0.3, "ranks \(ranks): topic separation \(learnt), one process \(alone)")
            #expect(learnt > alone - 0.15, "ranks \(ranks): topic separation \(learnt), one process \(alone)")
        }
    }

    /// Every matrix that training changes is combined by the rounds, whatever the architecture and
    /// objective: two ranks end bit-identical in each (the output layer of every loss, the padding
    /// row of a concatenated CBOW), and each output layer left its zero start, so equality is not
    /// that of untouched weights. Paragraph vectors do not train data-parallel.
    @Test(.timeLimit(.minutes(2))) func ranksAgreeInEveryMatrix() throws {
        let path = try Self.topicText(sentences: 600, seed: 11)
        let corpus = TextFileCorpus(path: path)
        let architectures: [(String, (inout TrainingConfiguration) -> Void)] = [
            ("cbow mean", { $0.architecture = .cbow }),
            ("cbow sum", { $0.architecture = .cbow; $0.cbowMean = false }),
            ("cbow concat", { $0.architecture = .cbow; $0.cbowConcat = true; $0.window = 2 }),
            ("skip-gram", { $0.architecture = .skipGram }),
            ("skip-gram shared negatives, l2", { $0.architecture = .skipGram; $0.sharedNegatives = true; $0.l2 = 0.01 }),
            ("cbow subwords", { $0.architecture = .cbow; $0.subwords = CharacterNGrams(minLength: 2, maxLength: 4, buckets: 300) }),
            ("skip-gram subwords", { $0.architecture = .skipGram; $0.subwords = CharacterNGrams(minLength: 2, maxLength: 4, buckets: 300) }),
        ]
        let objectives: [(String, (inout TrainingConfiguration) -> Void)] = [
            ("ns", { $0.loss = .negativeSampling(negatives: 5) }),
            ("hs", { $0.loss = .hierarchicalSoftmax }),
            ("hs + ns", { $0.loss = .hierarchicalSoftmaxAndNegativeSampling(negatives: 3) }),
            ("softmax", { $0.loss = .softmax }),
        ]
        for (architecture, setArchitecture) in architectures {
            for (objective, setObjective) in objectives {
                var configuration = Self.rankConfiguration(dimension: 8, epochs: 1)
                setArchitecture(&configuration)
                setObjective(&configuration)
                guard (try? configuration.validate()) != nil else { continue }  // shared negatives need ns
                let settings = configuration
                let models = try runRanks(2) { collective in
                    let parallel = DataParallelTrainer(configuration: settings, collective: collective,
                                                       wordsPerSynchronization: 1_500 + 700 * collective.rank)
                    let counts = try parallel.countWords(corpus)
                    let (vocabulary, rare) = try Trainer(configuration: settings).buildVocabulary(counts: counts, source: path)
                    return try parallel.train(corpus: corpus, vocabulary: vocabulary, rareWords: rare).model
                }
                let label = "\(architecture), \(objective)"
                let (first, second) = (models[0], models[1])
                #expect(first.outputs.map(\.kind) == configuration.outputKinds, "\(label)")
                var matrices: [(String, Matrix, Matrix)] = [("input", first.input, second.input)]
                for (a, b) in zip(first.outputs, second.outputs) { matrices.append(("\(a.kind)", a.weights, b.weights)) }
                if let padding = first.padding { matrices.append(("padding", padding, second.padding!)) }
                if let buckets = first.inputs.subwords?.buckets { matrices.append(("buckets", buckets, second.inputs.subwords!.buckets)) }
                #expect(matrices.count == 1 + configuration.outputKinds.count + (configuration.cbowConcat ? 1 : 0)
                        + (configuration.subwords == nil ? 0 : 1))
                for (name, a, b) in matrices {
                    let nonzero = (0..<a.rows).contains { row in a.row(row).contains { $0 != 0 } }
                    #expect(nonzero, "\(label): \(name) is still all zero")
                    for row in 0..<a.rows where a.row(row) != b.row(row) {
                        Issue.record("\(label): \(name) row \(row) differs between the ranks")
                        break
                    }
                }
                #expect(first.weightsFingerprint == second.weightsFingerprint, "\(label)")
            }
        }
    }

    /// Rounds of only the frequent words' rows between full rounds: ranks that reach their rounds
    /// at different word counts (intervals differ per rank) still make the same calls, end with one
    /// model bit for bit, and learn the topics; also when the collective hands every rank's changes
    /// rather than their sum (as MPI ranks sharing memory do), and with 2 threads per rank (rounds
    /// then keep what the other thread writes meanwhile, through a snapshot of the weights).
    @Test(.timeLimit(.minutes(2)), arguments: [2, 3], [false, true])
    func frequentRowRoundsKeepRanksInStep(ranks: Int, sharesParts: Bool) throws {
        for threads in [1, 2] {
            try frequentRowRounds(ranks: ranks, sharesParts: sharesParts, threads: threads)
        }
    }

    func frequentRowRounds(ranks: Int, sharesParts: Bool, threads: Int) throws {
        // 8,000 sentences of 10 words: each rank meets several due rounds per epoch (threads check
        // every 10,000 words).
        let path = try Self.topicText(sentences: 8_000, seed: 5)
        var configuration = Self.rankConfiguration(dimension: 16, epochs: 3)
        configuration.threads = threads
        let corpus = TextFileCorpus(path: path)
        let settings = configuration
        let results = try runRanks(ranks) { collective in
            collective.sharesParts = sharesParts
            var parallel = DataParallelTrainer(configuration: settings, collective: collective,
                                               wordsPerSynchronization: 30_000 + 5_000 * collective.rank)
            parallel.combination = .frequency
            parallel.frequentRows = 10
            parallel.wordsPerFrequentSynchronization = 10_000 + 3_000 * collective.rank
            let counts = try parallel.countWords(corpus)
            let (vocabulary, rare) = try Trainer(configuration: settings).buildVocabulary(counts: counts, source: path)
            return try parallel.train(corpus: corpus, vocabulary: vocabulary, rareWords: rare)
        }
        let model = results[0].model
        #expect(model.state.processedWords == configuration.epochs * model.vocabulary.totalCount)
        for (other, statistics) in results {
            #expect(statistics.frequentRounds > 0)
            #expect(statistics.rounds >= configuration.epochs)
            #expect(statistics.bytesPerFrequentRound < statistics.bytesPerRound)
            #expect(statistics.bytesPerFrequentRound >= 4 * 10 * configuration.dimension * 2)
            for row in 0..<model.vocabulary.count {
                #expect(other.input.row(row) == model.input.row(row), "ranks \(ranks), threads \(threads), row \(row)")
                #expect(other.output(.negativeSampling)!.row(row) == model.output(.negativeSampling)!.row(row), "ranks \(ranks), threads \(threads), row \(row)")
            }
        }
        #expect(topicSeparation(model) > 0.3, "ranks \(ranks), threads \(threads)")
    }

    /// A file of planted-topic sentences (4 topics of 12 words, 10 words a line).
    static func topicText(sentences: Int, seed: UInt64) throws -> String {
        let lines = topicCorpus(groups: 4, wordsPerGroup: 12, sentences: sentences, length: 10, seed: seed)
        return try ParallelCountingTests.write(
            Array(lines.map { $0.joined(separator: " ") }.joined(separator: "\n").utf8), in: try temporaryDirectory())
    }

    /// Skip-gram, one thread per process, every word kept.
    static func rankConfiguration(dimension: Int, epochs: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.dimension = dimension
        configuration.epochs = epochs
        configuration.minCount = 1
        configuration.sample = 0
        configuration.threads = 1
        configuration.architecture = .skipGram
        return configuration
    }

    /// Mean cosine of word pairs of one topic minus that of pairs of different topics.
    func topicSeparation(_ model: Model) -> Float {
        let words = model.vocabulary.words
        var same: Float = 0, different: Float = 0, sameCount: Float = 0, differentCount: Float = 0
        for i in words.indices {
            for j in words.indices where j > i {
                let c = cosine(model.input.row(i), model.input.row(j))
                if words[i].prefix(while: { $0 != "w" }) == words[j].prefix(while: { $0 != "w" }) {
                    same += c
                    sameCount += 1
                } else {
                    different += c
                    differentCount += 1
                }
            }
        }
        return same / sameCount - different / differentCount
    }
}
