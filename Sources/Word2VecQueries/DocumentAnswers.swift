import Word2Vec
import Word2VecTokenization

/// The training documents nearest to one of them (by tag) or to a new text (its vector inferred
/// first), by cosine.
public struct DocumentSimilarRequest: Sendable, Equatable {
    /// Exactly one of `tag` and `text`.
    public var tag: String?
    public var text: String?
    /// How many documents, at least 1.
    public var top: Int
    /// The inference's seed (`text`): equal seeds give equal vectors.
    public var seed: UInt64

    public init(tag: String? = nil, text: String? = nil, top: Int = 10, seed: UInt64 = 1) {
        self.tag = tag
        self.text = text
        self.top = top
        self.seed = seed
    }
}

/// The answer to a `DocumentSimilarRequest`: `doc2vec similar --json`, `POST /v1/document-similar`.
public struct DocumentSimilarAnswer: Encodable, Sendable {
    public let tag: String?
    public let text: String?
    public let neighbours: [NeighbourRecord]
}

/// The vector of a new document, inferred with every weight of the model frozen.
public struct InferRequest: Sendable, Equatable {
    public var text: String
    public var seed: UInt64

    public init(text: String, seed: UInt64 = 1) {
        self.text = text
        self.seed = seed
    }
}

/// The answer to an `InferRequest`: `POST /v1/infer`.
public struct InferAnswer: Encodable, Sendable {
    public let text: String
    /// How many words of the text are in the vocabulary; only they move the vector.
    public let known: Int
    public let vector: [Float]
}

/// A paragraph-vector model ready for document queries: the model (with its output weights, which
/// inference needs) and its document vectors normalised once, not per query.
public struct DocumentQueries: Sendable {
    public let model: Model
    let documents: DocumentVectors
    let index: SimilarityIndex

    /// - Throws: `Word2VecError.invalidOption` if `model` holds no document vectors.
    /// - Complexity: O(documents x dimension), to normalise the document vectors.
    public init(_ model: Model) throws {
        guard let documents = model.documents else {
            throw Word2VecError.invalidOption("model", "holds no document vectors (train it with doc2vec train)")
        }
        self.model = model
        self.documents = documents
        index = SimilarityIndex(documents.embeddings)
    }

    /// The words of `text` as the model's training text was cut: by its recorded tokenizer,
    /// normalisation and case folding, or at whitespace and ASCII controls.
    public func words(in text: String) throws -> [String] {
        let recorded = model.configuration
        if let tokenizer = recorded.tokenizer, tokenizer != .whitespace || recorded.nfkc == true || recorded.lowercase {
            return try TextSegmenter(tokenizer: tokenizer, nfkc: recorded.nfkc, threads: 1, lowercase: recorded.lowercase)
                .words(in: text)
        }
        return text.split(whereSeparator: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true })
            .map(String.init)
    }

    /// Answers `request`.
    /// - Throws: `Word2VecError.invalidOption` naming `tag` or `text` (neither or both given, a
    ///   tag the model lacks, a text without words), `.unknownWords` for a text none of whose
    ///   words the model knows (its inferred vector would be its random start, and its ranking noise).
    /// - Complexity: O(documents x dimension), plus the inference for a text.
    public func answer(_ request: DocumentSimilarRequest) throws -> DocumentSimilarAnswer {
        let found: [Neighbour]
        switch (request.tag, request.text) {
        case let (tag?, nil):
            guard let row = documents.tags.index(of: tag) else {
                throw Word2VecError.invalidOption("tag", "'\(tag)' is not a tag of the model")
            }
            found = try index.mostSimilar(to: documents.vectors.row(row), top: request.top, excluding: [row])
        case let (nil, text?):
            let words = try words(in: text)
            guard !words.isEmpty else { throw Word2VecError.invalidOption("text", "has no words") }
            guard words.contains(where: { model.vocabulary.index(of: $0) != nil }) else { throw Word2VecError.unknownWords(words) }
            var options = InferenceOptions()
            options.seed = request.seed
            found = try index.mostSimilar(to: try model.inferVector(words: words, options: options), top: request.top)
        default:
            throw Word2VecError.invalidOption("tag", "or text: give exactly one of them")
        }
        return DocumentSimilarAnswer(tag: request.tag, text: request.text, neighbours: found.map(NeighbourRecord.init))
    }

    /// Answers `request`; a text without known words gets the zero vector (`known` 0).
    /// - Complexity: O(epochs x words x cost of one prediction).
    public func answer(_ request: InferRequest) throws -> InferAnswer {
        let words = try words(in: request.text)
        var options = InferenceOptions()
        options.seed = request.seed
        return InferAnswer(
            text: request.text, known: words.filter { model.vocabulary.index(of: $0) != nil }.count,
            vector: try model.inferVector(words: words, options: options))
    }
}
