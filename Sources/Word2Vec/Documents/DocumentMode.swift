/// How paragraph vectors are trained (Le & Mikolov 2014, "Distributed Representations of Sentences
/// and Documents").
///
/// Every document (a line, or every line carrying the same tag) has a vector trained to predict the
/// document's words through the same output layer and objectives as the word vectors.
public enum DocumentMode: String, Sendable, CaseIterable {
    /// Distributed bag of words: the document vector alone predicts each of its words.
    case dbow
    /// Distributed memory: the mean of the document vector and the context words' vectors predicts
    /// the centre word (CBOW with the document as one more context member).
    case dmMean = "dm-mean"
    /// Distributed memory with the sum instead of the mean.
    case dmSum = "dm-sum"
    /// Distributed memory with the document vector and the `2 * window` context vectors
    /// concatenated in position order (a learned padding vector stands for positions beyond the
    /// text's ends), so that word order matters. The output layer is `1 + 2 * window` times wider.
    case dmConcat = "dm-concat"
}
