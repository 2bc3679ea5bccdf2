import Foundation
import Testing
import Word2Vec

/// Finite-difference checks: the step each objective takes must be `-learningRate * gradient` of the
/// loss it documents, for the hidden vector and for the output rows it touches.
@Suite struct ObjectiveGradientTests {
    static let dimension = 8
    static let learningRate: Float = 1e-3

    static func randomVector(_ random: inout TestRandom, scale: Float = 0.4) -> [Float] {
        (0..<dimension).map { _ in Float.random(in: -scale...scale, using: &random) }
    }

    static func logSigmoid(_ x: Double) -> Double { -log1p(exp(-x)) }

    static func dot(_ x: [Float], _ y: [Float]) -> Double {
        zip(x, y).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Central differences of `loss` at `point`.
    static func numericGradient(_ point: [Float], _ loss: ([Float]) -> Double) -> [Double] {
        let epsilon: Float = 1e-3
        return point.indices.map { i in
            var plus = point, minus = point
            plus[i] += epsilon
            minus[i] -= epsilon
            return (loss(plus) - loss(minus)) / (2 * Double(epsilon))
        }
    }

    /// `(pairs of (row, label))` loss: `-Σ log σ(±h·v_row)`.
    static func loss(hidden: [Float], rows: [[Float]], terms: [(row: Int, label: Double)]) -> Double {
        terms.reduce(0) { total, term in
            let f = dot(hidden, rows[term.row])
            return total - logSigmoid(term.label == 1 ? f : -f)
        }
    }

    /// Runs one update and checks hidden and output gradients against finite differences of the loss
    /// described by `terms`.
    static func check<O: Objective>(
        objective: inout O, output: Matrix, hidden: [Float], target: Int,
        terms: [(row: Int, label: Double)], random: LinearCongruentialGenerator
    ) {
        let rows = (0..<output.rows).map { output.row($0) }
        var gradient = [Float](repeating: 0, count: dimension)
        var random = random
        let reported = hidden.withUnsafeBufferPointer { h in
            gradient.withUnsafeMutableBufferPointer { g in
                objective.update(hidden: h.baseAddress!, target: target, gradient: g.baseAddress!,
                                 learningRate: learningRate, random: &random)
            }
        }
        let exact = loss(hidden: hidden, rows: rows, terms: terms)
        #expect(abs(Double(reported) - exact) < 0.01, "reported loss \(reported) vs \(exact)")

        let hiddenGradient = numericGradient(hidden) { loss(hidden: $0, rows: rows, terms: terms) }
        for i in 0..<dimension {
            let step = Double(gradient[i]) / Double(learningRate)
            #expect(abs(step + hiddenGradient[i]) < 0.01, "d/dh[\(i)]: step \(step) vs gradient \(hiddenGradient[i])")
        }
        for row in Set(terms.map(\.row)) {
            let rowGradient = numericGradient(rows[row]) { changed in
                var rows = rows
                rows[row] = changed
                return loss(hidden: hidden, rows: rows, terms: terms)
            }
            let after = output.row(row)
            for i in 0..<dimension {
                let step = Double(after[i] - rows[row][i]) / Double(learningRate)
                #expect(abs(step + rowGradient[i]) < 0.01, "d/dv[\(row)][\(i)]: step \(step) vs \(rowGradient[i])")
            }
        }
    }

    @Test(arguments: [1, 5, 15])
    func negativeSampling(negatives: Int) {
        var random = TestRandom(seed: UInt64(negatives))
        let words = 6
        let output = Matrix(rows: words, columns: Self.dimension)
        for r in 0..<words { output.setRow(r, to: Self.randomVector(&random)) }
        let hidden = Self.randomVector(&random)
        let noise = NoiseDistribution(counts: [30, 20, 10, 5, 3, 1])
        let target = 2
        let generator = LinearCongruentialGenerator(seed: 777)
        // The same draws the objective will make: noise words equal to the target are skipped.
        var replay = generator
        var terms: [(row: Int, label: Double)] = [(target, 1)]
        for _ in 0..<negatives {
            let word = noise.sample(using: &replay)
            if word != target { terms.append((word, 0)) }
        }
        var objective = NegativeSampling(output: output, negatives: negatives, noise: noise)
        Self.check(objective: &objective, output: output, hidden: hidden, target: target, terms: terms,
                   random: generator)
    }

    @Test(arguments: [0, 3, 7])
    func hierarchicalSoftmax(target: Int) {
        var random = TestRandom(seed: UInt64(100 + target))
        let counts = [50, 30, 20, 12, 9, 5, 2, 1]
        let tree = HuffmanTree(sortedCounts: counts)
        let output = Matrix(rows: tree.innerNodeCount, columns: Self.dimension)
        for r in 0..<output.rows { output.setRow(r, to: Self.randomVector(&random)) }
        let hidden = Self.randomVector(&random)
        let terms = zip(tree.nodes(of: target), tree.codes(of: target)).map { (row: Int($0), label: Double(1 - Int($1))) }
        var objective = HierarchicalSoftmax(output: output, tree: tree)
        Self.check(objective: &objective, output: output, hidden: hidden, target: target, terms: terms,
                   random: LinearCongruentialGenerator(seed: 1))
    }

    /// The loss is measured on a sample of predictions (`Objective.measuresLoss`): unmeasured, an
    /// objective returns 0 and takes exactly the same step.
    @Test(arguments: [false, true])
    func unmeasuredLossLeavesTheStepAlone(hierarchical: Bool) {
        func run(measured: Bool) -> (loss: Float, gradient: [Float], output: [[Float]]) {
            var random = TestRandom(seed: 77)
            let counts = [50, 30, 20, 12, 9, 5, 2, 1]
            let tree = HuffmanTree(sortedCounts: counts)
            let output = Matrix(rows: hierarchical ? tree.innerNodeCount : counts.count, columns: Self.dimension)
            for r in 0..<output.rows { output.setRow(r, to: Self.randomVector(&random)) }
            let hidden = Self.randomVector(&random)
            var gradient = [Float](repeating: 0, count: Self.dimension)
            var generator = LinearCongruentialGenerator(seed: 5)
            var objective = CombinedObjective(
                HierarchicalSoftmax(output: output, tree: tree),
                NegativeSampling(output: output, negatives: 3, noise: NoiseDistribution(counts: counts)))
            objective.measuresLoss = measured
            let loss = hidden.withUnsafeBufferPointer { h in
                gradient.withUnsafeMutableBufferPointer { g in
                    hierarchical
                        ? objective.first.update(hidden: h.baseAddress!, target: 6, gradient: g.baseAddress!,
                                                 learningRate: 0.1, random: &generator)
                        : objective.second.update(hidden: h.baseAddress!, target: 6, gradient: g.baseAddress!,
                                                  learningRate: 0.1, random: &generator)
                }
            }
            return (loss, gradient, (0..<output.rows).map { output.row($0) })
        }
        let measured = run(measured: true), unmeasured = run(measured: false)
        #expect(measured.loss > 0)
        #expect(unmeasured.loss == 0)
        #expect(measured.gradient == unmeasured.gradient)
        #expect(measured.output == unmeasured.output)
        #expect(measured.gradient.contains { $0 != 0 })
    }
}
