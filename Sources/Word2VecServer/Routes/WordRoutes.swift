import Hummingbird
import Word2Vec
import Word2VecQueries

// The query commands over words, one function per route: `GET` fields as the command's arguments,
// the answer `--json`'s object.

/// `GET /v1/similar?positive=a,b&negative=c&top=N&restrict=R`: `similar --json`.
func similarRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) async throws -> Response {
    let fields = QueryParameters(request, limits)
    let similar = SimilarRequest(
        positive: try fields.list("positive"), negative: try fields.list("negative"), top: try fields.top(),
        restrict: try fields.integer("restrict", default: nil, in: 1...Int.max))
    if similar.positive.isEmpty && similar.negative.isEmpty {
        throw RequestError.badField("positive", "give at least one word (positive=a,b)")
    }
    return try JSONResponse.ok(try model.vectors.answer(similar, using: model.method))
}

/// `GET /v1/analogy?a=man&b=king&c=woman&method=add|mul&top=N&restrict=R`: `analogy A B C --json`.
func analogyRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) async throws -> Response {
    let fields = QueryParameters(request, limits)
    let methodName = fields.string("method") ?? AnalogyMethod.add.rawValue
    guard let method = AnalogyMethod(rawValue: methodName) else {
        throw RequestError.badField("method", "must be add or mul (got '\(methodName)')")
    }
    let analogy = AnalogyRequest(
        a: try fields.requiredString("a"), b: try fields.requiredString("b"), c: try fields.requiredString("c"),
        method: method, top: try fields.top(), restrict: try fields.integer("restrict", default: nil, in: 1...Int.max))
    return try JSONResponse.ok(try model.vectors.answer(analogy))
}

/// `GET /v1/vector?word=w` or `?words=a,b`: `vector --json` (raw rows; a subword model's vector
/// for a word outside its vocabulary, `"oov": true`; other unknown words in `unknown`).
func vectorRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) async throws -> Response {
    let fields = QueryParameters(request, limits)
    let words = try fields.string("word").map { [$0] } ?? fields.requiredList("words", example: "a,b")
    return try JSONResponse.ok(try model.vectors.embeddings.answer(VectorRequest(words: words)))
}

/// `GET /v1/similarity?a=w1&b=w2`: `similarity --json`.
func similarityRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) async throws -> Response {
    let fields = QueryParameters(request, limits)
    let similarity = SimilarityRequest(a: try fields.requiredString("a"), b: try fields.requiredString("b"))
    return try JSONResponse.ok(try model.vectors.answer(similarity))
}

/// `GET /v1/n-similarity?first=a,b&second=c,d`: `n-similarity --json`.
func nSimilarityRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) async throws -> Response {
    let fields = QueryParameters(request, limits)
    let similarity = NSimilarityRequest(
        first: try fields.requiredList("first", example: "a,b"), second: try fields.requiredList("second", example: "c,d"))
    return try JSONResponse.ok(try model.vectors.answer(similarity))
}

/// `GET /v1/doesnt-match?words=a,b,c`: `doesnt-match --json`.
func doesntMatchRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) async throws -> Response {
    let words = try QueryParameters(request, limits).requiredList("words", example: "a,b,c")
    return try JSONResponse.ok(try model.vectors.answer(DoesntMatchRequest(words: words)))
}

/// `GET /v1/sentence-vector?text=...`: the line of `sentence-vector --json` for that one line.
func sentenceVectorRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) async throws -> Response {
    let text = try QueryParameters(request, limits).requiredString("text")
    return try JSONResponse.ok(try model.vectors.answer(SentenceVectorRequest(line: 1, text: text)))
}

/// `POST /v1/sentence-vector` with `{"lines": ["...", ...]}`: JSON lines, the bytes of
/// `sentence-vector --json` over the same lines.
func sentenceVectorsRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) async throws -> Response {
    struct Body: Decodable { let lines: [String] }
    let body = try await decodeBody(Body.self, request, limits)
    try checkBatch(body.lines.count, limits, field: "lines")
    let answers = try body.lines.enumerated().map { try model.vectors.answer(SentenceVectorRequest(line: $0 + 1, text: $1)) }
    return try JSONResponse.lines(answers)
}
