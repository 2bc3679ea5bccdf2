import Word2Vec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A leave-last-out split of per-user sequences: each user's last item is held out and the items
/// before it are what a recommender may learn from and is given as the history.
public struct LeaveLastOut: Sendable, Equatable {
    /// The sequences without their last item, for users with at least two items.
    public var training: [[String]]
    /// `heldOut[i]` is the last item of the user of `training[i]`.
    public var heldOut: [String]
    /// `users[i]` is the position of that user in the sequences given to `init`.
    public var users: [Int]
    /// Sequences of one item, left out: they leave nothing to recommend from.
    public var singleItemUsers: Int
    /// Distinct items of all the given sequences, held-out items included: the catalogue that
    /// coverage is measured against.
    public var catalogueSize: Int

    /// Splits `sequences` (each in time order). O(total length).
    public init(_ sequences: [[String]]) {
        training = []
        heldOut = []
        users = []
        singleItemUsers = 0
        var catalogue = Set<String>()
        for (user, sequence) in sequences.enumerated() {
            catalogue.formUnion(sequence)
            guard sequence.count >= 2 else {
                if sequence.count == 1 { singleItemUsers += 1 }
                continue
            }
            training.append(Array(sequence.dropLast()))
            heldOut.append(sequence[sequence.count - 1])
            users.append(user)
        }
        catalogueSize = catalogue.count
    }
}

/// Ranking quality of top-k recommendation lists against one held-out item per user.
public struct RankingMetrics: Sendable, Equatable {
    /// The cut-off: only the first `k` items of each list count.
    public var k: Int
    /// Users evaluated.
    public var users: Int
    /// Share of users whose held-out item is among their first `k` (HitRate@k, equal to Recall@k
    /// with one relevant item).
    public var hitRate: Double
    /// Mean over users of 1/rank of the held-out item, 0 when it is not in the first `k`.
    public var meanReciprocalRank: Double
    /// Mean over users of 1/log2(rank + 1), 0 beyond `k`: NDCG@k with one relevant item, whose
    /// ideal DCG is 1.
    public var ndcg: Double
    /// Share of the catalogue recommended (in the first `k`) to at least one user.
    public var coverage: Double

    /// Scores `recommendations[i]` (best first; may be shorter than `k` or empty) against
    /// `heldOut[i]`.
    ///
    /// - Precondition: as many lists as held-out items; `k >= 1`; `catalogueSize >= 0`.
    /// - Complexity: O(users * k).
    public init(recommendations: [[String]], heldOut: [String], catalogueSize: Int, k: Int) {
        precondition(recommendations.count == heldOut.count && k >= 1 && catalogueSize >= 0)
        self.k = k
        users = heldOut.count
        var hits = 0, reciprocal = 0.0, gain = 0.0
        var shown = Set<String>()
        for (list, target) in zip(recommendations, heldOut) {
            let top = list.prefix(k)
            shown.formUnion(top)
            if let position = top.firstIndex(of: target) {
                let rank = position - top.startIndex + 1
                hits += 1
                reciprocal += 1 / Double(rank)
                gain += 1 / log2(Double(rank + 1))
            }
        }
        let n = Double(max(users, 1))
        hitRate = Double(hits) / n
        meanReciprocalRank = reciprocal / n
        ndcg = gain / n
        coverage = catalogueSize == 0 ? 0 : Double(shown.count) / Double(catalogueSize)
    }
}

/// The baseline every recommender must beat: the items most often seen in training, most frequent
/// first (ties by id, bytewise), minus what each user already has.
public struct MostPopular: Sendable {
    /// Distinct training items, most frequent first.
    public let ranking: [String]

    /// Counts `training`. O(total length + items log items).
    public init(training: [[String]]) {
        var counts: [String: Int] = [:]
        for sequence in training {
            for item in sequence { counts[item, default: 0] += 1 }
        }
        ranking = counts.sorted { a, b in
            a.value != b.value ? a.value > b.value : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }.map(\.key)
    }

    /// The first `top` ranked items not in `history`. O(history + top + skipped items).
    public func recommend(_ history: [String], top: Int) -> [String] {
        let owned = Set(history)
        var chosen: [String] = []
        // `top` is the caller's number; the ranking bounds what can be chosen.
        chosen.reserveCapacity(max(0, min(top, ranking.count)))
        for item in ranking where !owned.contains(item) {
            if chosen.count == top { break }
            chosen.append(item)
        }
        return chosen
    }
}
