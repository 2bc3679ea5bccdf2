import Hummingbird
import Logging
import UnixSignals
import NIOCore
import Word2Vec

/// Bounds on what one request may ask for, so that no request can take the server's memory or
/// time from the others.
public struct ServerLimits: Sendable {
    /// The most neighbours a ranking request may ask for (`top`).
    public var maximumTop = 1000

    public init() {}
}

/// The HTTP service over served models: routes are small functions over the shelf, which is the
/// only shared state, and read-only but for the swap of a reloaded generation.
public struct QueryServer: Sendable {
    public var host: String
    public var port: Int
    public var limits: ServerLimits
    public let shelf: ModelShelf

    public init(shelf: ModelShelf, host: String = "127.0.0.1", port: Int = 8080, limits: ServerLimits = ServerLimits()) {
        self.shelf = shelf
        self.host = host
        self.port = port
        self.limits = limits
    }

    /// Serves until one of `shutdownSignals` arrives or the calling task is cancelled, then
    /// finishes the requests in flight and returns.
    /// - Parameter onRunning: called with the bound port once the server accepts connections
    ///   (the actual port when `port` is 0).
    public func run(
        shutdownSignals: [UnixSignal] = [.sigterm, .sigint], onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        var logger = Logger(label: "word2vec-serve")
        logger.logLevel = .warning
        let application = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "word2vec"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await application.runService(gracefulShutdownSignals: shutdownSignals)
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let shelf = self.shelf
        let limits = self.limits
        router.get("/healthz") { _, _ in
            try JSONResponse.ok(["status": "ok"])
        }
        router.get("/v1/similar") { request, _ in
            answer(request, shelf) { try similarRoute(request, $0, limits) }
        }
        addPageRoutes(to: router, shelf: shelf, limits: limits)
        return router
    }
}

/// Runs one route against the model the request names, mapping failures to 4xx JSON answers.
func answer(_ request: Request, _ shelf: ModelShelf, _ route: (ServedModel) throws -> some Encodable) -> Response {
    let name = request.uri.queryParameters["model"].map(String.init)
    guard let model = shelf.model(named: name) else {
        return JSONResponse.failure(.notFound, "model: no model named '\(name ?? "")' (served: \(shelf.names.joined(separator: ", ")))")
    }
    do {
        return try JSONResponse.ok(try route(model))
    } catch let error as RequestError {
        return JSONResponse.failure(error.status, error.message)
    } catch let error as Word2VecError {
        return JSONResponse.failure(.unprocessableContent, "\(error)")
    } catch {
        return JSONResponse.failure(.internalServerError, "\(error)")
    }
}
