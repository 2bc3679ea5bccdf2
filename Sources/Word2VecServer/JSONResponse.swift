import Hummingbird
import Word2Vec
import Word2VecQueries

/// Turns answers and failures into responses: the body is `QueryJSON`'s encoding, the same bytes
/// `--json` prints, and every failure a JSON object `{"error": "..."}` with a 4xx status.
enum JSONResponse {
    static func ok(_ answer: some Encodable) throws -> Response {
        respond(.ok, try QueryJSON.encodeBytes(answer))
    }

    static func failure(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let body = (try? QueryJSON.encodeBytes(["error": message])) ?? Array(#"{"error":"unencodable message"}"#.utf8)
        return respond(status, body)
    }

    private static func respond(_ status: HTTPResponse.Status, _ body: [UInt8]) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body + [UInt8(ascii: "\n")])))
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
