#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import Word2Vec
import Word2VecServer

/// Shutting down answers the requests in flight before the server returns.
@Suite struct ShutdownTests {
    /// A connection whose request arrives in two parts, so that it is in flight (its handler waits
    /// for the rest of the body) for as long as the test wants.
    final class SplitRequest: @unchecked Sendable {
        let socket: Int32

        init(port: Int) throws {
            socket = try HTTPTestClient.connect(port: port)
        }

        func send(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        /// Reads until the server closes the connection.
        func receive() -> String {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = recv(socket, &buffer, buffer.count, 0)
                if count <= 0 { break }
                received += buffer[..<count]
            }
            close(socket)
            return String(decoding: received, as: UTF8.self)
        }
    }

    @Test func requestInFlightIsAnsweredAfterShutdownBegins() async throws {
        let path = try vectorsFile(SimilarRouteTests.randomRows(count: 40, dimension: 8, seed: 2))
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var server = QueryServer(shelf: try ModelShelf(paths: [path]), port: 0)
        server.reloading = ReloadOptions(onHangup: false)
        let running = Task { [server] in try await server.run(shutdownSignals: []) { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let body = #"{"lines": ["w1 w2", "w3"]}"#
        let request = try SplitRequest(port: port)
        request.send("POST /v1/sentence-vector HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        request.send(String(body.prefix(10)))
        // The request is in flight once its handler has started; /metrics counts it.
        var inFlight = false
        for _ in 0..<250 where !inFlight {
            inFlight = try await HTTPTestClient.get(port: port, "/metrics").body.contains("word2vec_requests_in_flight 2")
            if !inFlight { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(inFlight)
        running.cancel()
        try await Task.sleep(for: .milliseconds(100))
        request.send(String(body.dropFirst(10)))
        let response = try HTTPTestClient.parse(Array(request.receive().utf8))
        #expect(response.status == 200 && response.body.hasPrefix(#"{"known":2,"line":1,"#), "\(response.body)")
        try await running.value
    }
}
