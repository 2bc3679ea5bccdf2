import Dispatch

/// The outcome of `KMeans.cluster`.
public struct KMeansResult: Sendable {
    /// `assignments[i]` is the cluster of row `i`, in `0..<clusters`.
    public let assignments: [Int]
    /// `clusters x dimension`, each row of unit length (the mean direction of its members).
    public let centroids: Matrix
    /// The objective (see `KMeans`) after each assignment step, in order: after the initial assignment
    /// (k-means++ only; round-robin starts from given assignments), then after every iteration. Never
    /// increases.
    public let objectiveHistory: [Double]
    /// Update-and-reassign iterations run.
    public let iterations: Int
    /// Whether the last iteration moved no point: the result is a fixed point of the algorithm.
    public let converged: Bool

    /// The final objective.
    public var objective: Double { objectiveHistory.last ?? 0 }
}

/// The k-means of the original word2vec tool's `-classes`: spherical k-means on the raw vectors.
///
/// Centroids are unit vectors; a point joins the centroid with the largest dot product, and a
/// centroid is its members' sum scaled to unit length. Both steps minimise
///
///     J = sum over points i of ( |x_i| - <x_i, c_z(i)> ) = sum of |x_i| (1 - cos(x_i, c_z(i))),
///
/// the norm-weighted cosine distance of each vector to its centroid (J >= 0 by Cauchy-Schwarz): the
/// assignment step minimises each term over the centroids, and for fixed members the unit vector
/// maximising the sum of dot products is their normalised sum. So J never increases and the run stops
/// at a fixed point or after `maxIterations`. Frequent words, whose vectors tend to be longer, weigh
/// more, as in the C tool.
///
/// A cluster left empty takes the point with the largest term, which lowers J further (that term
/// becomes 0), instead of the C tool's NaN centroid. Ties go to the lowest cluster index. The
/// assignment step, O(points x clusters x dimension), runs on `threads` threads; everything else
/// is sequential and in a fixed order, so the result does not depend on the thread count.
public enum KMeans {
    /// Clusters the rows of `vectors`.
    /// - Throws: `Word2VecError.invalidOption` if the configuration does not fit the data or a value
    ///   is not finite.
    public static func cluster(_ vectors: Matrix, configuration: KMeansConfiguration) throws -> KMeansResult {
        try configuration.validate(points: vectors.rows)
        for i in 0..<(vectors.rows * vectors.columns) where !vectors.storage[i].isFinite {
            throw Word2VecError.invalidOption(
                "vectors", "row \(i / max(vectors.columns, 1) + 1) has a value that is not finite")
        }
        return KMeansRun(vectors: vectors, configuration: configuration).run()
    }

    /// `J` (see above) of the given assignment and unit centroids; O(points x dimension).
    public static func objective(of vectors: Matrix, assignments: [Int], centroids: Matrix) -> Double {
        precondition(assignments.count == vectors.rows && centroids.columns == vectors.columns)
        var total = 0.0
        for i in 0..<vectors.rows {
            let x = vectors.pointer(row: i)
            let n = vectors.columns
            let norm = Double(VectorKernels.dot(x, x, count: n).squareRoot())
            total += norm - Double(VectorKernels.dot(centroids.pointer(row: assignments[i]), x, count: n))
        }
        return total
    }
}

/// One run's state. Per-point arrays are written by disjoint ranges of points in parallel.
private final class KMeansRun: @unchecked Sendable {
    let vectors: Matrix
    let configuration: KMeansConfiguration
    let n: Int
    let k: Int
    let dimension: Int
    let centroids: Matrix
    /// `|x_i|`.
    let norms: UnsafeMutableBufferPointer<Float>
    let assignments: UnsafeMutableBufferPointer<Int>
    /// `<x_i, c_assignments[i]>` from the last assignment step.
    let bestDots: UnsafeMutableBufferPointer<Float>

    init(vectors: Matrix, configuration: KMeansConfiguration) {
        self.vectors = vectors
        self.configuration = configuration
        n = vectors.rows
        k = configuration.clusters
        dimension = vectors.columns
        centroids = Matrix(rows: k, columns: dimension)
        norms = .allocate(capacity: n)
        assignments = .allocate(capacity: n)
        assignments.initialize(repeating: 0)
        bestDots = .allocate(capacity: n)
        bestDots.initialize(repeating: 0)
        for i in 0..<n {
            let x = vectors.pointer(row: i)
            norms[i] = VectorKernels.dot(x, x, count: dimension).squareRoot()
        }
    }

    deinit {
        norms.deallocate()
        assignments.deallocate()
        bestDots.deallocate()
    }

    func run() -> KMeansResult {
        var history: [Double] = []
        switch configuration.initialization {
        case .kMeansPlusPlus:
            seedCentroids()
            _ = assign()
            history.append(objective())
        case .roundRobin:
            for i in 0..<n { assignments[i] = i % k }
        }
        var iterations = 0
        var converged = false
        while iterations < configuration.maxIterations {
            iterations += 1
            fillEmptyClusters()
            updateCentroids()
            let moved = assign()
            history.append(objective())
            if moved == 0 {
                converged = true
                break
            }
        }
        return KMeansResult(
            assignments: Array(assignments), centroids: centroids, objectiveHistory: history,
            iterations: iterations, converged: converged)
    }

    /// Sum of the per-point terms `|x_i| - <x_i, c>`, in point order.
    func objective() -> Double {
        var total = 0.0
        for i in 0..<n { total += Double(norms[i]) - Double(bestDots[i]) }
        return total
    }

