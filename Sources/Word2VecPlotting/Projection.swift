import Word2Vec

/// A principal component analysis: the centred points in the basis of the directions of largest
/// variance.
public struct PCAResult: Sendable {
    /// `points[i][k]` is the coordinate of input row `i` along `components[k]`, after subtracting
    /// `mean`.
    public let points: [[Double]]
    /// Unit-length principal directions, in input space, by decreasing variance.
    public let components: [[Double]]
    /// The variance of the points along each component (the eigenvalues of the covariance matrix,
    /// divided by the number of rows).
    public let variances: [Double]
    /// The mean of the input rows.
    public let mean: [Double]
}

/// Projections of high-dimensional rows (word vectors) to a few coordinates for plotting.
public enum Projection {
    /// The rows `words` in `embeddings`, in the order given; scaled to unit length when `normalized`
    /// (the geometry of cosine similarity, which is what word queries use).
    /// - Throws: `Word2VecError.unknownWords` listing the words that are not in the vocabulary.
    public static func rows(for words: [String], in embeddings: Embeddings, normalized: Bool = true) throws -> [[Float]] {
        let missing = words.filter { embeddings.index(of: $0) == nil }
        if !missing.isEmpty { throw Word2VecError.unknownWords(missing) }
        return try words.map { word in
            var row = try embeddings.vector(for: word)
            if normalized {
                let length = Float(row.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
                if length > 0 { for k in row.indices { row[k] /= length } }
            }
            return row
        }
    }

    /// Exact principal component analysis of `rows` (all of one length).
    ///
    /// The eigenvectors come from a cyclic Jacobi eigen-decomposition of the covariance matrix, or,
    /// when there are fewer rows than columns, of the Gram matrix of the centred rows (same nonzero
    /// spectrum, smaller matrix). Each component's sign is fixed so that its entry of largest
    /// magnitude is positive, so the result does not depend on the order of the rows. Components
    /// beyond the rank of the data have variance 0 and coordinates 0.
    ///
    /// Time O(n d min(n, d) + min(n, d)^3) per Jacobi sweep count; memory O(min(n, d)^2).
    /// - Parameter components: how many coordinates per row, at least 1 and at most the dimension.
    /// - Throws: `Word2VecError.invalidOption` for no rows, rows of different lengths, a component
    ///   count out of range, or a value that is not finite.
    public static func pca(_ rows: [[Float]], components: Int = 2) throws -> PCAResult {
        let (n, d) = try shape(rows)
        guard components >= 1 && components <= d else {
            throw Word2VecError.invalidOption("components", "must be between 1 and the dimension \(d) (got \(components))")
        }
        var mean = [Double](repeating: 0, count: d)
        for row in rows { for k in 0..<d { mean[k] += Double(row[k]) } }
        for k in 0..<d { mean[k] /= Double(n) }
        // Centred rows, row-major n x d.
        var x = [Double](repeating: 0, count: n * d)
        for i in 0..<n { for k in 0..<d { x[i * d + k] = Double(rows[i][k]) - mean[k] } }

        var axes: [[Double]] = []
        var variances: [Double] = []
        if n >= d {
            var covariance = [Double](repeating: 0, count: d * d)
            x.withUnsafeBufferPointer { x in
                covariance.withUnsafeMutableBufferPointer { covariance in
                    for i in 0..<n {
                        for a in 0..<d {
                            let xa = x[i * d + a]
                            if xa == 0 { continue }
                            for b in a..<d { covariance[a * d + b] += xa * x[i * d + b] }
                        }
                    }
                }
            }
            for a in 0..<d { for b in a..<d { covariance[b * d + a] = covariance[a * d + b] } }
            let (values, vectors) = symmetricEigen(covariance, size: d)
            for k in 0..<components {
                variances.append(max(values[k], 0) / Double(n))
                axes.append((0..<d).map { vectors[$0 * d + k] })
            }
        } else {
            // X = U S V^T: the Gram matrix X X^T = U S^2 U^T gives U, and V's columns are X^T u / s.
            var gram = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in i..<n {
                    var sum = 0.0
                    for k in 0..<d { sum += x[i * d + k] * x[j * d + k] }
                    gram[i * n + j] = sum
                    gram[j * n + i] = sum
                }
            }
            let (values, vectors) = symmetricEigen(gram, size: n)
            let largest = values.first.map { max($0, 0) } ?? 0
            for k in 0..<components {
                let value = k < n ? max(values[k], 0) : 0
                var axis = [Double](repeating: 0, count: d)
                // A direction with (numerically) no variance is left as zero rather than amplified noise.
                if k < n && value > largest * 1e-12 && value > 0 {
                    let s = value.squareRoot()
                    for i in 0..<n {
                        let u = vectors[i * n + k] / s
                        for c in 0..<d { axis[c] += x[i * d + c] * u }
                    }
                }
                variances.append(axis.allSatisfy { $0 == 0 } ? 0 : value / Double(n))
                axes.append(axis)
            }
        }
        for k in axes.indices {
            var largestIndex = 0
            for c in 0..<d where abs(axes[k][c]) > abs(axes[k][largestIndex]) { largestIndex = c }
            if axes[k][largestIndex] < 0 { axes[k] = axes[k].map { -$0 } }
        }
        let points = (0..<n).map { i in
            axes.map { axis in
                var sum = 0.0
                for c in 0..<d { sum += x[i * d + c] * axis[c] }
                return sum
            }
        }
        return PCAResult(points: points, components: axes, variances: variances, mean: mean)
    }

