import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import Word2Vec

/// Bounds on what one request may ask for, so that no request can take the server's memory or
/// time from the others.
public struct ServerLimits: Sendable {
    /// The most neighbours a ranking request may ask for (`top`).
    public var maximumTop = 1000
    /// The largest request body (POST), in bytes; larger bodies get 413 unread.
    public var maximumBodyBytes = 1 << 20
    /// The most items one request may carry: words of a query, lines of a batch, items of a history.
    public var maximumBatch = 1000
    /// Query requests answered at once; more get 503 at once rather than queueing without bound.
    public var maximumConcurrentRequests = 64

    public init() {}
}

/// How the server notices a replaced model file (see `ModelShelf.reload`).
public struct ReloadOptions: Sendable {
    /// Reload every model on SIGHUP.
    public var onHangup = true
    /// Poll each file's identity (inode, size, modification time) this often and reload the files
    /// that changed; `nil`: only on SIGHUP.
    public var watchInterval: Duration?

    public init(onHangup: Bool = true, watchInterval: Duration? = nil) {
        self.onHangup = onHangup
        self.watchInterval = watchInterval
    }
}

/// The HTTP service over served models: routes are small functions over the shelf, which is the
/// only shared state, and read-only but for the swap of a reloaded generation.
public struct QueryServer: Sendable {
    public var host: String
    public var port: Int
    public var limits: ServerLimits
    public var reloading: ReloadOptions
    public let shelf: ModelShelf
    let metrics = ServerMetrics()

    public init(
        shelf: ModelShelf, host: String = "127.0.0.1", port: Int = 8080, limits: ServerLimits = ServerLimits(),
        reloading: ReloadOptions = ReloadOptions()
    ) {
        self.shelf = shelf
        self.host = host
        self.port = port
        self.limits = limits
        self.reloading = reloading
    }

    /// Serves until one of `shutdownSignals` arrives or the calling task is cancelled, then stops
    /// accepting connections, finishes the requests in flight and returns: cancelling is a
    /// graceful shutdown too, not an abort.
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
        var services: [any Service] = [application]
        // Last, so that it stops first: no reload starts while the server drains.
        if reloading.onHangup || reloading.watchInterval != nil {
            // Trapped before the server accepts connections: a SIGHUP sent once it answers must
            // reload, not end the process (the signal's default action).
            let hangups = reloading.onHangup ? await UnixSignalsSequence(trapping: .sighup) : nil
            services.append(ModelReloader(shelf: shelf, hangups: hangups, watchInterval: reloading.watchInterval, logger: logger))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: shutdownSignals, logger: logger))
        // Unstructured, so that cancelling the caller does not cancel the services (which aborts
        // connections and logs errors) but asks them to shut down gracefully.
        let running = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await running.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }

    /// A query route: a function from the request, the model it names and the limits to a response.
    typealias Route = @Sendable (Request, ServedModel, ServerLimits) async throws -> Response

    /// Every query route, listed here and nowhere else.
    static let queryRoutes: [(HTTPRequest.Method, String, Route)] = [
        (.get, "/v1/similar", similarRoute),
        (.get, "/v1/analogy", analogyRoute),
        (.get, "/v1/vector", vectorRoute),
        (.get, "/v1/similarity", similarityRoute),
        (.get, "/v1/n-similarity", nSimilarityRoute),
        (.get, "/v1/doesnt-match", doesntMatchRoute),
        (.get, "/v1/sentence-vector", sentenceVectorRoute),
        (.post, "/v1/sentence-vector", sentenceVectorsRoute),
        (.post, "/v1/infer", inferRoute),
        (.post, "/v1/document-similar", documentSimilarRoute),
        (.post, "/v1/recommend", recommendRoute),
    ]

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let shelf = self.shelf, limits = self.limits, metrics = self.metrics
        let methods = RouteMethods()
        // First: middleware wraps only the routes added after it (and the unmatched ones).
        router.middlewares.add(ServingMiddleware(metrics: metrics, limits: limits, routes: methods))
        for (method, path, route) in Self.queryRoutes {
            router.on(RouterPath(path), method: method) { request, _ in
                try await route(request, try model(for: request, shelf), limits)
            }
        }
        router.get("/healthz") { _, _ in try healthRoute(shelf) }
        router.get("/metrics") { _, _ in
            JSONResponse.text(
                metrics.exposition(generations: shelf.current.map { ($0.name, $0.generation) }, failedReloads: shelf.failedReloads),
                contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        addPageRoutes(to: router, shelf: shelf, limits: limits)
        // Every route is registered above this line: the table of their methods is read for 405s.
        methods.record(router.routes.map { ("\($0.path)", $0.method) })
        return router
    }
}

/// The current generation of the model the request names (`model=`), or the first model.
func model(for request: Request, _ shelf: ModelShelf) throws -> ServedModel {
    let name = request.uri.queryParameters["model"].map(String.init)
    guard let model = shelf.model(named: name) else {
        throw RequestError(
            status: .notFound, message: "model: no model named '\(name ?? "")' (served: \(shelf.names.joined(separator: ", ")))")
    }
    return model
}

/// Reloads replaced model files on SIGHUP and, with a watch interval, when their identity changes;
/// stops at the group's graceful shutdown.
struct ModelReloader: Service {
    let shelf: ModelShelf
    let hangups: UnixSignalsSequence?
    let watchInterval: Duration?
    let logger: Logger

    func run() async throws {
        let shelf = self.shelf, logger = self.logger, hangups = self.hangups
        let log: @Sendable (String) -> Void = { logger.error("\($0)") }
        // Cancelled at graceful shutdown; returning normally then, so the group sees no failure.
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if let hangups {
                    group.addTask {
                        for await _ in hangups { await shelf.reload(force: true, log: log) }
                    }
                }
                if let interval = watchInterval {
                    group.addTask {
                        while (try? await Task.sleep(for: interval)) != nil {
                            await shelf.reload(log: log)
                        }
                    }
                }
                // Without anything to watch, wait for the shutdown rather than end the group.
                group.addTask {
                    while (try? await Task.sleep(for: .seconds(3600))) != nil {}
                }
            }
        }
    }
}