    /// Runs `body(chunk, range)` over `0..<n` split in chunks, on up to `threads` threads.
    func parallelForEachChunk(_ body: (Int, Range<Int>) -> Void) -> Int {
        let threads = configuration.threads
        let chunkSize = max(64, (n + threads * 8 - 1) / (threads * 8))
        let chunks = (n + chunkSize - 1) / chunkSize
        if threads == 1 || chunks <= 1 {
            for c in 0..<chunks { body(c, c * chunkSize..<min(n, (c + 1) * chunkSize)) }
        } else {
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                body(c, c * chunkSize..<min(self.n, (c + 1) * chunkSize))
            }
        }
        return chunks
    }

    /// Moves every point to the centroid with the largest dot product; returns how many moved.
    func assign() -> Int {
        let movedPerChunk = UnsafeMutableBufferPointer<Int>.allocate(capacity: n / 64 + 1)
        movedPerChunk.initialize(repeating: 0)
        defer { movedPerChunk.deallocate() }
        let chunks = parallelForEachChunk { chunk, range in
            var moved = 0
            for i in range {
                let x = self.vectors.pointer(row: i)
                var best = 0
                var bestDot = -Float.infinity
                for c in 0..<self.k {
                    let d = VectorKernels.dot(self.centroids.pointer(row: c), x, count: self.dimension)
                    if d > bestDot {
                        bestDot = d
                        best = c
                    }
                }
                if self.assignments[i] != best { moved += 1 }
                self.assignments[i] = best
                self.bestDots[i] = bestDot
            }
            movedPerChunk[chunk] = moved
        }
        return movedPerChunk[0..<chunks].reduce(0, +)
    }

    /// Gives each empty cluster the point with the largest term among clusters of two or more points.
    /// The point's term becomes 0 once its new centroid is itself, so J decreases.
    func fillEmptyClusters() {
        var sizes = [Int](repeating: 0, count: k)
        for i in 0..<n { sizes[assignments[i]] += 1 }
        for empty in 0..<k where sizes[empty] == 0 {
            var worst = -1
            var worstTerm: Float = 0
            for i in 0..<n where sizes[assignments[i]] > 1 {
                let term = norms[i] - bestDots[i]
                if term > worstTerm {
                    worstTerm = term
                    worst = i
                }
            }
            guard worst >= 0 else { return }  // every point already sits exactly on its centroid
            sizes[assignments[worst]] -= 1
            sizes[empty] = 1
            assignments[worst] = empty
            bestDots[worst] = norms[worst]
        }
    }

    /// Sets each centroid to its members' normalised sum. A cluster without members, or whose members
    /// sum to zero, keeps its centroid: any unit vector is then optimal.
    func updateCentroids() {
        let sums = Matrix(rows: k, columns: dimension)
        for i in 0..<n {
            VectorKernels.add(vectors.pointer(row: i), to: sums.pointer(row: assignments[i]), count: dimension)
        }
        for c in 0..<k {
            let sum = sums.pointer(row: c)
            let norm = VectorKernels.dot(sum, sum, count: dimension).squareRoot()
            let centroid = centroids.pointer(row: c)
            if norm > 0 {
                centroid.update(from: sum, count: dimension)
                VectorKernels.scale(centroid, by: 1 / norm, count: dimension)
            } else if VectorKernels.dot(centroid, centroid, count: dimension) == 0 {
                centroid[c % dimension] = 1
            }
        }
    }

    /// k-means++ with the clustering's own term as distance: the first centroid is a uniformly drawn
    /// non-zero point, each further one a point drawn with probability proportional to its term under
    /// the centroids so far (uniformly among the unused points if every term is 0).
    func seedCentroids() {
        var random = LinearCongruentialGenerator(seed: configuration.seed)
        func uniform() -> Double { Double(random.next() >> 11) * 0x1p-53 }
        guard norms.contains(where: { $0 > 0 }) else {
            for c in 0..<k { centroids.pointer(row: c)[c % dimension] = 1 }
            return
        }
        var chosen = Set<Int>()
        var first = random.next(below: n)
        while norms[first] == 0 { first = random.next(below: n) }
        let terms = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        terms.initialize(repeating: .infinity)
        defer { terms.deallocate() }
        var next = first
        for c in 0..<k {
            chosen.insert(next)
            let centroid = centroids.pointer(row: c)
            if norms[next] > 0 {
                centroid.update(from: vectors.pointer(row: next), count: dimension)
                VectorKernels.scale(centroid, by: 1 / norms[next], count: dimension)
            } else {
                centroid[c % dimension] = 1
            }
            guard c + 1 < k else { break }
            _ = parallelForEachChunk { _, range in
                for i in range {
                    let d = VectorKernels.dot(centroid, self.vectors.pointer(row: i), count: self.dimension)
                    terms[i] = min(terms[i], max(0, self.norms[i] - d))
                }
            }
            var total = 0.0
            for i in 0..<n { total += Double(terms[i]) }
            if total > 0 {
                var target = uniform() * total
                next = -1
                for i in 0..<n where terms[i] > 0 {
                    target -= Double(terms[i])
                    next = i
                    if target < 0 { break }
                }
            } else {
                // Every point lies on a chosen direction; take the next unused non-zero point (or any).
                next = (0..<n).first { !chosen.contains($0) && norms[$0] > 0 } ?? (0..<n).first { !chosen.contains($0) }!
            }
        }
    }
}