    /// The row count and length of `rows`, checked.
    static func shape(_ rows: [[Float]]) throws -> (rows: Int, columns: Int) {
        guard let first = rows.first, !first.isEmpty else {
            throw Word2VecError.invalidOption("rows", rows.isEmpty ? "is empty: nothing to project" : "hold no values")
        }
        for (i, row) in rows.enumerated() {
            guard row.count == first.count else {
                throw Word2VecError.invalidOption("rows", "row \(i + 1) has \(row.count) values, row 1 has \(first.count)")
            }
            guard row.allSatisfy(\.isFinite) else {
                throw Word2VecError.invalidOption("rows", "row \(i + 1) holds a value that is not finite")
            }
        }
        return (rows.count, first.count)
    }

    /// Eigenvalues of the symmetric `size x size` row-major `matrix`, in decreasing order, and the
    /// matching unit eigenvectors as the columns of a row-major matrix, by cyclic Jacobi rotations.
    ///
    /// Jacobi is slower than tridiagonalisation but short, unconditionally stable and accurate to
    /// working precision for small eigenvalues too, which suits the few-hundred-square matrices here.
    static func symmetricEigen(_ matrix: [Double], size m: Int) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: m * m)
        for i in 0..<m { v[i * m + i] = 1 }
        a.withUnsafeMutableBufferPointer { a in
            v.withUnsafeMutableBufferPointer { v in
                var total = 0.0
                for value in a { total += value * value }
                for _ in 0..<100 {
                    var off = 0.0
                    for p in 0..<m { for q in (p + 1)..<m { off += a[p * m + q] * a[p * m + q] } }
                    if off <= total * 1e-26 { break }
                    for p in 0..<m {
                        for q in (p + 1)..<m {
                            let apq = a[p * m + q]
                            if apq == 0 { continue }
                            let app = a[p * m + p], aqq = a[q * m + q]
                            // The rotation angle that zeroes a[p][q]: t = tan(theta), the smaller root.
                            let theta = (aqq - app) / (2 * apq)
                            let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                            let c = 1 / (t * t + 1).squareRoot()
                            let s = t * c
                            for k in 0..<m {
                                let akp = a[k * m + p], akq = a[k * m + q]
                                a[k * m + p] = c * akp - s * akq
                                a[k * m + q] = s * akp + c * akq
                            }
                            for k in 0..<m {
                                let apk = a[p * m + k], aqk = a[q * m + k]
                                a[p * m + k] = c * apk - s * aqk
                                a[q * m + k] = s * apk + c * aqk
                            }
                            a[p * m + q] = 0
                            a[q * m + p] = 0
                            for k in 0..<m {
                                let vkp = v[k * m + p], vkq = v[k * m + q]
                                v[k * m + p] = c * vkp - s * vkq
                                v[k * m + q] = s * vkp + c * vkq
                            }
                        }
                    }
                }
            }
        }
        let order = (0..<m).sorted { a[$0 * m + $0] > a[$1 * m + $1] || (a[$0 * m + $0] == a[$1 * m + $1] && $0 < $1) }
        var vectors = [Double](repeating: 0, count: m * m)
        for (column, source) in order.enumerated() {
            for k in 0..<m { vectors[k * m + column] = v[k * m + source] }
        }
        return (order.map { a[$0 * m + $0] }, vectors)
    }
}
