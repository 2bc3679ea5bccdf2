import Synchronization

/// Request counts and latencies for `/metrics`, written out in Prometheus's text exposition
/// format by hand: three metric families do not earn a metrics package and its bootstrap.
final class ServerMetrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds: from a cached lookup to a slow batch.
    static let bucketBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct Key: Hashable {
        let route: String
        let status: Int
    }

    private struct Latency {
        var buckets = [Int](repeating: 0, count: ServerMetrics.bucketBounds.count)
        var count = 0
        var sum = 0.0
    }

    private struct State {
        var requests: [Key: Int] = [:]
        var latencies: [String: Latency] = [:]
    }

    private let state = Mutex(State())
    let inFlight = Atomic<Int>(0)

    /// Records one answered request. `route` must be a registered route or a fixed word
    /// ("unmatched"), never the request's path, so that the label set stays bounded.
    func record(route: String, status: Int, seconds: Double) {
        state.withLock { state in
            state.requests[Key(route: route, status: status), default: 0] += 1
            var latency = state.latencies[route, default: Latency()]
            latency.count += 1
            latency.sum += seconds
            for (bucket, bound) in Self.bucketBounds.enumerated() where seconds <= bound {
                latency.buckets[bucket] += 1
            }
            state.latencies[route] = latency
        }
    }

    /// The exposition text: requests by route and status, the latency histogram by route, the
    /// requests in flight, and per model its generation; `failedReloads` since the start.
    func exposition(generations: [(name: String, generation: Int)], failedReloads: Int) -> String {
        let snapshot = state.withLock { $0 }
        var text = """
            # HELP word2vec_requests_total Requests answered, by route and status.
            # TYPE word2vec_requests_total counter

            """
        for (key, count) in snapshot.requests.sorted(by: { ($0.key.route, $0.key.status) < ($1.key.route, $1.key.status) }) {
            text += "word2vec_requests_total{route=\"\(Self.escape(key.route))\",status=\"\(key.status)\"} \(count)\n"
        }
        text += """
            # HELP word2vec_request_duration_seconds Time to answer a request, by route.
            # TYPE word2vec_request_duration_seconds histogram

            """
        for (route, latency) in snapshot.latencies.sorted(by: { $0.key < $1.key }) {
            let label = "route=\"\(Self.escape(route))\""
            for (bucket, bound) in Self.bucketBounds.enumerated() {
                text += "word2vec_request_duration_seconds_bucket{\(label),le=\"\(bound)\"} \(latency.buckets[bucket])\n"
            }
            text += "word2vec_request_duration_seconds_bucket{\(label),le=\"+Inf\"} \(latency.count)\n"
            text += "word2vec_request_duration_seconds_sum{\(label)} \(latency.sum)\n"
            text += "word2vec_request_duration_seconds_count{\(label)} \(latency.count)\n"
        }
        text += """
            # HELP word2vec_requests_in_flight Requests being answered now.
            # TYPE word2vec_requests_in_flight gauge
            word2vec_requests_in_flight \(inFlight.load(ordering: .relaxed))
            # HELP word2vec_model_generation Loads of each model's file so far: 1 at start, one more per reload.
            # TYPE word2vec_model_generation gauge

            """
        for (name, generation) in generations {
            text += "word2vec_model_generation{model=\"\(Self.escape(name))\"} \(generation)\n"
        }
        text += """
            # HELP word2vec_model_reload_failures_total Reloads that failed and kept the current generation.
            # TYPE word2vec_model_reload_failures_total counter
            word2vec_model_reload_failures_total \(failedReloads)

            """
        return text
    }

    /// A label value as the format quotes it.
    private static func escape(_ value: String) -> String {
        value.replacingOccurrences("\\", "\\\\").replacingOccurrences("\"", "\\\"").replacingOccurrences("\n", "\\n")
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
