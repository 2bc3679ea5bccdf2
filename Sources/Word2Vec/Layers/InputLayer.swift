/// The input side of a word model, owned in one place: the word rows that form the hidden vector
/// and, for CBOW with concatenation, the row that stands for context positions beyond a sentence's
/// ends. Document vectors, the paragraph-vector models' second input, are `DocumentVectors`.
///
/// Like `OutputLayer` it knows how its rows start, how `update` carries them to a grown vocabulary
/// and which matrices it adds to `Model.trainedMatrices`; a new input (subword rows, for example)
/// joins here.
public struct InputLayer: Sendable {
    /// `vocabulary.count x dimension`: row `i` is the vector of word `i`.
    public let words: Matrix
    /// One row (`TrainingConfiguration.usesConcatenatedWords` only).
    package let padding: Matrix?

    init(words: Matrix, padding: Matrix?) {
        self.words = words
        self.padding = padding
    }

    /// Fresh rows for `vocabularySize` words: uniform in [-1/dim, 1/dim) from `configuration.seed`,
    /// and the padding row, if the configuration has one, from a stream of its own.
    init(vocabularySize: Int, configuration: TrainingConfiguration) {
        let dimension = configuration.dimension
        words = Matrix(rows: vocabularySize, columns: dimension)
        Trainer.initialize(words, rows: 0..<vocabularySize, seed: configuration.seed)
        if configuration.usesConcatenatedWords {
            let padding = Matrix(rows: 1, columns: dimension)
            Trainer.initialize(padding, rows: 0..<1, seed: configuration.seed ^ 0x9AD_D146)
            self.padding = padding
        } else {
            padding = nil
        }
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
        return InputLayer(words: next, padding: padding.map { old in
            let copy = Matrix(rows: 1, columns: dimension)
            copy.pointer(row: 0).update(from: old.storage, count: dimension)
            return copy
        })
    }

    /// The layer's matrices as `Model.trainedMatrices` lists them.
    var matrices: [WeightMatrix] {
        [WeightMatrix(tag: .input, matrix: words, rows: .wordInput)]
            + (padding.map { [WeightMatrix(tag: .padding, matrix: $0, rows: .shared)] } ?? [])
    }
}
