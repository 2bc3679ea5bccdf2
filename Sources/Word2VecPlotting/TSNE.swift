import Word2Vec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings of `Projection.tsne`. The defaults are those of van der Maaten and Hinton (2008) with
/// the learning rate of Belkina et al. (2019).
public struct TSNEConfiguration: Sendable, Equatable {
    /// Where the embedding starts.
    public enum Initialization: String, Sendable, CaseIterable {
        /// Gaussian noise of standard deviation 1e-4 drawn from `seed`.
        case random
        /// The first two principal components, scaled to standard deviation 1e-4 (keeps more of the
        /// global arrangement; `seed` then matters only for data of dimension 1).
        case pca
    }

    /// The effective number of neighbours each point's input similarities spread over. Clamped to
    /// between 1 and (points - 1) / 3, as larger values cannot be calibrated on few points.
    public var perplexity: Double = 30
    /// Gradient steps.
    public var iterations: Int = 1000
    /// Step size; `nil` for max(points / earlyExaggeration / 4, 50).
    public var learningRate: Double? = nil
    /// Factor on the input similarities during the first `exaggerationIterations` steps, which lets
    /// clusters form before they settle.
    public var earlyExaggeration: Double = 12
    public var exaggerationIterations: Int = 250
    public var initialization: Initialization = .random
    /// Seeds the random start: the same seed and input give the same output, bit for bit.
    public var seed: UInt64 = 1

    /// The most points accepted: exact t-SNE costs O(points^2) time per step and memory.
    public static let maximumPoints = 5000
    /// The most gradient steps accepted: at the largest size a step takes tens of milliseconds, so
    /// more would run for days; the picture settles within a few thousand.
    public static let maximumIterations = 100_000

    public init() {}

    /// - Throws: `Word2VecError.invalidConfiguration` naming the setting that is out of range.
    public func validate() throws {
        guard perplexity.isFinite && perplexity > 0 else { throw Word2VecError.invalidConfiguration(setting: "TSNEConfiguration.perplexity", problem: "must be a positive number") }
        guard iterations >= 1 else { throw Word2VecError.invalidConfiguration(setting: "TSNEConfiguration.iterations", problem: "must be at least 1") }
        guard iterations <= Self.maximumIterations else {
            throw Word2VecError.invalidConfiguration(setting: "TSNEConfiguration.iterations", problem: "must be at most \(Self.maximumIterations) (got \(iterations))")
        }
        if let learningRate, !(learningRate.isFinite && learningRate > 0) {
            throw Word2VecError.invalidConfiguration(setting: "TSNEConfiguration.learningRate", problem: "must be a positive number")
        }
        guard earlyExaggeration.isFinite && earlyExaggeration >= 1 else {
            throw Word2VecError.invalidConfiguration(setting: "TSNEConfiguration.earlyExaggeration", problem: "must be at least 1")
        }
        guard exaggerationIterations >= 0 else { throw Word2VecError.invalidConfiguration(setting: "TSNEConfiguration.exaggerationIterations", problem: "must not be negative") }
    }
}

