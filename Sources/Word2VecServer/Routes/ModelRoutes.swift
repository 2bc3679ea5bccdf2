import Hummingbird
import Word2Vec
import Word2VecItems
import Word2VecQueries

// The routes over whole models: documents (paragraph vectors), items, and the server's own state.

/// The paragraph-vector side of `model`, or 422 naming the model.
private func documents(of model: ServedModel) throws -> DocumentQueries {
    guard let documents = model.documents else {
        throw RequestError(status: .unprocessableContent, message: "model: '\(model.name)' holds no document vectors (train it with doc2vec train)")
    }
    return documents
}

/// `POST /v1/infer` with `{"text": "...", "seed": 1}`: the inferred document vector.
func inferRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) async throws -> Response {
    struct Body: Decodable {
        let text: String
        let seed: UInt64?
    }
    let body = try await decodeBody(Body.self, request, limits)
    let documents = try documents(of: model)
    let words = try documents.words(in: body.text)
    try checkBatch(words.count, limits, field: "text")
    return try JSONResponse.ok(try documents.answer(InferRequest(text: body.text, seed: body.seed ?? 1)))
}

/// `POST /v1/document-similar` with `{"tag": "..."}` or `{"text": "...", "seed": 1}`, and `"top"`:
/// `doc2vec similar --json`.
func documentSimilarRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) async throws -> Response {
    struct Body: Decodable {
        let tag: String?
        let text: String?
        let top: Int?
        let seed: UInt64?
    }
    let body = try await decodeBody(Body.self, request, limits)
    guard (body.tag == nil) != (body.text == nil) else { throw RequestError.badField("tag", "or text: give exactly one of them") }
    let documents = try documents(of: model)
    if let text = body.text { try checkBatch(try documents.words(in: text).count, limits, field: "text") }
    let similar = DocumentSimilarRequest(tag: body.tag, text: body.text, top: try checkTop(body.top, limits), seed: body.seed ?? 1)
    return try JSONResponse.ok(try documents.answer(similar))
}

/// `POST /v1/recommend` with `{"history": [...], "top": N, "recent": K, "half_life": H}`:
/// `items recommend --history ... --json`.
func recommendRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) async throws -> Response {
    struct Body: Decodable {
        let history: [String]
        let top: Int?
        let recent: Int?
        let halfLife: Double?

        enum CodingKeys: String, CodingKey {
            case history, top, recent
            case halfLife = "half_life"
        }
    }
    let body = try await decodeBody(Body.self, request, limits)
    try checkBatch(body.history.count, limits, field: "history")
    if let recent = body.recent, recent < 1 { throw RequestError.badField("recent", "must be at least 1 (got \(recent))") }
    // As the command line's --half-life: 0 weighs all items equally.
    let halfLife = body.halfLife ?? 1
    guard halfLife.isFinite, halfLife >= 0 else { throw RequestError.badField("half_life", "must be 0 or more (got \(halfLife))") }
    let settings = RecommendationSettings(top: try checkTop(body.top, limits), recent: body.recent, halfLife: halfLife == 0 ? nil : halfLife)
    guard body.history.contains(where: { model.vectors.index(of: $0) != nil }) else {
        throw RequestError(status: .unprocessableContent, message: "history: has no item with a vector in model '\(model.name)'")
    }
    let answers = try model.recommender.answer([RecommendRequest(history: body.history, settings: settings)], using: model.method)
    return try JSONResponse.ok(answers[0])
}

/// `GET /healthz`: the models served and their generations.
func healthRoute(_ shelf: ModelShelf) throws -> Response {
    struct Health: Encodable {
        struct Served: Encodable {
            let name: String
            let generation: Int
            let rows: Int
            let dimension: Int
            let documents: Bool
            /// How `similar` and `recommend` search this generation: "hnsw" (its index) or "exact".
            let search: String
        }

        let status: String
        let models: [Served]
    }
    return try JSONResponse.ok(Health(status: "ok", models: shelf.current.map { model in
        let search = if case .approximate = model.method { "hnsw" } else { "exact" }
        return Health.Served(
            name: model.name, generation: model.generation, rows: model.vectors.count, dimension: model.vectors.dimension,
            documents: model.documents != nil, search: search)
    }))
}
