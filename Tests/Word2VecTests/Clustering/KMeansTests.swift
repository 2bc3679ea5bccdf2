import Foundation
import Testing
import Word2Vec

/// `perCluster` points around each of `clusters` orthogonal directions (scaled basis vectors) with
/// lengths in [0.5, 2] and noise of `noise` per coordinate; returns the matrix and the true labels.
private func separatedClusters(
    clusters: Int = 6, perCluster: Int = 50, dimension: Int = 16, noise: Float = 0.05, seed: UInt64 = 11
) -> (Matrix, [Int]) {
    var random = LinearCongruentialGenerator(seed: seed)
    var labels: [Int] = []
    for p in 0..<(clusters * perCluster) { labels.append((p * 7 + p / 3) % clusters) }  // interleaved
    let matrix = Matrix(rows: labels.count, columns: dimension)
    for (i, label) in labels.enumerated() {
        let length = 0.5 + 1.5 * random.nextUnit()
        let row = matrix.pointer(row: i)
        for j in 0..<dimension { row[j] = noise * (2 * random.nextUnit() - 1) }
        row[label] += length
    }
    return (matrix, labels)
}

/// Points in no particular structure, so k-means has many moves to make.
private func randomPoints(count: Int = 400, dimension: Int = 10, seed: UInt64 = 5) -> Matrix {
    var random = LinearCongruentialGenerator(seed: seed)
    return Matrix(rows: count, columns: dimension) { 2 * random.nextUnit() - 1 }
}

/// Whether two labelings are the same partition (equal up to renaming the labels).
private func samePartition(_ a: [Int], _ b: [Int]) -> Bool {
    guard a.count == b.count else { return false }
    var forward: [Int: Int] = [:]
    var backward: [Int: Int] = [:]
    for (x, y) in zip(a, b) {
        if forward[x, default: y] != y || backward[y, default: x] != x { return false }
        forward[x] = y
        backward[y] = x
    }
    return true
}

private func isNonIncreasing(_ values: [Double]) -> Bool {
    zip(values, values.dropFirst()).allSatisfy { $1 <= $0 }
}

@Suite struct KMeansTests {
    @Test func recoversWellSeparatedClustersExactly() throws {
        let (points, labels) = separatedClusters()
        for seed: UInt64 in 1...5 {
            var configuration = KMeansConfiguration(clusters: 6)
            configuration.seed = seed
            let result = try KMeans.cluster(points, configuration: configuration)
            #expect(samePartition(result.assignments, labels), "seed \(seed)")
            #expect(result.converged)
            #expect(isNonIncreasing(result.objectiveHistory))
        }
    }

    @Test func roundRobinStartAlsoRecoversThemAndNeverIncreasesTheObjective() throws {
        let (points, labels) = separatedClusters(clusters: 3, perCluster: 40)
        var configuration = KMeansConfiguration(clusters: 3)
        configuration.initialization = .roundRobin
        configuration.maxIterations = 50
        let result = try KMeans.cluster(points, configuration: configuration)
        #expect(samePartition(result.assignments, labels))
        #expect(result.objectiveHistory.count == result.iterations)
        #expect(isNonIncreasing(result.objectiveHistory))
    }

    @Test func objectiveNeverIncreasesOnUnstructuredData() throws {
        let points = randomPoints()
        for initialization in KMeansConfiguration.Initialization.allCases {
            for clusters in [2, 7, 20] {
                var configuration = KMeansConfiguration(clusters: clusters)
                configuration.initialization = initialization
                configuration.maxIterations = 100
                let result = try KMeans.cluster(points, configuration: configuration)
                let history = result.objectiveHistory
                #expect(history.count >= 3, "\(initialization) k=\(clusters) should take several iterations")
                #expect(isNonIncreasing(history), "\(initialization) k=\(clusters): \(history)")
                #expect(history.last! < history.first!)
                #expect(history.allSatisfy { $0 >= 0 })
                // The reported objective is the documented one, recomputed from the result.
                let recomputed = KMeans.objective(of: points, assignments: result.assignments, centroids: result.centroids)
                #expect(abs(recomputed - result.objective) <= 1e-9 * result.objective)
                // Centroids are unit vectors and every cluster is used.
                for c in 0..<clusters {
                    let row = result.centroids.row(c)
                    #expect(abs(row.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
                }
                #expect(Set(result.assignments) == Set(0..<clusters))
            }
        }
    }

