#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import NIOCore
import Word2Vec
import Word2VecQueries

/// Turns answers and failures into responses: the body is `QueryJSON`'s encoding, the same bytes
/// `--json` prints, and every failure a JSON object `{"error": "..."}` with a 4xx or 5xx status.
enum JSONResponse {
    static func ok(_ answer: some Encodable) throws -> Response {
        respond(.ok, try QueryJSON.encodeBytes(answer) + [UInt8(ascii: "\n")])
    }

    /// Several answers as JSON lines, as the command line prints them for several input lines.
    static func lines(_ answers: [some Encodable]) throws -> Response {
        respond(.ok, try QueryJSON.encodeLines(answers), contentType: "application/x-ndjson")
    }

    static func failure(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        let body = (try? QueryJSON.encodeBytes(["error": message])) ?? Array(#"{"error":"unencodable message"}"#.utf8)
        var response = respond(status, body + [UInt8(ascii: "\n")])
        response.headers.append(contentsOf: headers)
        return response
    }

    static func text(_ text: String, contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    private static func respond(_ status: HTTPResponse.Status, _ body: [UInt8], contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// A request that cannot be answered as asked: a 4xx answer naming the field at fault.
struct RequestError: Error {
    let status: HTTPResponse.Status
    let message: String

    static func badField(_ field: String, _ problem: String) -> RequestError {
        RequestError(status: .badRequest, message: "\(field): \(problem)")
    }
}

/// The JSON body of a POST request, decoded into `Body`.
/// - Throws: `RequestError` naming the field that is missing or of the wrong type, or saying that
///   the body is not JSON or larger than `limits.maximumBodyBytes` (413).
func decodeBody<Body: Decodable>(_ type: Body.Type, _ request: Request, _ limits: ServerLimits) async throws -> Body {
    var bytes: ByteBuffer
    do {
        bytes = try await request.body.collect(upTo: limits.maximumBodyBytes)
    } catch is NIOTooManyBytesError {
        throw RequestError(status: .contentTooLarge, message: "body: larger than \(limits.maximumBodyBytes) bytes")
    } catch let error as HTTPError where error.status == .contentTooLarge {
        throw RequestError(status: .contentTooLarge, message: "body: larger than \(limits.maximumBodyBytes) bytes")
    } catch {
        // The connection ended before the body did, or its framing is broken.
        throw RequestError.badField("body", "could not be read whole (\(error))")
    }
    let data = bytes.readBytes(length: bytes.readableBytes) ?? []
    do {
        return try JSONDecoder().decode(Body.self, from: Data(data))
    } catch let DecodingError.keyNotFound(key, context) {
        throw RequestError.badField(fieldPath(context.codingPath + [key]), "is required")
    } catch let DecodingError.typeMismatch(expected, context) {
        throw RequestError.badField(fieldPath(context.codingPath), "must be \(typeName(expected))")
    } catch let DecodingError.valueNotFound(expected, context) {
        throw RequestError.badField(fieldPath(context.codingPath), "must be \(typeName(expected)), not null")
    } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
        throw RequestError.badField(fieldPath(context.codingPath), "is not valid")
    } catch {
        throw RequestError.badField("body", "is not a JSON object (send Content-Type: application/json and a body such as {\"text\": \"...\"})")
    }
}

/// `history`, `lines[2]`: the field as a client would write it.
private func fieldPath(_ path: [any CodingKey]) -> String {
    var text = ""
    for key in path {
        if let index = key.intValue {
            text += "[\(index)]"
        } else {
            text += (text.isEmpty ? "" : ".") + key.stringValue
        }
    }
    return text.isEmpty ? "body" : text
}

private func typeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Int.Type, is UInt64.Type: "a whole number"
    case is Double.Type, is Float.Type: "a number"
    case is [String].Type: "an array of strings"
    default: "a \(type)"
    }
}
