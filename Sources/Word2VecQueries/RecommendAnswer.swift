import Word2Vec
import Word2VecItems

/// Items for one user history: the items nearest to the user vector (the recency-weighted mean of
/// the history's unit vectors), never an item of the history.
public struct RecommendRequest: Sendable, Equatable {
    /// Oldest first.
    public var history: [String]
    /// `top`, `recent` and `halfLife`.
    public var settings: RecommendationSettings
    /// The user the history belongs to, repeated in the answer (`nil`: left out).
    public var user: String?

    public init(history: [String], settings: RecommendationSettings = RecommendationSettings(), user: String? = nil) {
        self.history = history
        self.settings = settings
        self.user = user
    }
}

/// The answer to a `RecommendRequest`: a line of `items recommend --json`, `POST /v1/recommend`.
public struct RecommendAnswer: Encodable, Sendable {
    /// Best first; empty when no item of the history has a vector.
    public let neighbours: [NeighbourRecord]
    public let user: String?

    public init(user: String?, _ found: [Neighbour]) {
        self.user = user
        neighbours = found.map(NeighbourRecord.init)
    }
}

extension ItemRecommender {
    /// Answers `requests` in one batch (in parallel, `recommend(_:settings:using:)`), in order.
    /// Requests with different settings are answered in groups of equal settings.
    /// - Throws: `Word2VecError.invalidOption` for settings out of range or an index built for other vectors.
    public func answer(_ requests: [RecommendRequest], using method: SearchMethod = .exact) throws -> [RecommendAnswer] {
        var answers = [RecommendAnswer?](repeating: nil, count: requests.count)
        var groups: [(RecommendationSettings, [Int])] = []
        for (position, request) in requests.enumerated() {
            if let group = groups.firstIndex(where: { $0.0 == request.settings }) {
                groups[group].1.append(position)
            } else {
                groups.append((request.settings, [position]))
            }
        }
        for (settings, positions) in groups {
            let found = try recommend(positions.map { requests[$0].history }, settings: settings, using: method)
            for (position, neighbours) in zip(positions, found) {
                answers[position] = RecommendAnswer(user: requests[position].user, neighbours)
            }
        }
        return answers.map { $0! }
    }
}
