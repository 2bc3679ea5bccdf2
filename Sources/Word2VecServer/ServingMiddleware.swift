import Hummingbird
import Synchronization
import Word2Vec

/// Around every request: the bound on concurrent work (503 beyond it), the one place failures
/// become JSON answers (unknown routes 404, known routes asked with another method 405), and the
/// metrics.
struct ServingMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    let limits: ServerLimits
    /// The methods each registered path answers, for 405's `Allow`.
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let working = metrics.inFlight.wrappingAdd(1, ordering: .relaxed).newValue
        defer { metrics.inFlight.wrappingSubtract(1, ordering: .relaxed) }
        let response: Response
        // Only query work is shed: health checks and metrics must answer while the server is busy.
        if working > limits.maximumConcurrentRequests && request.uri.path.hasPrefix("/v1/") {
            response = JSONResponse.failure(
                .serviceUnavailable, "busy: \(limits.maximumConcurrentRequests) requests are being answered; try again",
                headers: [.retryAfter: "1"])
        } else {
            do {
                response = try await next(request, context)
            } catch {
                response = failure(error, request)
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // A registered route's pattern or one fixed word, never the request's own path, so that the
        // labels stay few. (Hummingbird marks a request no route matched "NotFound".)
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.record(route: route, status: response.status.code, seconds: seconds)
        return response
    }

    private func failure(_ error: any Error, _ request: Request) -> Response {
        switch error {
        case let error as RequestError:
            return JSONResponse.failure(error.status, error.message)
        case let error as Word2VecError:
            return JSONResponse.failure(.unprocessableContent, "\(error)")
        case let error as HTTPError where error.status == .notFound:
            if let allowed = routes.methods(of: request.uri.path) {
                let allow = allowed.map(\.rawValue).joined(separator: ", ")
                return JSONResponse.failure(
                    .methodNotAllowed, "method: \(request.method.rawValue) is not allowed on \(request.uri.path) (allowed: \(allow))",
                    headers: [.allow: allow])
            }
            return JSONResponse.failure(.notFound, "no such route (see /healthz; the API is under /v1/)")
        case let error as HTTPError:
            return JSONResponse.failure(error.status, error.body ?? error.status.reasonPhrase)
        default:
            return JSONResponse.failure(.internalServerError, "\(error)")
        }
    }
}

/// The methods of each registered path, recorded once the router is complete (the middleware is
/// added before the routes, which it must wrap).
final class RouteMethods: Sendable {
    private let table = Mutex<[String: [HTTPRequest.Method]]>([:])

    func record(_ routes: [(path: String, method: HTTPRequest.Method)]) {
        table.withLock { table in
            for route in routes { table[route.path, default: []].append(route.method) }
        }
    }

    func methods(of path: String) -> [HTTPRequest.Method]? {
        table.withLock { $0[path] }
    }
}