extension Projection {
    /// Exact t-distributed stochastic neighbour embedding (van der Maaten and Hinton, 2008) of `rows`
    /// (all of one length) into two coordinates per row.
    ///
    /// Input similarities are Gaussian in Euclidean distance, with each point's bandwidth found by
    /// binary search so that its neighbour distribution has the configured perplexity; they are
    /// symmetrised and matched by a Student-t kernel in the plane, minimising the Kullback-Leibler
    /// divergence by gradient descent with momentum (0.5, then 0.8 after the exaggeration phase) and
    /// per-coordinate adaptive gains. The computation is single-threaded and sequential, so the
    /// result is a pure function of the rows and the configuration.
    ///
    /// Time O(n^2 (d + iterations)), memory O(n^2) for n rows of dimension d.
    /// - Throws: `Word2VecError.invalidOption` for no rows, rows of different lengths, non-finite
    ///   values, more than `TSNEConfiguration.maximumPoints` rows, or a setting out of range.
    public static func tsne(_ rows: [[Float]], configuration: TSNEConfiguration = TSNEConfiguration()) throws -> [[Double]] {
        try configuration.validate()
        let (n, d) = try shape(rows)
        guard n <= TSNEConfiguration.maximumPoints else {
            throw Word2VecError.invalidOption("t-SNE", "takes at most \(TSNEConfiguration.maximumPoints) points (got \(n)); use PCA or fewer words")
        }
        if n == 1 { return [[0, 0]] }
        let perplexity = max(1, min(configuration.perplexity, Double(n - 1) / 3))
        let p = affinities(rows, count: n, dimension: d, perplexity: perplexity)
        var y = start(rows, count: n, configuration: configuration)
        let learningRate = configuration.learningRate ?? max(Double(n) / configuration.earlyExaggeration / 4, 50)
        var update = [Double](repeating: 0, count: 2 * n)
        var gains = [Double](repeating: 1, count: 2 * n)
        var gradient = [Double](repeating: 0, count: 2 * n)
        for step in 0..<configuration.iterations {
            let exaggerating = step < configuration.exaggerationIterations
            let exaggeration = exaggerating ? configuration.earlyExaggeration : 1
            let momentum = exaggerating ? 0.5 : 0.8
            computeGradient(p: p, y: y, count: n, exaggeration: exaggeration, into: &gradient)
            for k in 0..<(2 * n) {
                // Delta-bar-delta: a coordinate whose gradient keeps its direction speeds up.
                gains[k] = (gradient[k] > 0) != (update[k] > 0) ? gains[k] + 0.2 : max(gains[k] * 0.8, 0.01)
                update[k] = momentum * update[k] - learningRate * gains[k] * gradient[k]
                y[k] += update[k]
            }
            var meanX = 0.0, meanY = 0.0
            for i in 0..<n { meanX += y[2 * i]; meanY += y[2 * i + 1] }
            meanX /= Double(n)
            meanY /= Double(n)
            for i in 0..<n { y[2 * i] -= meanX; y[2 * i + 1] -= meanY }
        }
        return (0..<n).map { [y[2 * $0], y[2 * $0 + 1]] }
    }

    /// The symmetrised input similarities p_ij, row-major n x n, summing to 1.
    static func affinities(_ rows: [[Float]], count n: Int, dimension d: Int, perplexity: Double) -> [Double] {
        let flat = rows.flatMap { $0.map(Double.init) }
        var distances = [Double](repeating: 0, count: n * n)
        flat.withUnsafeBufferPointer { x in
            distances.withUnsafeMutableBufferPointer { distances in
                for i in 0..<n {
                    for j in (i + 1)..<n {
                        var sum = 0.0
                        for k in 0..<d {
                            let difference = x[i * d + k] - x[j * d + k]
                            sum += difference * difference
                        }
                        distances[i * n + j] = sum
                        distances[j * n + i] = sum
                    }
                }
            }
        }
        let target = log(perplexity)
        var conditional = [Double](repeating: 0, count: n * n)
        var row = [Double](repeating: 0, count: n)
        distances.withUnsafeBufferPointer { distances in
            conditional.withUnsafeMutableBufferPointer { conditional in
                row.withUnsafeMutableBufferPointer { row in
                    for i in 0..<n {
                        let own = UnsafeBufferPointer(rebasing: distances[(i * n)..<(i * n + n)])
                        var nearest = Double.infinity, farthest = 0.0
                        for j in 0..<n where j != i {
                            nearest = min(nearest, own[j])
                            farthest = max(farthest, own[j])
                        }
                        // Distances are shifted by the nearest one so that exp never underflows to
                        // all zeros; the shift cancels in the normalisation. Starting at the inverse
                        // of the largest distance makes the search independent of scale.
                        var beta = 1 / max(farthest, 1e-300)
                        var low = 0.0, high = Double.infinity
                        for _ in 0..<200 {
                            var sum = 0.0, weighted = 0.0
                            for j in 0..<n {
                                if j == i { row[j] = 0; continue }
                                // Written out for 0 so that an unbounded beta (all points equal)
                                // cannot give NaN.
                                let shifted = own[j] - nearest
                                let value = shifted == 0 ? 1 : exp(-beta * shifted)
                                row[j] = value
                                sum += value
                                weighted += shifted == 0 ? 0 : shifted * value
                            }
                            let entropy = log(sum) + (weighted == 0 ? 0 : beta * weighted / sum)
                            if abs(entropy - target) < 1e-5 { break }
                            if entropy > target {
                                low = beta
                                beta = high.isInfinite ? beta * 2 : (beta + high) / 2
                            } else {
                                high = beta
                                beta = (beta + low) / 2
                            }
                        }
                        var sum = 0.0
                        for j in 0..<n { sum += row[j] }
                        for j in 0..<n { conditional[i * n + j] = row[j] / sum }
                    }
                }
            }
        }
        // The distances' storage is reused for the result.
        var p = distances
        let scale = 1 / (2 * Double(n))
        conditional.withUnsafeBufferPointer { conditional in
            p.withUnsafeMutableBufferPointer { p in
                for i in 0..<n {
                    for j in 0..<n { p[i * n + j] = (conditional[i * n + j] + conditional[j * n + i]) * scale }
                }
            }
        }
        return p
    }

