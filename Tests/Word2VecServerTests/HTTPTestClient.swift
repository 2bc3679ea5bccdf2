#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Word2Vec
import Word2VecServer

/// A response as the tests read it: the status and the body, bytes as they came.
struct HTTPResult {
    let status: Int
    let headers: [String: String]
    let body: String
}

/// A minimal HTTP/1.1 client over a loopback socket, so that the tests need no client library and
/// can also send bytes no client library would (malformed requests).
enum HTTPTestClient {
    /// A socket connected to 127.0.0.1:`port`, whose reads give up after 20 s; the caller closes it.
    static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw POSIXError(.ECONNREFUSED)
        }
        return socket
    }

    /// Sends `raw` to 127.0.0.1:`port` and reads one response: through its `Content-Length` body, or
    /// until the server closes the connection.
    /// - Parameter halfClose: shut the sending side after the request, so that a server waiting
    ///   for more of a truncated request sees its end instead of waiting for the timeout.
    static func exchange(port: Int, raw: [UInt8], halfClose: Bool = false) throws -> [UInt8] {
        let socket = try connect(port: port)
        defer { close(socket) }
        var sent = 0
        while sent < raw.count {
            let count = raw[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { break }  // The server may close early on a malformed request.
            sent += count
        }
        if halfClose { shutdown(socket, Int32(SHUT_WR)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[..<count]
            if let end = responseEnd(received), received.count >= end { break }
        }
        return received
    }

    /// Where a response with a `Content-Length` ends, once its head has arrived.
    private static func responseEnd(_ bytes: [UInt8]) -> Int? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard bytes.count >= 4, let start = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator })
        else { return nil }
        let head = String(decoding: bytes[..<start], as: UTF8.self).lowercased()
        guard let line = head.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { return nil }
        return start + 4 + length
    }

    /// `exchange` on a thread of its own: a blocking read on one of the few threads of Swift's
    /// cooperative pool would starve the server's own tasks in the same process.
    static func request(port: Int, raw: [UInt8], halfClose: Bool = false) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try exchange(port: port, raw: raw, halfClose: halfClose) })
            }
        }
    }

    static func get(port: Int, _ target: String) async throws -> HTTPResult {
        try parse(await request(port: port, raw: Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)))
    }

    static func request(port: Int, _ method: String, _ target: String) async throws -> HTTPResult {
        try parse(await request(port: port, raw: Array("\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".utf8)))
    }

    static func post(port: Int, _ target: String, json body: String) async throws -> HTTPResult {
        let head = "POST \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        return try parse(await request(port: port, raw: Array((head + body).utf8)))
    }

    static func parse(_ bytes: [UInt8]) throws -> HTTPResult {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw POSIXError(.EBADMSG) }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw POSIXError(.EBADMSG) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPResult(status: status, headers: headers, body: String(text[split.upperBound...]))
    }
}

/// A server on a free loopback port for the duration of `body`, stopped (gracefully) afterwards.
func withServer<T>(_ server: QueryServer, _ body: (_ port: Int) async throws -> T) async throws -> T {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    var server = server
    server.host = "127.0.0.1"
    server.port = 0
    let running = Task { [server] in
        try await server.run(shutdownSignals: []) { continuation.yield($0) }
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw POSIXError(.EADDRNOTAVAIL) }
    do {
        let result = try await body(port)
        running.cancel()
        _ = try? await running.value
        return result
    } catch {
        running.cancel()
        _ = try? await running.value
        throw error
    }
}

/// A word2vec text vectors file in a fresh temporary directory: `rows` of `word v1 v2 ...`.
func vectorsFile(_ rows: [(String, [Float])], name: String = "vectors.txt") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("word2vec-server-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var text = "\(rows.count) \(rows.first?.1.count ?? 0)\n"
    for (word, vector) in rows { text += word + " " + vector.map { "\($0)" }.joined(separator: " ") + "\n" }
    let path = directory.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
