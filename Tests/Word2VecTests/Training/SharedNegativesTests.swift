import Foundation
import Testing
import Word2Vec

/// Skip-gram with one noise draw shared by a window (`TrainingConfiguration.sharedNegatives`): the
/// window step must be the exact mini-batch step of the window's summed loss, reduce to the ordinary
/// step for one row, and still learn.
@Suite struct SharedNegativesTests {
    static let dimension = 8
    static let learningRate: Float = 1e-3

    /// The noise words a step draws from `generator`, without those equal to the target.
    static func draws(_ noise: NoiseDistribution, negatives: Int, target: Int, generator: LinearCongruentialGenerator) -> [Int] {
        var replay = generator
        return (0..<negatives).map { _ in noise.sample(using: &replay) }.filter { $0 != target }
    }

    /// `Σ_rows [-log σ(r·v_t) - Σ_n log σ(-r·v_n)]` in doubles.
    static func windowLoss(rows: [[Float]], outputs: [[Float]], target: Int, noise: [Int]) -> Double {
        rows.reduce(0) { total, row in
            var loss = -ObjectiveGradientTests.logSigmoid(ObjectiveGradientTests.dot(row, outputs[target]))
            for n in noise { loss -= ObjectiveGradientTests.logSigmoid(-ObjectiveGradientTests.dot(row, outputs[n])) }
            return total + loss
        }
    }

    /// Runs `updateWindow` on copies of `rows`; returns the rows after the step and the reported loss.
    static func step(
        _ objective: inout NegativeSampling, rows: [[Float]], target: Int, generator: LinearCongruentialGenerator
    ) -> (rows: [[Float]], loss: Float) {
        let scratch = WindowScratch(dimension: dimension, negatives: objective.negatives)
        defer { scratch.deallocate() }
        let matrix = Matrix(rows: rows.count, columns: dimension)
        for (i, row) in rows.enumerated() { matrix.setRow(i, to: row) }
        for i in rows.indices { scratch.rows[i] = matrix.pointer(row: i) }
        var random = generator
        let loss = objective.updateWindow(
            rows: scratch.rows, count: rows.count, target: target, dimension: dimension, scratch: scratch,
            learningRate: learningRate, random: &random)
        return (rows.indices.map { matrix.row($0) }, loss)
    }

