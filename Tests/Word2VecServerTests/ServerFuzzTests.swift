import Foundation
import Testing
import Word2Vec
import Word2VecServer

/// Malformed HTTP and JSON against a running server, from a fixed seed: every answer is a 4xx
/// (or, for bytes that are not HTTP, a closed connection), nothing crashes, and a valid query is
/// still answered afterwards.
@Suite struct ServerFuzzTests {
    /// A small seeded generator (SplitMix64), so that a failure replays.
    struct Generator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
        mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
    }

    static let validBodies: [(String, String)] = [
        ("/v1/recommend", #"{"history": ["w1", "w2"], "top": 3, "recent": 2, "half_life": 1.5}"#),
        ("/v1/sentence-vector", #"{"lines": ["w1 w2", "w3"]}"#),
        ("/v1/infer", #"{"text": "w1 w2", "seed": 3}"#),
        ("/v1/document-similar", #"{"tag": "w1", "top": 2}"#),
    ]

    /// A request that must not be answered with success, and whether its bytes are still HTTP.
    static func malformedRequest(_ random: inout Generator) -> (bytes: [UInt8], http: Bool) {
        func request(_ head: String, _ body: [UInt8] = []) -> [UInt8] { Array(head.utf8) + body }
        switch random.below(8) {
        case 0:
            // Not HTTP at all.
            return (random.bytes(1 + random.below(200)) + Array("\r\n\r\n".utf8), false)
        case 1:
            // A request line broken in one place.
            let lines = ["GET /v1/similar?positive=w1 HTTP/1.1", "GET  HTTP/1.1", "GET /v1/similar HTTP/9.9", "G\u{1}T / HTTP/1.1",
                         "GET /v1/similar?positive=w1", "/v1/similar HTTP/1.1 GET", String(repeating: "A", count: 9000) + " / HTTP/1.1"]
            var line = Array(random.pick(lines).utf8)
            let position = random.below(line.count)
            let replacement: UInt8 = random.pick([0, 0x7F, 0x0A, 0x0D, 0x20, 0xFF])
            line[position] = replacement == line[position] ? 0 : replacement
            return (line + Array("\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), false)
        case 2:
            // Headers without colons, with control bytes, or far too long.
            let header = random.pick([
                "NoColonHere", "Bad\u{0}Name: v", "X: " + String(repeating: "v", count: 100_000), ": empty-name",
                "Content-Length: -5", "Content-Length: 12abc", "Content-Length: 1\r\nContent-Length: 2", "Transfer-Encoding: bogus",
            ])
            return (request("POST /v1/recommend HTTP/1.1\r\nHost: x\r\n\(header)\r\nConnection: close\r\n\r\n"), false)
        case 3:
            // A body cut short of its Content-Length (the client then closes its side).
            let (target, body) = random.pick(validBodies)
            let bytes = Array(body.utf8)
            return (request("POST \(target) HTTP/1.1\r\nHost: x\r\nContent-Length: \(bytes.count + 1 + random.below(50))\r\n\r\n",
                            Array(bytes.prefix(random.below(bytes.count)))), false)
        case 4 where random.below(4) == 0:
            // Raw bytes above ASCII in the target, which HTTP does not allow.
            return (request("GET /v1/similar?positive=w1&\u{E9}=\u{FC} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), false)
        case 4:
            // A body announced far larger than the limit.
            let (target, _) = random.pick(validBodies)
            let length = random.pick([2 << 20, 1 << 40, Int(Int64.max)])
            return (request("POST \(target) HTTP/1.1\r\nHost: x\r\nContent-Length: \(length)\r\n\r\n", random.bytes(100)), false)
        case 5:
            // JSON made invalid: cut short, or a control byte (invalid inside and outside strings) inserted.
            let (target, body) = random.pick(validBodies)
            var bytes = Array(body.utf8)
            if random.below(2) == 0 {
                bytes = Array(bytes.prefix(random.below(bytes.count)))
            } else {
                bytes.insert(UInt8(1 + random.below(0x1F)), at: random.below(bytes.count + 1))
            }
            return (request("POST \(target) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: \(bytes.count)\r\n\r\n", bytes), true)
        case 6:
            // JSON of the wrong shape.
            let (target, _) = random.pick(validBodies)
            let body = random.pick([
                "[]", "null", "42", #""text""#, #"{"history": 5}"#, #"{"history": [1, 2]}"#, #"{"lines": "w1"}"#,
                #"{"text": null}"#, #"{"history": ["w1"], "top": 1e99}"#, #"{"tag": ["w1"]}"#, #"{"history": [], "top": -1}"#,
                "{" + String(repeating: "[", count: 5000),
            ])
            return (request("POST \(target) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"), true)
        default:
            // Odd query strings, each with at least one field that cannot be answered.
            let odd = random.pick(["%", "%zz", "%00", "&&&", "==", "%E2%82", "a=%FF%FE", String(repeating: "x", count: 5000), "%C3%A9=%C3%BC"])
            let target = random.pick([
                "/v1/similar?\(odd)&top=\(odd)", "/v1/similar?positive=zz\(random.below(1000))&\(odd)", "/v1/analogy?a=w1&\(odd)",
                "/v1/vector?\(odd)", "/v1/similarity?a=w1&b=&\(odd)", "/v1/n-similarity?first=&\(odd)", "/v1/doesnt-match?\(odd)",
                "/v1/sentence-vector?\(odd)", "/v1/similar?positive=w1&restrict=-\(random.below(9))&\(odd)",
                "/v1/similar?positive=w1&model=\(odd)",
            ])
            return (request("GET \(target) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), true)
        }
    }

    @Test func malformedRequestsGetFourHundredsOrAClosedConnection() async throws {
        let path = try vectorsFile(SimilarRouteTests.randomRows(count: 60, dimension: 8, seed: 5))
        var limits = ServerLimits()
        limits.maximumBodyBytes = 1 << 20
        try await withServer(QueryServer(shelf: try ModelShelf(paths: [path]), limits: limits)) { port in
            var random = Generator(state: 20_261_207)
            for round in 0..<300 {
                let (bytes, http) = Self.malformedRequest(&random)
                // Only requests that may leave the server waiting for more are half-closed: a server may
                // drop a connection whose client stopped sending before it answered.
                let answer = try await HTTPTestClient.request(port: port, raw: bytes, halfClose: !http)
                if answer.isEmpty {
                    #expect(!http, "round \(round): a well-formed HTTP request got no answer: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
                    continue
                }
                let response = try HTTPTestClient.parse(answer)
                #expect((400..<500).contains(response.status),
                        "round \(round): \(response.status) \(response.body) for \(String(decoding: bytes.prefix(200), as: UTF8.self))")
                if http {
                    #expect(response.body.hasPrefix(#"{"error":""#),
                            "round \(round): \(response.body) for \(String(decoding: bytes.prefix(200), as: UTF8.self))")
                }
            }
            let valid = try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1&top=3")
            #expect(valid.status == 200 && valid.body.contains(#""neighbours":[{"#))
        }
    }
}
