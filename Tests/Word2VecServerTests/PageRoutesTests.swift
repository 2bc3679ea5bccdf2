import Foundation
import Testing
import Word2Vec
import Word2VecQueries
import Word2VecServer

@Suite struct PageRoutesTests {
    struct Completion: Decodable {
        let prefix: String
        let words: [String]
    }

    struct Map: Decodable {
        struct Label: Decodable {
            let x, y, width, height: Double
            let anchor: String
            let leader: Bool
        }
        struct Point: Decodable {
            let word: String
            let score: Float?
            let x, y: Double
            let label: Label
        }
        let word: String
        let method: String
        let width, height, fontSize: Double
        let points: [Point]
    }

    struct Similar: Decodable {
        struct Neighbour: Decodable {
            let word: String
            let score: Float
        }
        let neighbours: [Neighbour]
    }

    /// A vocabulary in which many words share prefixes, with non-ASCII words and rows out of
    /// alphabetical order, so that "most frequent first" and "sorted by bytes" disagree.
    static let words: [String] = {
        let stems = ["app", "apple", "ap", "b", "ban", "banana", "café", "cafe", "caf", "日本", "日本語", "z"]
        var words: [String] = []
        for i in 0..<240 { words.append(stems[(i * 7) % stems.count] + String(i * 37 % 1000, radix: 36)) }
        return words + ["apple", "日本", "café"]
    }()

