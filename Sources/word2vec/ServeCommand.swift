import ArgumentParser
import Dispatch
import Word2Vec
import Word2VecServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer queries over HTTP: JSON endpoints and a web page.",
        discussion: """
            Loads each model once (model files are memory-mapped) and answers the query commands' \
            questions as JSON, the same objects their --json prints. A request picks a model with \
            model=NAME (the file name without its extension); without it the first model answers. \
            Binds to 127.0.0.1 unless --host says otherwise. Stops on SIGTERM or SIGINT after the \
            requests in flight.

            Examples:
              word2vec serve model.w2v
              curl 'http://127.0.0.1:8080/v1/similar?positive=king,woman&negative=man&top=5'
            """
    )

    @Argument(help: "Model files or vector files to serve.") var models: [String]
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed at start).") var port = 8080

    func validate() throws {
        if models.isEmpty { throw ValidationError("give at least one model file to serve") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535 (got \(port))") }
    }

    func run() throws {
        let server = QueryServer(shelf: try ModelShelf(paths: models), host: host, port: port)
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
