import Foundation
import Testing
import Word2Vec

@Suite struct SimilarityIndexTests {
    /// Values near Float's limit: the length overflowed a Float (cosine 0 instead of 1) and the
    /// Float mean of `nSimilarity` overflowed to NaN.
    @Test func hugeFiniteValuesGiveTheTrueCosines() throws {
        let big = Float(3e38)
        let index = SimilarityIndex(try embeddings([
            ("a", [big, big, big, big]), ("b", [big, big, big, big]), ("c", [big, -big, big, -big]), ("d", [1, 1, 1, 1]),
        ]))
        #expect(abs(try index.similarity("a", "b") - 1) < 1e-6)
        #expect(abs(try index.similarity("a", "d") - 1) < 1e-6)
        #expect(abs(try index.similarity("a", "c")) < 1e-6)
        let n = try index.nSimilarity(["a", "b"], ["d"])
        #expect(abs(n - 1) < 1e-6, "\(n)")
        #expect(try index.mostSimilar(positive: ["d"], top: 1).first.map { abs($0.score - 1) < 1e-6 } == true)
        // A length too small for a normal Float still gives unit rows (a saved model's UNIT
        // section must pass its own check).
        let subnormal = Float.leastNonzeroMagnitude * 700  // about 1e-42
        let tiny = SimilarityIndex(try embeddings([("t", [subnormal, subnormal, 3 * subnormal])]))
        let squares = tiny.unit.row(0).reduce(0) { $0 + $1 * $1 }
        #expect(abs(squares - 1) < 1e-5, "\(tiny.unit.row(0))")
        // Ordinary vectors take the usual path: the unit rows are the plain Float quotients.
        let plain = SimilarityIndex(try embeddings([("x", [3, 4])]))
        #expect(plain.unit.row(0) == [Float(3) / 5, Float(4) / 5])
    }

    /// Words on the unit circle at known angles (degrees), plus one off-circle vector whose length
    /// must not matter.
    static func circle() throws -> SimilarityIndex {
        func at(_ degrees: Double, length: Double = 1) -> [Float] {
            [Float(cos(degrees * .pi / 180) * length), Float(sin(degrees * .pi / 180) * length)]
        }
        return SimilarityIndex(try embeddings([
            ("east", at(0)), ("northeast", at(45, length: 3)), ("north", at(90)), ("west", at(180)),
            ("south", at(270)), ("east-by-north", at(10, length: 0.5)),
        ]))
    }

    @Test func mostSimilarRanksByCosineAndSkipsTheQueryWord() throws {
        let found = try Self.circle().mostSimilar(positive: ["east"], top: 3)
        #expect(found.map(\.word) == ["east-by-north", "northeast", "north"])
        #expect(abs(found[0].score - Float(cos(10 * Double.pi / 180))) < 1e-6)
        #expect(abs(found[1].score - Float(cos(45 * Double.pi / 180))) < 1e-6)
        #expect(abs(found[2].score) < 1e-6)
    }

    @Test func mostSimilarAveragesPositivesAndSubtractsNegatives() throws {
        let index = try Self.circle()
        // Mean of east and north points at 45 degrees.
        let both = try index.mostSimilar(positive: ["east", "north"], top: 1)
        #expect(both.map(\.word) == ["northeast"])
        #expect(abs(both[0].score - 1) < 1e-6)
        // north - south points north; north and south are excluded, so east and west tie at 0
        // and northeast (cos 45) leads.
        let away = try index.mostSimilar(positive: ["north"], negative: ["south"], top: 2)
        #expect(away.map(\.word) == ["northeast", "east-by-north"])
    }

