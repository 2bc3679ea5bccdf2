import Foundation
import Testing
import Word2Vec

/// Clustered synthetic vectors: a Gaussian mixture with a decaying spectrum inside each cluster
/// (noise of standard deviation `spread / sqrt(d + 1)` along axis d), a fairer stand-in for word
/// vectors than uniform random ones. Benchmarks/ann.py draws its sets the same way.
func gaussianMixture(rows: Int, dimension: Int, clusters: Int, spread: Float = 1.5, seed: UInt64) throws -> Embeddings {
    var random = TestRandom(seed: seed)
    func normal() -> Float {
        let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &random)
        let v = Double.random(in: 0..<1, using: &random)
        return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
    }
    let centres = (0..<clusters).map { _ in (0..<dimension).map { _ in normal() } }
    let matrix = Matrix(rows: rows, columns: dimension)
    for row in 0..<rows {
        let centre = centres[Int.random(in: 0..<clusters, using: &random)]
        matrix.setRow(row, to: (0..<dimension).map { centre[$0] + spread * normal() / Float($0 + 1).squareRoot() })
    }
    return try Embeddings(words: (0..<rows).map { "r\($0)" }, vectors: matrix)
}

@Suite struct HNSWIndexTests {
    static let vectors = SimilarityIndex(try! gaussianMixture(rows: 3000, dimension: 48, clusters: 40, seed: 7))
    static let built = try! HNSWIndex(building: vectors, threads: 1)

    /// The fraction of exact top-10 rows the index found, over `queries` rows used as queries (each
    /// excluding itself, as `similar` excludes its word).
    static func recall(_ index: HNSWIndex, ef: Int? = nil, queries: Int = 300) throws -> Double {
        var hits = 0
        for q in stride(from: 0, to: vectors.count, by: vectors.count / queries).prefix(queries) {
            let vector = vectors.unit.row(q)
            let exact = try vectors.mostSimilar(to: vector, top: 10, excluding: [q])
            let approximate = try vectors.mostSimilar(to: vector, top: 10, excluding: [q], using: .approximate(index, ef: ef))
            #expect(approximate.count == 10)
            hits += Set(exact.map(\.index)).intersection(approximate.map(\.index)).count
        }
        return Double(hits) / Double(10 * queries)
    }

    @Test func recallAtTheDefaultEfIsAtLeast95Percent() throws {
        let recall = try Self.recall(Self.built)
        #expect(recall >= 0.95, "recall@10 \(recall)")
        // A tiny ef gives worse answers: the parameter reaches the search.
        let poor = try Self.recall(Self.built, ef: 1)
        #expect(poor < recall, "recall@10 \(poor) at ef 1, \(recall) at the default")
    }

    @Test func aParallelBuildReachesTheSameRecall() throws {
        let parallel = try HNSWIndex(building: Self.vectors, threads: 4)
        let recall = try Self.recall(parallel)
        #expect(recall >= 0.95, "recall@10 \(recall)")
        #expect(parallel.levels == Self.built.levels, "levels are drawn from the seed alone")
    }

    @Test func scoresAreTheExactCosinesOfTheRowsReturned() throws {
        let found = try Self.vectors.mostSimilar(positive: ["r5"], top: 10, using: .approximate(Self.built))
        #expect(found.count == 10)
        for neighbour in found {
            #expect(abs(neighbour.score - (try Self.vectors.similarity("r5", neighbour.word))) < 1e-5)
        }
        #expect(found.map(\.score) == found.map(\.score).sorted(by: >))
    }

