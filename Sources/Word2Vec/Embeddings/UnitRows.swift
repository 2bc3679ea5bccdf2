import Synchronization

/// The rows of an embeddings matrix scaled to unit length, made at the first query and then shared
/// by every copy of the `Embeddings` and every `SimilarityIndex` over them: one normalised copy per
/// matrix, however many query objects there are.
///
/// The copy is made under a lock, so concurrent first queries wait for one pass instead of each
/// making its own. Training a model in place drops it (`reset`), so that later queries see the new
/// vectors.
final class UnitRows: Sendable {
    private enum Source {
        /// Normalise `vectors` into new memory.
        case vectors(Matrix)
        /// Normalise a subword model's composed word vectors.
        case composed(ComposedVectors)
        /// The first `rows` rows of another instance's matrix (a `limit` on a model's vectors).
        case prefix(UnitRows, rows: Int)
    }

    private let source: Source
    /// Unit rows handed in at creation (a model file's stored copy), used until the first `reset`.
    private let state: Mutex<Matrix?>

    /// Unit rows of `vectors`; `precomputed` must hold exactly those (a model file's UNIT section).
    init(vectors: Matrix, precomputed: Matrix? = nil) {
        precondition(precomputed.map { $0.rows == vectors.rows && $0.columns == vectors.columns } ?? true)
        source = .vectors(vectors)
        state = Mutex(precomputed)
    }

    /// Unit rows of a subword model's word vectors (`ComposedVectors`); `precomputed` as above.
    init(composed: ComposedVectors, precomputed: Matrix? = nil) {
        source = .composed(composed)
        state = Mutex(precomputed)
    }

    /// The first `rows` unit rows of `parent`, sharing its memory.
    init(prefix rows: Int, of parent: UnitRows) {
        source = .prefix(parent, rows: rows)
        state = Mutex(nil)
    }

    /// The unit rows, computed now if no query has needed them yet. O(rows x columns) the first
    /// time, O(1) after.
    var matrix: Matrix {
        state.withLock { cached in
            if let cached { return cached }
            let made: Matrix
            switch source {
            case let .vectors(vectors):
                made = Self.normalized(vectors)
            case let .composed(composed):
                made = Self.normalized(composed.matrix)
            case let .prefix(parent, rows):
                let whole = parent.matrix
                made = Matrix(rows: rows, columns: whole.columns, borrowing: whole.storage, owner: whole)
            }
            cached = made
            return made
        }
    }

    /// The unit rows if a query has made them, or else a copy made for the caller alone and not
    /// kept: for writing them once (`Model.save`) without holding the memory afterwards.
    var matrixWithoutKeeping: Matrix {
        if let cached = state.withLock({ $0 }) { return cached }
        switch source {
        case let .vectors(vectors): return Self.normalized(vectors)
        case let .composed(composed): return Self.normalized(composed.matrix)
        case .prefix: return matrix
        }
    }

    /// `vectors` with each row scaled to unit length, in new memory.
    static func normalized(_ vectors: Matrix) -> Matrix {
        let made = Matrix(rows: vectors.rows, columns: vectors.columns)
        for row in 0..<vectors.rows {
            let target = made.pointer(row: row)
            target.update(from: vectors.pointer(row: row), count: vectors.columns)
            SimilarityIndex.normalize(target, count: vectors.columns)
        }
        return made
    }

    /// Forgets the unit rows (the vectors changed); the next query normalises them again.
    func reset() {
        state.withLock { $0 = nil }
        if case let .composed(composed) = source { composed.reset() }
    }
}

/// A subword model's word vectors: row `w` the mean of word `w`'s own row and its n-grams' rows
/// (`SubwordRows.composed`), as fastText's `.vec` files and queries have them. Made at the first use
/// and shared; dropped with the unit rows when training changes the rows.
final class ComposedVectors: Sendable {
    private let words: Matrix
    private let subwords: SubwordRows
    private let state = Mutex<Matrix?>(nil)

    init(words: Matrix, subwords: SubwordRows) {
        self.words = words
        self.subwords = subwords
    }

    /// O(n-grams of the vocabulary x dimension) the first time, O(1) after.
    var matrix: Matrix {
        state.withLock { cached in
            if let cached { return cached }
            let made = subwords.composed(words)
            cached = made
            return made
        }
    }

    func reset() {
        state.withLock { $0 = nil }
    }
}