    /// The starting coordinates, interleaved (x0, y0, x1, y1, ...).
    static func start(_ rows: [[Float]], count n: Int, configuration: TSNEConfiguration) -> [Double] {
        var random = SplitMix(state: configuration.seed)
        var y = (0..<(2 * n)).map { _ in random.nextGaussian() * 1e-4 }
        if configuration.initialization == .pca, let pca = try? pca(rows, components: min(2, rows[0].count)) {
            let first = pca.points.map { $0[0] }
            let spread = (first.reduce(0) { $0 + $1 * $1 } / Double(n)).squareRoot()
            if spread > 0 {
                for i in 0..<n {
                    for k in 0..<pca.points[i].count { y[2 * i + k] = pca.points[i][k] / spread * 1e-4 }
                }
            }
        }
        return y
    }

    /// The gradient of KL(P || Q) with respect to the interleaved coordinates `y`.
    static func computeGradient(p: [Double], y: [Double], count n: Int, exaggeration: Double, into gradient: inout [Double]) {
        p.withUnsafeBufferPointer { p in
            y.withUnsafeBufferPointer { y in
                gradient.withUnsafeMutableBufferPointer { gradient in
                    var total = 0.0
                    for i in 0..<n {
                        let xi = y[2 * i], yi = y[2 * i + 1]
                        for j in (i + 1)..<n {
                            let dx = xi - y[2 * j], dy = yi - y[2 * j + 1]
                            total += 1 / (1 + dx * dx + dy * dy)
                        }
                    }
                    let normaliser = 1 / (2 * total)
                    for k in 0..<(2 * n) { gradient[k] = 0 }
                    for i in 0..<n {
                        let xi = y[2 * i], yi = y[2 * i + 1]
                        var gx = 0.0, gy = 0.0
                        for j in (i + 1)..<n {
                            let dx = xi - y[2 * j], dy = yi - y[2 * j + 1]
                            let w = 1 / (1 + dx * dx + dy * dy)
                            let force = (exaggeration * p[i * n + j] - w * normaliser) * w
                            gx += force * dx
                            gy += force * dy
                            gradient[2 * j] -= 4 * force * dx
                            gradient[2 * j + 1] -= 4 * force * dy
                        }
                        gradient[2 * i] += 4 * gx
                        gradient[2 * i + 1] += 4 * gy
                    }
                }
            }
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny seeded generator whose stream does not depend on
/// the platform, for reproducible starting points.
struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in (0, 1).
    mutating func nextUnit() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }

    /// A standard normal value (Box-Muller).
    mutating func nextGaussian() -> Double {
        let u = nextUnit(), v = nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