    static func decode<T: Decodable>(_ type: T.Type, _ body: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(body.utf8))
    }

    @Test func completionListsTheMostFrequentWordsWithThePrefix() async throws {
        let rows = SimilarRouteTests.randomRows(count: Self.words.count, dimension: 8, seed: 11)
        let path = try vectorsFile(zip(Self.words, rows).map { ($0, $1.1) })
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [path]))) { port in
            for prefix in ["app", "apple", "a", "ban", "café", "caf", "日", "日本語", "z", "nothing", "appl"] {
                for top in [1, 3, 50] {
                    let query = prefix.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                    let response = try await HTTPTestClient.get(port: port, "/v1/complete?prefix=\(query)&top=\(top)")
                    #expect(response.status == 200)
                    let answer = try Self.decode(Completion.self, response.body)
                    let expected = Array(Self.words.filter { $0.utf8.starts(with: prefix.utf8) }.prefix(top))
                    #expect(answer.prefix == prefix)
                    #expect(answer.words == expected, "prefix \(prefix) top \(top)")
                }
            }
            let empty = try Self.decode(Completion.self, try await HTTPTestClient.get(port: port, "/v1/complete?top=4").body)
            #expect(empty.words == Array(Self.words.prefix(4)))
            let badTop = try await HTTPTestClient.get(port: port, "/v1/complete?prefix=a&top=0")
            #expect(badTop.status == 400)
            #expect(badTop.body.hasPrefix(#"{"error":"top: "#))
        }
    }

    @Test func mapPlacesTheWordAndItsNeighboursAsThePCAOfTheirUnitVectors() async throws {
        // Vectors in a plane of an 8-dimensional space: their unit vectors lie on a circle in that
        // plane, which two principal components hold exactly, so the picture's distances must be
        // the unit vectors' distances times one scale.
        var rows: [(String, [Float])] = []
        for i in 0..<40 {
            let angle = Float(i) * 0.07 + (i % 3 == 0 ? 0.5 : 0)
            let length = 1 + Float(i % 5)
            var vector = [Float](repeating: 0, count: 8)
            vector[2] = length * cos(angle)
            vector[5] = length * sin(angle)
            rows.append(("w\(i)", vector))
        }
        let path = try vectorsFile(rows)
        let shelf = try ModelShelf(paths: [path])
        try await withServer(QueryServer(shelf: shelf)) { port in
            let response = try await HTTPTestClient.get(port: port, "/v1/map?word=w7&top=9")
            #expect(response.status == 200)
            let map = try Self.decode(Map.self, response.body)
            let similar = try Self.decode(Similar.self, try await HTTPTestClient.get(port: port, "/v1/similar?positive=w7&top=9").body)
            #expect(map.word == "w7" && map.method == "pca")
            #expect(map.points.map(\.word) == ["w7"] + similar.neighbours.map(\.word))
            #expect(map.points.first?.score == nil)
            #expect(map.points.dropFirst().map(\.score) == similar.neighbours.map(\.score))
            for point in map.points {
                #expect(point.x >= 0 && point.x <= map.width && point.y >= 0 && point.y <= map.height)
                #expect(["start", "middle", "end"].contains(point.label.anchor))
                #expect(point.label.width > 0)
            }
            func unit(_ word: String) -> [Float] {
                let v = rows.first { $0.0 == word }!.1
                let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return v.map { $0 / n }
            }
            var ratios: [Double] = []
            for i in map.points.indices {
                for j in map.points.indices where j > i {
                    let a = unit(map.points[i].word), b = unit(map.points[j].word)
                    let original = Double(zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot())
                    let drawn = ((map.points[i].x - map.points[j].x) * (map.points[i].x - map.points[j].x)
                        + (map.points[i].y - map.points[j].y) * (map.points[i].y - map.points[j].y)).squareRoot()
                    if original > 0.05 { ratios.append(drawn / original) }
                }
            }
            #expect(ratios.count > 10)
            // Coordinates are rounded to hundredths of a unit, on a canvas hundreds of units wide.
            #expect(ratios.max()! / ratios.min()! < 1.02, "scale varies: \(ratios.min()!)...\(ratios.max()!)")

            let tsne = try await HTTPTestClient.get(port: port, "/v1/map?word=w3&top=12&method=tsne")
            #expect(tsne.status == 200)
            let tsneMap = try Self.decode(Map.self, tsne.body)
            #expect(tsneMap.method == "tsne" && tsneMap.points.count == 13)
            #expect(Set(tsneMap.points.map { "\($0.x),\($0.y)" }).count > 1)

            #expect(try await HTTPTestClient.get(port: port, "/v1/map?word=nosuchword").status == 422)
            #expect(try await HTTPTestClient.get(port: port, "/v1/map").status == 400)
            #expect(try await HTTPTestClient.get(port: port, "/v1/map?word=w1&method=umap").status == 400)
            #expect(try await HTTPTestClient.get(port: port, "/v1/map?word=w1&top=1000").status == 400)
        }
    }

    @Test func pageIsServedWhole() async throws {
        // A model name with markup in it: the page's embedded description must not end its <script>.
        let path = try vectorsFile(SimilarRouteTests.randomRows(count: 30, dimension: 4, seed: 5), name: "<b>x.txt")
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [path]))) { port in
            let page = try await HTTPTestClient.get(port: port, "/?q=w1")
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.headers["content-security-policy"]?.hasPrefix("default-src 'self'") == true)
            #expect(page.body.contains(#"<script id="config" type="application/json">{"models":[{"dimension":4,"#))
            #expect(page.body.contains(#""name":"\u003cb>x""#))
            #expect(!page.body.contains("<b>x"))
            #expect(!page.body.contains("<!--CONFIG-->"))
            let script = try await HTTPTestClient.get(port: port, "/page.js")
            #expect(script.status == 200 && script.headers["content-type"] == "text/javascript; charset=utf-8")
            #expect(script.body.contains("/v1/complete") && script.body.contains("/v1/map"))
            let style = try await HTTPTestClient.get(port: port, "/page.css")
            #expect(style.status == 200 && style.headers["content-type"] == "text/css; charset=utf-8")
            // Nothing from elsewhere: no absolute URL in the page, no fetch or import of one.
            #expect(!page.body.contains("https://") && !page.body.contains("http://"))
            #expect(!style.body.contains("url(") && !style.body.contains("@import"))
            #expect(!script.body.contains("https://"))
        }
    }
}
