/// The output weights of one loss, owned by it (fastText's `Loss` owns its output matrix the same way).
///
/// A model trains one loss or, as the original tool's `-hs 1 -negative N`, hierarchical softmax and
/// negative sampling together; `TrainingConfiguration.Loss.outputKinds` says which. Everything that walks a
/// model's output side (allocation, `update`, the model file, data-parallel rounds) asks the layer
/// rather than listing the losses again.
public struct OutputLayer: Sendable {
    /// The loss whose weights a layer holds.
    public enum Kind: Sendable, CaseIterable {
        /// One row per inner node of the Huffman tree over the vocabulary.
        case hierarchicalSoftmax
        /// One row per word: the target's and the noise words'.
        case negativeSampling
        /// One row per word, every one updated at every prediction.
        case softmax
    }

    public let kind: Kind
    /// `rowCount(of: kind, vocabularySize:) x` the hidden layer's width.
    public let weights: Matrix

    init(_ kind: Kind, weights: Matrix) {
        self.kind = kind
        self.weights = weights
    }

    /// Zero weights (the original tool's start: the first steps then move only the output side) for
    /// a vocabulary of `vocabularySize` words and hidden vectors of `width` floats.
    init(zeros kind: Kind, vocabularySize: Int, width: Int) {
        self.init(kind, weights: Matrix(rows: Self.rowCount(of: kind, vocabularySize: vocabularySize), columns: width))
    }

    /// Rows of `kind`'s weights over `vocabularySize` words: the Huffman tree's inner nodes
    /// (`max(V - 1, 1)`, `HuffmanTree.innerNodeCount`), or one per word.
    static func rowCount(of kind: Kind, vocabularySize: Int) -> Int {
        kind == .hierarchicalSoftmax ? max(vocabularySize - 1, 1) : vocabularySize
    }

    /// Whether row `i` belongs to word `i`, so that an update can carry it to the word's new row. The
    /// tree's inner nodes group other words once counts change: they have no counterpart.
    var rowsAreWords: Bool { kind != .hierarchicalSoftmax }

    /// The layer for a grown vocabulary (`Trainer.update`): rows of words that `oldIndex` finds are
    /// copied from this layer, the others (and every row of a rebuilt tree) start at zero.
    func carried(to words: [String], width: Int, oldIndex: (String) -> Int?) -> OutputLayer {
        let next = OutputLayer(zeros: kind, vocabularySize: words.count, width: width)
        guard rowsAreWords else { return next }
        for (row, word) in words.enumerated() {
            guard let old = oldIndex(word) else { continue }
            next.weights.pointer(row: row).update(from: weights.pointer(row: old), count: width)
        }
        return next
    }

    /// How data-parallel rounds combine the rows (`WeightSynchronizer`).
    var rowUse: WeightMatrix.RowUse {
        switch kind {
        case .negativeSampling: .wordOutput
        // Nodes near the tree's root serve many words; the full softmax moves every row each step.
        case .hierarchicalSoftmax, .softmax: .shared
        }
    }

    /// The model-file section that stores the weights.
    var tag: ModelFile.Tag { Self.tag(of: kind) }

    /// The model-file section that stores `kind`'s weights.
    static func tag(of kind: Kind) -> ModelFile.Tag {
        switch kind {
        case .hierarchicalSoftmax: .hierarchicalOutput
        case .negativeSampling: .negativeOutput
        case .softmax: .softmaxOutput
        }
    }
}

/// One trained matrix of a model with what the code that walks all of them needs to know: its
/// model-file section and how its rows are used. `Model.trainedMatrices` is the one list of them.
struct WeightMatrix {
    /// How often and by whom a row is changed during training, which decides how data-parallel
    /// rounds combine it (`WeightSynchronizer`).
    enum RowUse {
        /// Row `i` is word `i`'s input vector: changed when the word is in a context.
        case wordInput
        /// Row `i` is word `i`'s output vector: changed when the word is a target or a noise draw.
        case wordOutput
        /// Rows that many words change (tree nodes, padding, document vectors, the full softmax).
        case shared
    }

    let tag: ModelFile.Tag
    let matrix: Matrix
    let rows: RowUse
}
