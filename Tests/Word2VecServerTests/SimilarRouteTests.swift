import Foundation
import Testing
import Word2Vec
import Word2VecQueries
import Word2VecServer

@Suite struct SimilarRouteTests {
    /// Random vectors: neighbours are whatever they are, and the test compares the route with the
    /// library's answer rather than with expected words.
    static func randomRows(count: Int, dimension: Int, seed: UInt64) -> [(String, [Float])] {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
        return (0..<count).map { ("w\($0)", (0..<dimension).map { _ in next() }) }
    }

    @Test func similarEqualsTheLibrarysAnswerByteForByte() async throws {
        let path = try vectorsFile(Self.randomRows(count: 200, dimension: 16, seed: 7))
        let shelf = try ModelShelf(paths: [path])
        let expected = try QueryJSON.encode(
            try shelf.model(named: nil)!.vectors.answer(SimilarRequest(positive: ["w1", "w2"], negative: ["w3"], top: 5)))
        try await withServer(QueryServer(shelf: shelf)) { port in
            let response = try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1,w2&negative=w3&top=5")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json")
            #expect(response.body == expected + "\n")
        }
    }

    @Test func badRequestsGetFourHundredsNamingTheField() async throws {
        let path = try vectorsFile(Self.randomRows(count: 50, dimension: 8, seed: 3))
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [path]))) { port in
            let unknown = try await HTTPTestClient.get(port: port, "/v1/similar?positive=nosuchword")
            #expect(unknown.status == 422)
            #expect(unknown.body.contains("nosuchword"))
            let top = try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1&top=abc")
            #expect(top.status == 400)
            #expect(top.body.hasPrefix(#"{"error":"top: "#))
            let empty = try await HTTPTestClient.get(port: port, "/v1/similar")
            #expect(empty.status == 400)
            let model = try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1&model=other")
            #expect(model.status == 404)
        }
    }
}
