/// The document vectors of a paragraph-vector model, one per tag.
public struct DocumentVectors: Sendable {
    public let tags: DocumentTags
    /// `tags.count x dimension`: row `i` is the vector of `tags[i]`.
    public let vectors: Matrix
    /// `vectors` followed, for `DocumentMode.dmConcat`, by one more row: the padding vector that
    /// stands for positions beyond a text's ends. Trained and stored with the model.
    let weights: Matrix

    init(tags: DocumentTags, weights: Matrix) {
        self.tags = tags
        self.weights = weights
        vectors = weights.rows == tags.count ? weights
            : Matrix(rows: tags.count, columns: weights.columns, borrowing: weights.storage, owner: weights)
    }

    /// Whether the weights hold a padding row after the document vectors.
    var hasPadding: Bool { weights.rows > tags.count }

    /// The padding row (`DocumentMode.dmConcat` only).
    var padding: UnsafeMutablePointer<Float> {
        precondition(hasPadding)
        return weights.pointer(row: tags.count)
    }

    public var count: Int { tags.count }

    /// A copy of the vector of `tag`, or `nil` if unknown.
    public func vector(for tag: String) -> [Float]? {
        tags.index(of: tag).map { vectors.row($0) }
    }

    /// The vectors keyed by tag, sharing storage (no copy): for writing them as a word2vec file or
    /// for similarity queries between documents.
    public var embeddings: Embeddings {
        let all = tags.all
        // Tags are distinct, so this cannot fail; decreasing counts keep the tag order.
        let lookup = try! Vocabulary(sortedWords: all, counts: Array((1...max(all.count, 1)).reversed().prefix(all.count))) { _ in
            .emptyCorpus("")
        }
        return Embeddings(words: all, vectors: vectors, vocabulary: lookup)
    }
}
