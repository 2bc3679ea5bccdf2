import Foundation
import Testing
import Word2Vec
import Word2VecQueries
import Word2VecServer

/// Every route's body equals the command line's `--json` output for the same query: the same
/// bytes, not only the same values.
@Suite struct RouteTests {
    static let rows = SimilarRouteTests.randomRows(count: 120, dimension: 12, seed: 11)

    /// Runs `arguments` through the binary and returns its standard output (the `--json` lines).
    static func cli(_ arguments: [String], input: String = "", status: Int32 = 0) throws -> String {
        let result = try runWord2Vec(arguments, input: input)
        #expect(result.status == status, "\(arguments): \(result.standardError)")
        return result.standardOutput
    }

    @Test func wordRoutesEqualTheCommandLinesJSON() async throws {
        let path = try vectorsFile(Self.rows)
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [path]))) { port in
            let cases: [(String, [String], Int32)] = [
                ("/v1/similar?positive=w1,w2&negative=w3&top=5", ["similar", path, "w1", "w2", "--negative", "w3", "--top", "5"], 0),
                ("/v1/analogy?a=w1&b=w2&c=w3&top=4", ["analogy", path, "w1", "w2", "w3", "--top", "4"], 0),
                ("/v1/analogy?a=w4&b=w5&c=w6&method=mul&top=3&restrict=50",
                 ["analogy", path, "w4", "w5", "w6", "--method", "mul", "--top", "3", "--restrict", "50"], 0),
                ("/v1/vector?word=w7", ["vector", path, "w7"], 0),
                ("/v1/vector?words=w8,nosuch,w9", ["vector", path, "w8", "nosuch", "w9"], 1),
                ("/v1/similarity?a=w1&b=w10", ["similarity", path, "w1", "w10"], 0),
                ("/v1/n-similarity?first=w1,w2&second=w3,w4,w5", ["n-similarity", path, "--first", "w1", "w2", "--second", "w3", "w4", "w5"], 0),
                ("/v1/doesnt-match?words=w1,w2,w3,w4", ["doesnt-match", path, "w1", "w2", "w3", "w4"], 0),
            ]
            for (target, arguments, status) in cases {
                let response = try await HTTPTestClient.get(port: port, target)
                #expect(response.status == 200, "\(target): \(response.body)")
                #expect(response.headers["content-type"] == "application/json")
                #expect(response.body == (try Self.cli(arguments + ["--json"], status: status)), "\(target)")
            }
            // One line of text, and a batch of lines as `sentence-vector --json` reads them.
            let single = try await HTTPTestClient.get(port: port, "/v1/sentence-vector?text=w1%20w2%20zz")
            #expect(single.body == (try Self.cli(["sentence-vector", path, "--json"], input: "w1 w2 zz\n")))
            let batch = try await HTTPTestClient.post(port: port, "/v1/sentence-vector", json: #"{"lines": ["w1 w2 zz", "", "w3\tw4"]}"#)
            #expect(batch.status == 200 && batch.headers["content-type"] == "application/x-ndjson")
            #expect(batch.body == (try Self.cli(["sentence-vector", path, "--json"], input: "w1 w2 zz\n\nw3\tw4\n")))
        }
    }

    @Test func outOfVocabularyVectorsOfASubwordModel() async throws {
        let directory = try temporaryDirectory()
        let text = directory + "/text.txt", model = directory + "/subwords.w2v"
        let words = ["walking", "talking", "walked", "talked", "running", "jumping", "jumped", "runner"]
        var sentences = ""
        for i in 0..<300 { sentences += (0..<8).map { words[($0 * 3 + i) % words.count] }.joined(separator: " ") + "\n" }
        try sentences.write(toFile: text, atomically: true, encoding: .utf8)
        _ = try Self.cli(["train", "--input", text, "--save-model", model, "--dim", "8", "--min-count", "1", "--maxn", "4",
                          "--minn", "3", "--bucket", "2000", "--threads", "1", "--epochs", "1", "--quiet"])
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [model]))) { port in
            let response = try await HTTPTestClient.get(port: port, "/v1/vector?words=walking,jumpers")
            #expect(response.status == 200)
            #expect(response.body.contains(#""oov":true"#) && response.body.contains("jumpers"))
            #expect(response.body == (try Self.cli(["vector", model, "walking", "jumpers", "--json"])))
            let similarity = try await HTTPTestClient.get(port: port, "/v1/similarity?a=walkers&b=talking")
            #expect(similarity.body == (try Self.cli(["similarity", model, "walkers", "talking", "--json"])))
            #expect(similarity.body.contains(#""oov":["walkers"]"#))
        }
    }

    @Test func documentRoutesEqualTheCommandLinesJSON() async throws {
        let directory = try temporaryDirectory()
        let documents = directory + "/docs.txt", model = directory + "/docs.model"
        var lines = ""
        for topic in 0..<3 {
            for document in 0..<10 {
                lines += "t\(topic)d\(document)\t" + (0..<20).map { "t\(topic)w\(($0 * 7 + document) % 12)" }.joined(separator: " ") + "\n"
            }
        }
        try lines.write(toFile: documents, atomically: true, encoding: .utf8)
        _ = try Self.cli(["doc2vec", "train", "--input", documents, "--save-model", model, "--mode", "dbow", "--dim", "12",
                          "--min-count", "1", "--sample", "0", "--epochs", "10", "--threads", "1", "--quiet"])
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [model]))) { port in
            let byTag = try await HTTPTestClient.post(port: port, "/v1/document-similar", json: #"{"tag": "t1d3", "top": 4}"#)
            #expect(byTag.status == 200, "\(byTag.body)")
            #expect(byTag.body == (try Self.cli(["doc2vec", "similar", model, "--tag", "t1d3", "--top", "4", "--json"])))
            let byText = try await HTTPTestClient.post(
                port: port, "/v1/document-similar", json: #"{"text": "t2w1 t2w2 t2w5 t2w9", "top": 3, "seed": 5}"#)
            #expect(byText.body == (try Self.cli(
                ["doc2vec", "similar", model, "--text", "t2w1 t2w2 t2w5 t2w9", "--top", "3", "--seed", "5", "--json"])))
            let inferred = try await HTTPTestClient.post(port: port, "/v1/infer", json: #"{"text": "t0w1 t0w4 unknown"}"#)
            let expected = try DocumentQueries(Model(contentsOf: model)).answer(InferRequest(text: "t0w1 t0w4 unknown"))
            #expect(inferred.status == 200 && expected.known == 2)
            #expect(inferred.body == (try QueryJSON.encode(expected)) + "\n")
            let noTag = try await HTTPTestClient.post(port: port, "/v1/document-similar", json: #"{"tag": "nosuch"}"#)
            #expect(noTag.status == 422 && noTag.body.contains("nosuch"))
            let both = try await HTTPTestClient.post(port: port, "/v1/document-similar", json: #"{"tag": "t0d0", "text": "t0w1"}"#)
            #expect(both.status == 400 && both.body.hasPrefix(#"{"error":"tag: "#))
        }
        // A model without document vectors answers document routes with 422 naming the model.
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [try vectorsFile(Self.rows)]))) { port in
            let response = try await HTTPTestClient.post(port: port, "/v1/infer", json: #"{"text": "w1"}"#)
            #expect(response.status == 422 && response.body.hasPrefix(#"{"error":"model: "#))
        }
    }

    @Test func recommendEqualsItemsRecommendJSON() async throws {
        let directory = try temporaryDirectory()
        let sequences = directory + "/seq.txt", model = directory + "/items.model"
        var lines = ""
        for user in 0..<150 {
            let community = user % 3
            lines += (0..<6).map { "c\(community)i\(($0 * 5 + user) % 8)" }.joined(separator: " ") + "\n"
        }
        try lines.write(toFile: sequences, atomically: true, encoding: .utf8)
        _ = try Self.cli(["items", "train", "--input", sequences, "--save-model", model, "--dim", "12", "--threads", "1", "--quiet"])
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [model]))) { port in
            let plain = try await HTTPTestClient.post(port: port, "/v1/recommend", json: #"{"history": ["c1i0", "c1i1", "c1i2"], "top": 4}"#)
            #expect(plain.status == 200, "\(plain.body)")
            #expect(plain.body == (try Self.cli(["items", "recommend", model, "--history", "c1i0,c1i1,c1i2", "--top", "4", "--json"])))
            let weighted = try await HTTPTestClient.post(
                port: port, "/v1/recommend", json: #"{"history": ["c2i0", "c2i3", "nosuch"], "top": 3, "recent": 2, "half_life": 0}"#)
            #expect(weighted.body == (try Self.cli(
                ["items", "recommend", model, "--history", "c2i0,c2i3,nosuch", "--top", "3", "--recent", "2", "--half-life", "0", "--json"])))
            let unknown = try await HTTPTestClient.post(port: port, "/v1/recommend", json: #"{"history": ["zz"]}"#)
            #expect(unknown.status == 422 && unknown.body.hasPrefix(#"{"error":"history: "#))
        }
    }

    /// A model with a user tower (`items train --tower`) is served by its tower, as
    /// `items recommend` answers from it.
    @Test func recommendRanksByTheTowerAsItemsRecommendDoes() async throws {
        let directory = try temporaryDirectory()
        let sequences = directory + "/seq.txt", model = directory + "/tower.model", plain = directory + "/plain.vec"
        var lines = ""
        for user in 0..<120 {
            let start = user % 10
            lines += (0..<8).map { "i\((start + $0) % 10)" }.joined(separator: " ") + "\n"
        }
        try lines.write(toFile: sequences, atomically: true, encoding: .utf8)
        _ = try Self.cli(["items", "train", "--input", sequences, "--save-model", model, "--output", plain, "--dim", "12",
                          "--threads", "1", "--epochs", "3", "--tower", "--tower-hidden", "16", "--tower-epochs", "4", "--quiet"])
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [model, plain]))) { port in
            let body = #"{"history": ["i3", "i4", "i5"], "top": 4}"#
            let tower = try await HTTPTestClient.post(port: port, "/v1/recommend", json: body)
            #expect(tower.status == 200, "\(tower.body)")
            #expect(tower.body == (try Self.cli(["items", "recommend", model, "--history", "i3,i4,i5", "--top", "4", "--json"])))
            // The same item vectors without the tower score by cosine: another answer.
            let cosine = try await HTTPTestClient.post(port: port, "/v1/recommend?model=plain", json: body)
            #expect(cosine.status == 200 && cosine.body != tower.body, "\(cosine.body)")
        }
    }

    @Test func indexSearchEqualsTheCommandsIndexSearch() async throws {
        let path = try vectorsFile(Self.rows)
        #expect(throws: Word2VecError.self) { try ModelShelf(paths: [path], options: ServingOptions(index: .hnsw)) }
        _ = try Self.cli(["index", path, "--threads", "1"])
        let shelf = try ModelShelf(paths: [path], options: ServingOptions(index: .hnsw, ef: 20))
        guard case .approximate = try #require(shelf.model(named: nil)).method else {
            Issue.record("--index hnsw did not load the index")
            return
        }
        try await withServer(QueryServer(shelf: shelf)) { port in
            let response = try await HTTPTestClient.get(port: port, "/v1/similar?positive=w3,w4&top=6")
            #expect(response.status == 200)
            #expect(response.body == (try Self.cli(["similar", path, "w3", "w4", "--top", "6", "--index", "hnsw", "--ef", "20", "--json"])))
        }
    }

    @Test func errorsAreJSONNamingTheField() async throws {
        let path = try vectorsFile(Self.rows)
        var limits = ServerLimits()
        limits.maximumBodyBytes = 1000
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [path]), limits: limits)) { port in
            let unknownRoute = try await HTTPTestClient.get(port: port, "/v1/nosuch?x=1")
            #expect(unknownRoute.status == 404 && unknownRoute.body.hasPrefix(#"{"error":"#))
            let wrongMethod = try await HTTPTestClient.request(port: port, "DELETE", "/v1/similar?positive=w1")
            #expect(wrongMethod.status == 405 && wrongMethod.headers["allow"] == "GET" && wrongMethod.body.hasPrefix(#"{"error":"method: "#))
            let getOfPost = try await HTTPTestClient.get(port: port, "/v1/recommend")
            #expect(getOfPost.status == 405 && getOfPost.headers["allow"] == "POST")
            let cases: [(String, Int, String)] = [
                ("/v1/analogy?a=w1&b=w2", 400, "c: "),
                ("/v1/analogy?a=w1&b=w2&c=w3&method=div", 400, "method: "),
                ("/v1/similar?positive=w1&top=0", 400, "top: "),
                ("/v1/similar?positive=w1&top=100000", 400, "top: "),
                ("/v1/similarity?a=w1", 400, "b: "),
                ("/v1/similarity?a=w1&b=nosuch", 422, "'nosuch'"),
                ("/v1/n-similarity?first=w1", 400, "second: "),
                ("/v1/doesnt-match?words=", 400, "words: "),
                ("/v1/vector", 400, "words: "),
                ("/v1/sentence-vector", 400, "text: "),
                ("/v1/similar?positive=w1&model=other", 404, "model: "),
            ]
            for (target, status, mention) in cases {
                let response = try await HTTPTestClient.get(port: port, target)
                #expect(response.status == status, "\(target): \(response.body)")
                #expect(response.body.hasPrefix(#"{"error":""#) && response.body.contains(mention), "\(target): \(response.body)")
            }
            let posts: [(String, String, Int, String)] = [
                ("/v1/recommend", #"{"top": 3}"#, 400, "history: "),
                ("/v1/recommend", #"{"history": "w1"}"#, 400, "history: "),
                ("/v1/recommend", #"{"history": ["w1"], "top": "many"}"#, 400, "top: "),
                ("/v1/recommend", #"{"history": ["w1"], "top": 0}"#, 400, "top: "),
                ("/v1/recommend", #"{"history": ["w1"], "recent": 0}"#, 400, "recent: "),
                ("/v1/recommend", #"{"history": ["w1"], "half_life": -2}"#, 400, "half_life: "),
                ("/v1/recommend", #"{"history": ["w1""#, 400, "body: "),
                ("/v1/sentence-vector", #"{"lines": [1, 2]}"#, 400, "lines[0]: "),
                ("/v1/sentence-vector", "[]", 400, "body: "),
                ("/v1/infer", "", 400, "body: "),
                ("/v1/recommend", #"{"history": [""# + String(repeating: "w1\", \"", count: 200) + #""]}"#, 413, "body: "),
            ]
            for (target, body, status, mention) in posts {
                let response = try await HTTPTestClient.post(port: port, target, json: body)
                #expect(response.status == status, "\(target) \(body.prefix(60)): \(response.body)")
                #expect(response.body.hasPrefix(#"{"error":""#) && response.body.contains(mention), "\(target): \(response.body)")
            }
            // The server still answers.
            #expect(try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1").status == 200)
        }
    }

    @Test func saturatedServerAnswersBusy() async throws {
        var limits = ServerLimits()
        limits.maximumConcurrentRequests = 0
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [try vectorsFile(Self.rows)]), limits: limits)) { port in
            let busy = try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1")
            #expect(busy.status == 503 && busy.headers["retry-after"] == "1" && busy.body.hasPrefix(#"{"error":"busy: "#))
            // Health and metrics are not shed.
            #expect(try await HTTPTestClient.get(port: port, "/healthz").status == 200)
            #expect(try await HTTPTestClient.get(port: port, "/metrics").status == 200)
        }
    }

    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        let path = try vectorsFile(Self.rows, name: "words.txt")
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [path]))) { port in
            for _ in 0..<3 { _ = try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1") }
            _ = try await HTTPTestClient.get(port: port, "/v1/similar?positive=nosuch")
            _ = try await HTTPTestClient.get(port: port, "/no/such/path")
            let health = try await HTTPTestClient.get(port: port, "/healthz")
            #expect(health.body == #"{"models":[{"dimension":12,"documents":false,"generation":1,"name":"words","rows":120,"search":"exact"}],"status":"ok"}"# + "\n")
            let metrics = try await HTTPTestClient.get(port: port, "/metrics")
            #expect(metrics.status == 200 && metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            let lines = Set(metrics.body.split(separator: "\n").map(String.init))
            #expect(lines.contains(#"word2vec_requests_total{route="/v1/similar",status="200"} 3"#), "\(metrics.body)")
            #expect(lines.contains(#"word2vec_requests_total{route="/v1/similar",status="422"} 1"#))
            #expect(lines.contains(#"word2vec_requests_total{route="unmatched",status="404"} 1"#))
            #expect(lines.contains(#"word2vec_request_duration_seconds_count{route="/v1/similar"} 4"#))
            #expect(lines.contains(#"word2vec_request_duration_seconds_bucket{route="/v1/similar",le="+Inf"} 4"#))
            #expect(lines.contains(#"word2vec_model_generation{model="words"} 1"#))
            #expect(lines.contains("# TYPE word2vec_request_duration_seconds histogram"))
        }
    }
}
