/// The input side of a word model, owned in one place: the word rows that form the hidden vector,
/// with subwords the character n-grams' bucket rows (`SubwordRows`), and for CBOW with
/// concatenation the row that stands for context positions beyond a sentence's ends. Document
/// vectors, the paragraph-vector models' second input, are `DocumentVectors`.
///
/// Like `OutputLayer` it knows how its rows start, how `update` carries them to a grown vocabulary
/// and which matrices it adds to `Model.trainedMatrices`; architectures reach its rows through
/// `InputRows` (`rows`), so a new kind of input joins here without touching them.
public struct InputLayer: Sendable {
    /// `vocabulary.count x dimension`: row `i` is word `i`'s own row. Without subwords it is the
    /// word's vector; with them the vector is the mean of this row and the n-grams' rows
    /// (`Model.wordVectors`).
    public let words: Matrix
    /// One row (`TrainingConfiguration.usesConcatenatedWords` only).
    package let padding: Matrix?
    /// The character n-grams' rows (`TrainingConfiguration.subwords` only).
    public let subwords: SubwordRows?

    init(words: Matrix, padding: Matrix?, subwords: SubwordRows? = nil) {
        self.words = words
        self.padding = padding
        self.subwords = subwords
    }

    /// Fresh rows for `vocabulary`: uniform in [-1/dim, 1/dim) from `configuration.seed`, and the
    /// padding row and the bucket rows, if the configuration has them, from streams of their own.
    init(vocabulary: [String], configuration: TrainingConfiguration) {
        let dimension = configuration.dimension
        words = Matrix(rows: vocabulary.count, columns: dimension)
        Trainer.initialize(words, rows: 0..<vocabulary.count, seed: configuration.seed)
        if configuration.usesConcatenatedWords {
            let padding = Matrix(rows: 1, columns: dimension)
            Trainer.initialize(padding, rows: 0..<1, seed: configuration.seed ^ 0x9AD_D146)
            self.padding = padding
        } else {
            padding = nil
        }
        subwords = configuration.subwords.map { nGrams in
            SubwordRows(
                nGrams: nGrams,
                buckets: SubwordRows.initialBuckets(
                    nGrams, dimension: dimension, seed: configuration.seed, threads: configuration.threads),
                words: vocabulary)
        }
    }

    /// The architectures' view of the rows (`SentenceTraining` picks the concrete type once).
    var rows: (words: WordRows, subwords: SubwordInput?) {
        (WordRows(words), subwords.map { SubwordInput(words: words, subwords: $0) })
    }

    /// The layer for a grown vocabulary (`Trainer.update`): words that `oldIndex` finds keep their
    /// rows, the others start as a fresh run's rows do but from `seed`'s stream (so that an update
    /// never repeats the vectors the first run gave its first words); the padding row is kept.
    func carried(to vocabulary: [String], oldIndex: (String) -> Int?, seed: UInt64) -> InputLayer {
        let dimension = words.columns
        let next = Matrix(rows: vocabulary.count, columns: dimension)
        var fresh: [Int] = []
        for (row, word) in vocabulary.enumerated() {
            guard let old = oldIndex(word) else {
                fresh.append(row)
                continue
            }
            next.pointer(row: row).update(from: words.pointer(row: old), count: dimension)
        }
        Trainer.initialize(next, rows: fresh, seed: seed)
        return InputLayer(
            words: next,
            padding: padding.map { Self.copy($0) },
            // New words hash into the buckets old words trained.
            subwords: subwords.map { SubwordRows(nGrams: $0.nGrams, buckets: Self.copy($0.buckets), words: vocabulary) })
    }

    private static func copy(_ matrix: Matrix) -> Matrix {
        let copy = Matrix(rows: matrix.rows, columns: matrix.columns)
        copy.storage.update(from: matrix.storage, count: matrix.rows * matrix.columns)
        return copy
    }

    /// The layer's matrices as `Model.trainedMatrices` lists them.
    var matrices: [WeightMatrix] {
        [WeightMatrix(tag: .input, matrix: words, rows: .wordInput)]
            + (padding.map { [WeightMatrix(tag: .padding, matrix: $0, rows: .shared)] } ?? [])
            + (subwords.map { [WeightMatrix(tag: .subwordBuckets, matrix: $0.buckets, rows: .shared)] } ?? [])
    }
}