    @Test func convergedResultIsAFixedPoint() throws {
        let points = randomPoints(count: 200)
        var configuration = KMeansConfiguration(clusters: 5)
        configuration.maxIterations = 200
        let result = try KMeans.cluster(points, configuration: configuration)
        #expect(result.converged)
        // Every point's centroid is (one of) its most similar.
        for i in 0..<points.rows {
            let x = points.row(i)
            let dots = (0..<5).map { c in zip(result.centroids.row(c), x).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
            #expect(dots[result.assignments[i]] >= dots.max()! - 1e-5)
        }
    }

    @Test func deterministicForASeedWhateverTheThreadCount() throws {
        let points = randomPoints(count: 3000, dimension: 12)
        var configuration = KMeansConfiguration(clusters: 10)
        configuration.threads = 1
        let single = try KMeans.cluster(points, configuration: configuration)
        configuration.threads = 4
        let parallel = try KMeans.cluster(points, configuration: configuration)
        let again = try KMeans.cluster(points, configuration: configuration)
        #expect(single.assignments == parallel.assignments && parallel.assignments == again.assignments)
        #expect(single.objectiveHistory == parallel.objectiveHistory)
        configuration.seed = 99
        let other = try KMeans.cluster(points, configuration: configuration)
        #expect(other.assignments != single.assignments)
    }

    @Test func degenerateDataGivesValidClassesWithoutNaN() throws {
        // Identical and zero vectors: all terms vanish after the first centroid.
        let points = Matrix(rows: 5, columns: 3)
        for i in 0..<3 { points.setRow(i, to: [1, 2, 2]) }
        let result = try KMeans.cluster(points, configuration: KMeansConfiguration(clusters: 4))
        #expect(result.objective == 0)
        #expect(result.assignments.allSatisfy { (0..<4).contains($0) })
        #expect((0..<4).allSatisfy { c in result.centroids.row(c).allSatisfy(\.isFinite) })
    }

    @Test func badSettingsAreOneLineErrors() throws {
        let points = randomPoints(count: 10)
        #expect(throws: Word2VecError.invalidConfiguration(setting: "KMeansConfiguration.clusters", problem: "asks for 11 classes of only 10 words")) {
            try KMeans.cluster(points, configuration: KMeansConfiguration(clusters: 11))
        }
        #expect(throws: Word2VecError.invalidConfiguration(setting: "KMeansConfiguration.clusters", problem: "must be positive (got 0)")) {
            try KMeans.cluster(points, configuration: KMeansConfiguration(clusters: 0))
        }
        points.storage[13] = .nan
        #expect(throws: Word2VecError.invalidOption("vectors", "row 2 has a value that is not finite")) {
            try KMeans.cluster(points, configuration: KMeansConfiguration(clusters: 2))
        }
    }

    @Test func wordClassesAreWrittenAsWordClassLines() throws {
        let (points, labels) = separatedClusters(clusters: 3, perCluster: 4)
        let words = (0..<points.rows).map { "word\($0)" }
        let embeddings = try Embeddings(words: words, vectors: points)
        let classes = try WordClasses(embeddings: embeddings, configuration: KMeansConfiguration(clusters: 3))
        #expect(samePartition(classes.classes, labels))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("classes-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try classes.write(to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.map(String.init) == zip(words, classes.classes).map { "\($0)\t\($1)" })
        #expect(throws: Word2VecError.self) { try classes.write(to: "/nonexistent-dir/classes.txt") }
    }
}