    @Test func mostSimilarToAVectorIgnoresItsLength() throws {
        let index = try Self.circle()
        let found = try index.mostSimilar(to: [0, -5], top: 2, excluding: [4])
        // South (row 4) is excluded; east and west are at 90 degrees, east-by-north slightly past.
        #expect(found.map(\.word) == ["east", "west"])
        #expect(word2VecError { _ = try index.mostSimilar(to: [1, 2, 3]) }
            == .dimensionMismatch(expected: 2, actual: 3))
    }

    @Test func restrictLimitsTheCandidates() throws {
        let found = try Self.circle().mostSimilar(positive: ["east"], top: 10, restrictTo: 3)
        #expect(found.map(\.word) == ["northeast", "north"])
    }

    @Test func unknownWordsAreReported() throws {
        #expect(word2VecError { _ = try Self.circle().mostSimilar(positive: ["up"]) }
            == .unknownWord("up"))
    }

    /// a : b :: c : ? with a, b, c orthogonal, so that for a unit candidate x the scores are
    /// 3CosAdd = (-x_a + x_b + x_c) / sqrt(3) and
    /// 3CosMul = ((1 + x_b) / 2) ((1 + x_c) / 2) / ((1 + x_a) / 2 + 1e-6).
    /// x is close to b and c; y is less close to them but nearly opposite to a, which 3CosMul rewards
    /// far more (Levy & Goldberg's point that one term can dominate), so the two methods disagree.
    static func analogySet() throws -> SimilarityIndex {
        SimilarityIndex(try embeddings([
            ("a", [1, 0, 0]), ("b", [0, 1, 0]), ("c", [0, 0, 1]),
            ("x", [-0.5, 0.6, 0.6]), ("y", [-0.9, 0.3, 0.3]), ("far", [1, -1, -1]),
        ]))
    }

    @Test func analogyByThreeCosAdd() throws {
        let found = try Self.analogySet().analogy("a", "b", "c", method: .add, top: 3)
        // x: (0.5 + 1.2) / (sqrt(0.97) sqrt(3)) = 0.996558; y: 1.5 / (sqrt(0.99) sqrt(3)) = 0.870388;
        // far: -3 / 3 = -1.
        #expect(found.map(\.word) == ["x", "y", "far"])
        for (neighbour, value) in zip(found, [0.996558, 0.870388, -1] as [Float]) {
            #expect(abs(neighbour.score - value) < 2e-6)
        }
    }

    @Test func analogyByThreeCosMul() throws {
        let found = try Self.analogySet().analogy("a", "b", "c", method: .mul, top: 3)
        // y: (1.301511 / 2)^2 / (0.095466 / 2 + 1e-6) = 8.8717; x: (1.609208 / 2)^2 / (0.492327 / 2 + 1e-6)
        // = 2.62990; far: (0.422650 / 2)^2 / (1.577350 / 2 + 1e-6) = 0.056624.
        #expect(found.map(\.word) == ["y", "x", "far"])
        for (neighbour, value) in zip(found, [8.8717, 2.62990, 0.056624] as [Float]) {
            #expect(abs(neighbour.score - value) / value < 1e-4)
        }
    }

    @Test func analogyNeedsKnownWords() throws {
        #expect(word2VecError { _ = try Self.analogySet().analogy("a", "b", "nope") }
            == .unknownWord("nope"))
    }

    @Test func zeroVectorsHaveCosineZero() throws {
        let index = SimilarityIndex(try embeddings([("a", [1, 0]), ("zero", [0, 0]), ("b", [-1, 0.1])]))
        let found = try index.mostSimilar(positive: ["a"], top: 2)
        #expect(found.map(\.word) == ["zero", "b"])
        #expect(found[0].score == 0)
        #expect(try index.similarity("a", "zero") == 0)
    }

    /// Many queries over more rows than one slice, against a brute-force reference: exercises the
    /// 16-lane blocks, row slices and their merge, and the heap.
    @Test func batchedSearchMatchesBruteForce() throws {
        var generator = SystemRandomNumberGenerator()
        let count = 9_000, dimension = 13
        let words = (0..<count).map { "w\($0)" }
        let matrix = Matrix(rows: count, columns: dimension) { Float.random(in: -1...1, using: &generator) }
        let index = SimilarityIndex(try Embeddings(words: words, vectors: matrix))
        let unit: [[Float]] = (0..<count).map { row in
            let v = matrix.row(row).map(Double.init)
            let n = v.map { $0 * $0 }.reduce(0, +).squareRoot()
            return v.map { Float($0 / n) }
        }
        func dot(_ x: [Float], _ y: [Float]) -> Float { zip(x, y).map { Float(Double($0) * Double($1)) }.reduce(0, +) }
        var queries: [SimilarityIndex.Query] = []
        for q in 0..<40 {
            let rows = (0..<3).map { _ in Int.random(in: 0..<count, using: &generator) }
            queries.append(.init(positive: [rows[0], rows[1]], negative: [rows[2]], method: q % 3 == 0 ? .mul : .add))
        }
        let found = try index.mostSimilar(queries, top: 7, restrictTo: 8_500)
        for (query, result) in zip(queries, found) {
            let excluded = Set(query.positive + query.negative)
            var scored: [(Int, Float)] = []
            var mean = [Float](repeating: 0, count: dimension)
            for r in query.positive { for d in 0..<dimension { mean[d] += unit[r][d] } }
            for r in query.negative { for d in 0..<dimension { mean[d] -= unit[r][d] } }
            let n = mean.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
            mean = mean.map { Float(Double($0) / n) }
            for row in 0..<8_500 where !excluded.contains(row) {
                let score: Float
                if query.method == .add {
                    score = dot(unit[row], mean)
                } else {
                    let p = query.positive.map { (1 + dot(unit[row], unit[$0])) / 2 }.reduce(1, *)
                    let q = query.negative.map { (1 + dot(unit[row], unit[$0])) / 2 }.reduce(1, *)
                    score = p / (q + 0.000001)
                }
                scored.append((row, score))
            }
            scored.sort { $0.1 > $1.1 }
            #expect(result.count == 7)
            for (got, want) in zip(result, scored.prefix(7)) {
                #expect(abs(got.score - want.1) < 1e-4)
            }
            // The same rows unless two reference scores are too close to order reliably.
            let gaps = zip(scored.prefix(8), scored.dropFirst().prefix(8)).map { $0.1 - $1.1 }
            if gaps.allSatisfy({ $0 > 1e-4 }) {
                #expect(result.map(\.index) == scored.prefix(7).map(\.0))
            }
        }
    }

    @Test func singleQueryOverManyRowsMatchesBatch() throws {
        // More rows than one slice, so the single query is split across cores and merged.
        let count = 20_000
        let matrix = Matrix(rows: count, columns: 4) { Float.random(in: -1...1) }
        let index = SimilarityIndex(try Embeddings(words: (0..<count).map { "w\($0)" }, vectors: matrix))
        let single = try index.mostSimilar(positive: ["w5"], top: 25)
        var sorted: [(row: Int, score: Float)] = []
        for row in 0..<count where row != 5 {
            sorted.append((row, try index.similarity("w5", "w\(row)")))
        }
        sorted.sort { $0.score > $1.score }
        #expect(single.count == 25)
        for (got, want) in zip(single, sorted.prefix(25)) { #expect(abs(got.score - want.score) < 1e-5) }
        // Results are ordered best first.
        #expect(zip(single, single.dropFirst()).allSatisfy { $0.score >= $1.score })
    }
}
