/// A trained (or training) word2vec model: the vocabulary and all weight matrices.
///
/// `input` holds the word vectors proper; the output matrices belong to the objectives and are kept
/// so that training can continue from the model.
public final class Model: @unchecked Sendable {
    public let vocabulary: Vocabulary
    public let configuration: TrainingConfiguration
    /// `vocabulary.count x dimension`: row `i` is the vector of `vocabulary.words[i]`.
    public let input: Matrix
    /// Hierarchical-softmax output weights, one row per inner node of the Huffman tree.
    public let hierarchicalOutput: Matrix?
    /// Negative-sampling output weights, one row per word.
    public let negativeOutput: Matrix?

    init(vocabulary: Vocabulary, configuration: TrainingConfiguration, input: Matrix,
         hierarchicalOutput: Matrix?, negativeOutput: Matrix?) {
        self.vocabulary = vocabulary
        self.configuration = configuration
        self.input = input
        self.hierarchicalOutput = hierarchicalOutput
        self.negativeOutput = negativeOutput
    }

    public var dimension: Int { input.columns }

    /// The word vectors, sharing storage with `input` (no copy).
    public var embeddings: Embeddings {
        Embeddings(words: vocabulary.words, vectors: input, vocabulary: vocabulary)
    }
}