    @Test func oneThreadBuildsAreIdentical() throws {
        let directory = try temporaryDirectory()
        let first = directory.appendingPathComponent("a.hnsw").path
        let second = directory.appendingPathComponent("b.hnsw").path
        try Self.built.save(to: first)
        try HNSWIndex(building: Self.vectors, threads: 1).save(to: second)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))
        // Another seed gives another graph.
        let third = directory.appendingPathComponent("c.hnsw").path
        try HNSWIndex(building: Self.vectors, parameters: HNSWParameters(seed: 2), threads: 1).save(to: third)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) != Data(contentsOf: URL(fileURLWithPath: third)))
    }

    @Test func savedAndLoadedIndexGivesIdenticalAnswers() throws {
        let path = try temporaryDirectory().appendingPathComponent("v.hnsw").path
        try Self.built.save(to: path)
        let loaded = try HNSWIndex(contentsOf: path, for: Self.vectors)
        #expect(loaded.parameters == Self.built.parameters)
        #expect(loaded.levels == Self.built.levels && loaded.linkCount == Self.built.linkCount)
        for q in stride(from: 1, to: 3000, by: 97) {
            let words = ["r\(q)"]
            let before = try Self.vectors.mostSimilar(positive: words, top: 10, using: .approximate(Self.built))
            let after = try Self.vectors.mostSimilar(positive: words, top: 10, using: .approximate(loaded))
            #expect(before == after)
        }
        // Through `Embeddings` (another `SimilarityIndex` over the same unit rows) too.
        let viaEmbeddings = try Self.vectors.embeddings.mostSimilar(positive: ["r1"], top: 10, using: .approximate(loaded))
        #expect(viaEmbeddings == (try Self.vectors.mostSimilar(positive: ["r1"], top: 10, using: .approximate(Self.built))))
    }

    @Test func queryWordsAndExcludedRowsAreNeverReturned() throws {
        let index = Self.built
        for q in stride(from: 0, to: 3000, by: 151) {
            let words = ["r\(q)", "r\((q + 1) % 3000)"]
            let found = try Self.vectors.mostSimilar(positive: words, negative: ["r\((q + 7) % 3000)"], top: 20, using: .approximate(index))
            #expect(found.count == 20)
            #expect(found.allSatisfy { !words.contains($0.word) && $0.word != "r\((q + 7) % 3000)" })
            // Excluding a row's whole exact neighbourhood: the index must walk through it and still
            // fill the answer from further rows.
            let vector = Self.vectors.unit.row(q)
            let near = try Self.vectors.mostSimilar(to: vector, top: 50).map(\.index)
            let rest = try Self.vectors.mostSimilar(to: vector, top: 10, excluding: near, using: .approximate(index))
            #expect(rest.count == 10)
            #expect(Set(rest.map(\.index)).isDisjoint(with: near))
        }
    }

    @Test func batchQueriesMatchSingleOnesAndCosMulStaysExact() throws {
        let queries = (0..<40).map { SimilarityIndex.Query(positive: [$0 * 70], negative: [$0 * 70 + 1]) }
        let batch = try Self.vectors.mostSimilar(queries, top: 5, using: .approximate(Self.built))
        for (query, answer) in zip(queries, batch) {
            let single = try Self.vectors.mostSimilar(
                positive: ["r\(query.positive[0])"], negative: ["r\(query.negative[0])"], top: 5, using: .approximate(Self.built))
            #expect(answer == single)
        }
        let mul = [SimilarityIndex.Query(positive: [3, 4], negative: [5], method: .mul)]
        #expect(try Self.vectors.mostSimilar(mul, top: 5, using: .approximate(Self.built)) == Self.vectors.mostSimilar(mul, top: 5))
        // A restriction is answered exactly.
        #expect(try Self.vectors.mostSimilar(positive: ["r9"], top: 5, restrictTo: 500, using: .approximate(Self.built))
            == Self.vectors.mostSimilar(positive: ["r9"], top: 5, restrictTo: 500))
    }

    @Test func anIndexForOtherVectorsIsRefused() throws {
        let other = SimilarityIndex(try gaussianMixture(rows: 3000, dimension: 48, clusters: 40, seed: 8))
        #expect(throws: Word2VecError.self) { _ = try other.mostSimilar(positive: ["r1"], using: .approximate(Self.built)) }
        let path = try temporaryDirectory().appendingPathComponent("v.hnsw").path
        try Self.built.save(to: path)
        #expect(throws: Word2VecError.self) { _ = try HNSWIndex(contentsOf: path, for: other) }
        do {
            _ = try HNSWIndex(contentsOf: path, for: other)
        } catch let error as Word2VecError {
            #expect("\(error)".contains("v.hnsw") && "\(error)".contains("other vectors"), "\(error)")
        }
        let shorter = SimilarityIndex(try gaussianMixture(rows: 2999, dimension: 48, clusters: 40, seed: 7))
        #expect(throws: Word2VecError.self) { _ = try HNSWIndex(contentsOf: path, for: shorter) }
    }

    @Test func parametersOutOfBoundsAreRefused() {
        for bad in [HNSWParameters(m: 1), HNSWParameters(m: 257), HNSWParameters(efConstruction: 0), HNSWParameters(efSearch: 0)] {
            #expect(throws: Word2VecError.self) { _ = try HNSWIndex(building: Self.vectors, parameters: bad) }
        }
        #expect(throws: Word2VecError.self) { _ = try HNSWIndex(building: Self.vectors, threads: 0) }
        #expect(throws: Word2VecError.self) {
            _ = try Self.vectors.mostSimilar(positive: ["r1"], using: .approximate(Self.built, ef: 0))
        }
    }

    @Test func automaticMethodUsesTheIndexFromTheThresholdOn() {
        guard case .exact = SearchMethod.automatic(rows: HNSWIndex.exactSearchThreshold - 1, index: Self.built) else {
            Issue.record("below the threshold: exact")
            return
        }
        guard case .approximate = SearchMethod.automatic(rows: HNSWIndex.exactSearchThreshold, index: Self.built) else {
            Issue.record("at the threshold: the index")
            return
        }
        guard case .exact = SearchMethod.automatic(rows: 10_000_000, index: nil) else {
            Issue.record("without an index: exact")
            return
        }
    }

    @Test func tinyIndexesAnswerEveryRow() throws {
        // One row, two rows, and fewer rows than the top asked for.
        for rows in [1, 2, 5] {
            let vectors = SimilarityIndex(try gaussianMixture(rows: rows, dimension: 4, clusters: 1, seed: UInt64(rows)))
            let index = try HNSWIndex(building: vectors, threads: 1)
            let found = try vectors.mostSimilar(to: vectors.unit.row(0), top: 10, using: .approximate(index))
            #expect(found.count == rows)
            #expect(Set(found.map(\.index)) == Set(0..<rows))
        }
    }

    @Test func levelsFollowTheGeometricLaw() {
        // P(level >= 1) = 1/M: about 1/16 of 100,000 draws, and reproducible.
        let levels = (0..<100_000).map { HNSWBuilder.level(of: $0, seed: 1, m: 16) }
        let upper = levels.filter { $0 >= 1 }.count
        #expect(abs(Double(upper) / 100_000 - 1.0 / 16) < 0.005, "\(upper)")
        #expect(levels == (0..<100_000).map { HNSWBuilder.level(of: $0, seed: 1, m: 16) })
        #expect(levels.max()! < 8)
    }
}

