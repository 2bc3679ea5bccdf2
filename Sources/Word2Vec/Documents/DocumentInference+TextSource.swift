extension Model {
    /// The vectors of the documents of `source`'s text, one per line, read as
    /// `inferVectors(fileAt:options:)` reads a file (which calls this): for example a text cut
    /// into words by a tokenizer, for a model trained on text cut the same way.
    /// - Throws: also `Word2VecError.unreadableFile`.
    public func inferVectors(of source: TextSource, options: InferenceOptions = InferenceOptions()) throws -> Matrix {
        var documents: [[Int32]] = []
        var current: [Int32] = []
        try DocumentFileCorpus.forEachLine(of: TokenReader(input: try source.open())) { _ in
        } word: { bytes in
            if let index = vocabulary.index(ofBytes: bytes) { current.append(Int32(index)) }
        } end: { exists, _ in
            if exists { documents.append(current) }
            current = []
        }
        return try inferVectors(indices: documents, options: options)
    }
}
