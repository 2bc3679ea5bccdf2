import Word2Vec

extension SimilarityIndex {
    /// Loads vectors for queries from any file the tool reads: a model file (memory-mapped, its
    /// stored unit rows used in place), a fastText `.bin` (without its output matrix), or word2vec
    /// text or binary vectors (`format` `nil` detects the layout).
    /// - Parameter limit: read only the first `limit` rows.
    /// - Throws: the readers' errors, which name the file.
    public static func load(path: String, format: VectorFileFormat? = nil, limit: Int? = nil) throws -> SimilarityIndex {
        if format == nil, Model.isModelFile(atPath: path) {
            return try Model(contentsOf: path, for: .queries).similarityIndex(limit: limit)
        }
        if format == nil, Model.isFastTextModel(atPath: path) {
            return try Model(fastTextModelAt: path, for: .queries).similarityIndex(limit: limit)
        }
        return SimilarityIndex(try Embeddings.load(path: path, format: format, limit: limit))
    }
}