@Suite struct HNSWPiecesTests {
    /// The heap against a sorted array, on random pushes and pops with many ties.
    @Test func scoredHeapPopsTheWorstAsASortedArrayWould() {
        var random = TestRandom(seed: 3)
        var heap = ScoredHeap.allocate(capacity: 2)
        defer { heap.deallocate() }
        var reference: [(score: Float, node: UInt32)] = []
        for _ in 0..<20_000 {
            if reference.isEmpty || Int.random(in: 0..<3, using: &random) > 0 {
                let pair = (score: Float(Int.random(in: -20...20, using: &random)) / 4, node: UInt32.random(in: 0..<50, using: &random))
                if heap.count == heap.capacity { heap.grow() }
                heap.push(score: pair.score, node: pair.node)
                reference.append(pair)
            } else {
                reference.sort { ScoredHeap.worse($0.score, $0.node, than: $1.score, $1.node) }
                let expected = reference.removeFirst()
                #expect(heap.worstScore == expected.score && heap.worstNode == expected.node)
                let popped = heap.popWorst()
                #expect(popped.score == expected.score && popped.node == expected.node)
            }
            #expect(heap.count == reference.count)
        }
        #expect(heap.capacity >= reference.count)
    }

    @Test func visitedSetForgetsBetweenSearchesAcrossTheGenerationWrap() {
        var visited = VisitedSet(count: 10)
        defer { visited.deallocate() }
        for search in 0..<70_000 {
            visited.startSearch()
            let node = search % 10
            #expect(!visited.contains(node))
            #expect(visited.insert(node))
            #expect(!visited.insert(node))
            #expect(visited.contains(node))
            if search % 10_000 == 0 { #expect(!visited.contains((node + 1) % 10)) }
        }
    }

    @Test func drainingTheFoundSetSortsBestFirst() {
        let scratch = HNSWScratch(count: 100, m0: 8, ef: 16)
        var random = TestRandom(seed: 9)
        let pairs = (0..<16).map { _ in (score: Float.random(in: -1...1, using: &random), node: UInt32.random(in: 0..<100, using: &random)) }
        for pair in pairs { scratch.found.push(score: pair.score, node: pair.node) }
        let n = scratch.drainFoundBestFirst()
        let sorted = pairs.sorted { ScoredHeap.worse($1.score, $1.node, than: $0.score, $0.node) }
        #expect(n == 16)
        #expect((0..<n).map { scratch.sortedNodes[$0] } == sorted.map(\.node))
        #expect(scratch.found.isEmpty)
    }
}