    @Test(arguments: [(1, 5), (4, 5), (16, 3), (7, 15)])
    func windowStepIsTheGradientOfTheWindowLoss(rowCount: Int, negatives: Int) {
        var random = TestRandom(seed: UInt64(rowCount * 100 + negatives))
        let words = 6
        let output = Matrix(rows: words, columns: Self.dimension)
        for r in 0..<words { output.setRow(r, to: ObjectiveGradientTests.randomVector(&random)) }
        let outputsBefore = (0..<words).map { output.row($0) }
        var rows = (0..<rowCount).map { _ in ObjectiveGradientTests.randomVector(&random) }
        if rowCount > 2 { rows[2] = rows[0] }  // a word twice in one window
        let noiseDistribution = NoiseDistribution(counts: [30, 20, 10, 5, 3, 1])
        let target = 1
        let generator = LinearCongruentialGenerator(seed: 99)
        let noise = Self.draws(noiseDistribution, negatives: negatives, target: target, generator: generator)
        var objective = NegativeSampling(output: output, negatives: negatives, noise: noiseDistribution)
        let (after, reported) = Self.step(&objective, rows: rows, target: target, generator: generator)

        let exact = Self.windowLoss(rows: rows, outputs: outputsBefore, target: target, noise: noise)
        #expect(abs(Double(reported) - exact) < 0.01 * Double(rowCount), "reported \(reported) vs \(exact)")
        // Every row and every output moves by -learningRate x the gradient at the values before the step,
        // up to the sigmoid table's quantisation (~0.003 per term), which adds up over the terms a row
        // takes part in.
        func tolerance(terms: Int) -> Double { max(0.01, 0.003 * Double(terms)) }
        for i in 0..<rowCount {
            let gradient = ObjectiveGradientTests.numericGradient(rows[i]) { changed in
                Self.windowLoss(rows: [changed], outputs: outputsBefore, target: target, noise: noise)
            }
            for d in 0..<Self.dimension {
                let step = Double(after[i][d] - rows[i][d]) / Double(Self.learningRate)
                #expect(abs(step + gradient[d]) < tolerance(terms: 1 + noise.count),
                        "row \(i) d \(d): step \(step) vs gradient \(gradient[d])")
            }
        }
        for word in 0..<words {
            let gradient = ObjectiveGradientTests.numericGradient(outputsBefore[word]) { changed in
                var outputs = outputsBefore
                outputs[word] = changed
                return Self.windowLoss(rows: rows, outputs: outputs, target: target, noise: noise)
            }
            let moved = output.row(word)
            for d in 0..<Self.dimension {
                let step = Double(moved[d] - outputsBefore[word][d]) / Double(Self.learningRate)
                let uses = ([target] + noise).filter { $0 == word }.count
                #expect(abs(step + gradient[d]) < tolerance(terms: rowCount * uses),
                        "output \(word) d \(d): step \(step) vs gradient \(gradient[d])")
            }
        }
    }

    /// With L2 (`WeightDecay`) the window step is the gradient step of the window's loss plus
    /// `lambda / 2` times the squared norm of every row per prediction that uses it: each input row
    /// once, each shared output row once per row of the window and per time it was drawn.
    @Test func weightDecayWindowStepIsTheGradientOfThePenalisedLoss() {
        var random = TestRandom(seed: 17)
        let (words, rowCount, negatives, lambda) = (6, 4, 5, Float(2))
        let output = Matrix(rows: words, columns: Self.dimension)
        for r in 0..<words { output.setRow(r, to: ObjectiveGradientTests.randomVector(&random)) }
        let outputsBefore = (0..<words).map { output.row($0) }
        let rows = (0..<rowCount).map { _ in ObjectiveGradientTests.randomVector(&random) }
        let noiseDistribution = NoiseDistribution(counts: [30, 20, 10, 5, 3, 1])
        let (target, generator) = (1, LinearCongruentialGenerator(seed: 23))
        let noise = Self.draws(noiseDistribution, negatives: negatives, target: target, generator: generator)
        var inner = NegativeSampling(output: output, negatives: negatives, noise: noiseDistribution)
        inner.l2 = lambda
        var objective = WeightDecay(inner, lambda: lambda, width: Self.dimension)
        let scratch = WindowScratch(dimension: Self.dimension, negatives: negatives)
        defer { scratch.deallocate() }
        let input = Matrix(rows: rowCount, columns: Self.dimension)
        for (i, row) in rows.enumerated() {
            input.setRow(i, to: row)
            scratch.rows[i] = input.pointer(row: i)
        }
        var draws = generator
        _ = objective.updateWindow(rows: scratch.rows, count: rowCount, target: target, dimension: Self.dimension,
                                   scratch: scratch, learningRate: Self.learningRate, random: &draws)
        func step(_ after: [Float], _ before: [Float], _ d: Int) -> Double { Double(after[d] - before[d]) / Double(Self.learningRate) }
        for i in 0..<rowCount {
            let gradient = ObjectiveGradientTests.numericGradient(rows[i]) { changed in
                Self.windowLoss(rows: [changed], outputs: outputsBefore, target: target, noise: noise)
            }
            for d in 0..<Self.dimension {
                let expected = -(gradient[d] + Double(lambda * rows[i][d]))
                #expect(abs(step(input.row(i), rows[i], d) - expected) < 0.03, "row \(i) d \(d)")
            }
        }
        for word in 0..<words {
            let gradient = ObjectiveGradientTests.numericGradient(outputsBefore[word]) { changed in
                var outputs = outputsBefore
                outputs[word] = changed
                return Self.windowLoss(rows: rows, outputs: outputs, target: target, noise: noise)
            }
            let uses = ([target] + noise).filter { $0 == word }.count
            // A word drawn often decays by (1 - rate x lambda)^(rows x uses): taken exactly, since its
            // second-order part is not small here.
            let decay = (pow(1 - Double(Self.learningRate * lambda), Double(rowCount * uses)) - 1) / Double(Self.learningRate)
            for d in 0..<Self.dimension {
                let expected = decay * Double(outputsBefore[word][d]) - gradient[d]
                #expect(abs(step(output.row(word), outputsBefore[word], d) - expected) < max(0.01, 0.003 * Double(rowCount * uses)),
                        "output \(word) (used \(uses) times) d \(d)")
            }
        }
    }

    /// A window of one row takes exactly the ordinary step, bit for bit, with the same draws. (When a
    /// noise word is drawn twice the ordinary step sees the row its first draw moved, the window step
    /// the row before the step, so the draws here are distinct.)
    @Test func oneRowTakesTheOrdinaryStep() throws {
        var random = TestRandom(seed: 5)
        let words = 200
        let output = Matrix(rows: words, columns: Self.dimension)
        for r in 0..<words { output.setRow(r, to: ObjectiveGradientTests.randomVector(&random)) }
        let copy = Matrix(rows: words, columns: Self.dimension)
        for r in 0..<words { copy.setRow(r, to: output.row(r)) }
        let row = ObjectiveGradientTests.randomVector(&random)
        let noise = NoiseDistribution(counts: [Int](repeating: 10, count: words))
        let generator = LinearCongruentialGenerator(seed: 3)
        let drawn = Self.draws(noise, negatives: 5, target: 4, generator: generator)
        try #require(drawn.count == 5 && Set(drawn).count == 5, "draws \(drawn)")

        var windowed = NegativeSampling(output: output, negatives: 5, noise: noise)
        let (after, windowLoss) = Self.step(&windowed, rows: [row], target: 4, generator: generator)

        var single = NegativeSampling(output: copy, negatives: 5, noise: noise)
        var gradient = [Float](repeating: 0, count: Self.dimension)
        var random2 = generator
        let singleLoss = row.withUnsafeBufferPointer { h in
            gradient.withUnsafeMutableBufferPointer { g in
                single.update(hidden: h.baseAddress!, target: 4, gradient: g.baseAddress!,
                              learningRate: Self.learningRate, random: &random2)
            }
        }
        #expect(windowLoss == singleLoss)
        #expect(after[0] == zip(row, gradient).map { $0 + $1 })
        for r in 0..<words { #expect(output.row(r) == copy.row(r)) }
    }

    /// The window's scores come from `VectorKernels.dots`, four rows at a time: each must equal
    /// `dot`, bit for bit, whatever the number of rows and the dimension's remainders.
    @Test func blockedScoresEqualSingleDotProducts() {
        var random = TestRandom(seed: 41)
        for dimension in [1, 3, 4, 15, 16, 17, 37, 100] {
            let y = (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) }
            let matrix = Matrix(rows: 9, columns: dimension)
            for r in 0..<9 { matrix.setRow(r, to: (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) }) }
            var rows = (0..<9).map { matrix.pointer(row: $0) }
            for count in 0...9 {
                var scores = [Float](repeating: .nan, count: 9)
                y.withUnsafeBufferPointer { y in
                    rows.withUnsafeMutableBufferPointer { rows in
                        VectorKernels.dots(y.baseAddress!, rows: rows.baseAddress!, count: count, dimension: dimension,
                                           into: &scores)
                    }
                }
                for r in 0..<count {
                    let single = y.withUnsafeBufferPointer { VectorKernels.dot(rows[r], $0.baseAddress!, count: dimension) }
                    #expect(scores[r] == single, "dimension \(dimension), \(count) rows, row \(r)")
                }
                for r in count..<9 { #expect(scores[r].isNaN, "row \(r) of \(count) written") }
            }
        }
    }

    /// Skip-gram with shared negatives learns, also with both objectives (`-hs 1 -negative N`), where
    /// the draw is still shared and hierarchical softmax steps pair by pair.
    @Test(arguments: [false, true])
    func skipGramWithSharedNegativesLearnsTopics(hs: Bool) throws {
        var configuration = LearningTests.configuration(.skipGram, hs: hs, negative: 5)
        configuration.sharedNegatives = true
        let model = try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: LearningTests.corpus))
        let embeddings = model.embeddings
        var nearestInGroup = 0
        for a in embeddings.words {
            let best = embeddings.words.filter { $0 != a }.max { try! embeddings.similarity(a, $0) < embeddings.similarity(a, $1) }!
            if best.prefix(2) == a.prefix(2) { nearestInGroup += 1 }
        }
        #expect(nearestInGroup >= 46, "only \(nearestInGroup) of 48 words have a same-topic nearest neighbour")
    }

    @Test func settingNeedsSkipGramWithNegativeSampling() {
        for change in [{ (c: inout TrainingConfiguration) in c.architecture = .cbow },
                       { $0.loss = .hierarchicalSoftmax },
                       { $0.documentMode = .dbow }] {
            var configuration = LearningTests.configuration(.skipGram, hs: false, negative: 5)
            configuration.sharedNegatives = true
            #expect(throws: Never.self) { try configuration.validate() }
            change(&configuration)
            #expect(throws: Word2VecError.self) { try configuration.validate() }
        }
    }

    /// The setting is part of the model: a checkpoint resumes with it.
    @Test func settingSurvivesTheModelFile() throws {
        let directory = TestDirectory()
        var configuration = LearningTests.configuration(.skipGram, hs: false, negative: 5)
        configuration.sharedNegatives = true
        configuration.epochs = 1
        let model = try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: LearningTests.corpus))
        let path = directory.path + "/shared.model"
        try model.save(to: path)
        #expect(try Model(contentsOf: path).configuration.sharedNegatives)
    }
}
