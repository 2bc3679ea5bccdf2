import ArgumentParser
import Dispatch
import Word2Vec
import Word2VecQueries
import Word2VecServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer queries over HTTP as JSON, with a web page for exploring the vectors.",
        discussion: """
            Open http://127.0.0.1:8080/ for the page: neighbours with completion, analogies, a 2-D map \
            of the neighbourhood, and recommendations for item models (/?q=WORD opens on a word). \
            Loads each model once (model files are memory-mapped) and answers the query commands' \
            questions as JSON, the same objects their --json prints (docs/serving.md lists the routes): \
            GET /v1/similar, /v1/analogy, /v1/vector, /v1/similarity, /v1/n-similarity, \
            /v1/doesnt-match, /v1/sentence-vector; POST /v1/sentence-vector, /v1/infer and \
            /v1/document-similar (doc2vec models), /v1/recommend (item models); /healthz and \
            /metrics (Prometheus). A request picks a model with model=NAME (the file name without its \
            extension); without it the first model answers. Bad requests get a 4xx JSON error naming \
            the field; beyond --max-concurrent requests at once, 503.

            Binds to 127.0.0.1 unless --host says otherwise. A model file replaced (renamed over, as \
            training checkpoints, update and convert write it), or its index rebuilt, is loaded \
            beside the one serving on SIGHUP, or by itself with --watch; requests in flight finish on \
            the old one, and a file that fails to load leaves the old one serving, with one line on \
            stderr (an index left from a replaced model is never searched). SIGTERM or SIGINT \
            stop accepting connections and exit once the requests in flight are answered.

            Examples:
              word2vec serve model.w2v --watch
              curl 'http://127.0.0.1:8080/v1/similar?positive=king,woman&negative=man&top=5'
              curl -d '{"history": ["a", "b"], "top": 5}' http://127.0.0.1:8080/v1/recommend
            """
    )

    @Argument(help: "Model files or vector files to serve.") var models: [String]
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed at start).") var port = 8080
    @Flag(help: "Reload a model whose file changed (polled every second), as SIGHUP does.") var watch = false
    @OptionGroup var search: IndexOptions
    @Option(help: ArgumentHelp("The most neighbours a request may ask for (top).", valueName: "n")) var maxTop = 1000
    @Option(help: ArgumentHelp("Query requests answered at once; more get 503.", valueName: "n")) var maxConcurrent = 64

    func validate() throws {
        if models.isEmpty { throw ValidationError("give at least one model file to serve") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535 (got \(port))") }
        try validatePositive(maxTop, "--max-top")
        try validatePositive(maxConcurrent, "--max-concurrent")
        if models.contains("-") { throw ValidationError("serve reads models from files, not standard input (-)") }
    }

    func run() throws {
        let shelf = try ModelShelf(paths: models, options: ServingOptions(index: search.index, ef: search.ef)) {
            Output.standardError($0 + "\n")
        }
        var limits = ServerLimits()
        limits.maximumTop = maxTop
        limits.maximumConcurrentRequests = maxConcurrent
        let server = QueryServer(
            shelf: shelf, host: host, port: port, limits: limits,
            reloading: ReloadOptions(onHangup: true, watchInterval: watch ? .seconds(1) : nil))
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: Error?
        Task {
            do {
                try await server.run { port in
                    Output.standardError("word2vec: serving \(models.joined(separator: ", ")) at http://\(host):\(port)/\n")
                }
            } catch {
                failure = error
            }
            finished.signal()
        }
        finished.wait()
        if let failure { throw failure }
    }
}
