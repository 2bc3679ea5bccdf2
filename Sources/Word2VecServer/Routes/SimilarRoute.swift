import Hummingbird
import Word2Vec
import Word2VecQueries

/// `GET /v1/similar?positive=a,b&negative=c&top=N&restrict=R&model=M`: `similar --json`'s answer.
func similarRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) throws -> SimilarAnswer {
    let fields = QueryParameters(request)
    let similar = SimilarRequest(
        positive: fields.list("positive"), negative: fields.list("negative"),
        top: try fields.integer("top", default: 10, in: 1...limits.maximumTop)!,
        restrict: try fields.integer("restrict", default: nil, in: 1...Int.max))
    if similar.positive.isEmpty && similar.negative.isEmpty {
        throw RequestError.badField("positive", "give at least one word (positive=a,b)")
    }
    return try model.vectors.answer(similar)
}
