import ArgumentParser
import Word2Vec
import Word2VecQueries
import Word2VecCommandLine
import Word2VecTokenization

extension DocumentMode: ExpressibleByArgument {}

/// `word2vec doc2vec`: paragraph vectors.
struct Doc2VecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doc2vec",
        abstract: "Paragraph vectors (doc2vec): train document vectors, add new documents, infer vectors for new text, find similar documents.",
        subcommands: [Doc2VecTrainCommand.self, Doc2VecUpdateCommand.self, Doc2VecInferCommand.self, Doc2VecSimilarCommand.self]
    )
}

/// gensim's `Doc2Vec` defaults where they differ from the word trainer's: a learning rate of 0.025
/// for every mode and more passes, which small collections of documents need.
enum DocumentTrainingDefaults: TrainingDefaults {
    static var configuration: TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.epochs = 10
        configuration.learningRate = 0.025
        return configuration
    }
}

struct Doc2VecTrainCommand: ParsableCommand, ResumableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train document vectors (and word vectors) on a file of one document per line.",
        discussion: """
            Each line is a document: `TAGS<TAB>text` (tags separated by commas; a tag on several lines \
            is one vector trained on all of them) or just text, tagged by its 0-based line number. \
            A tag whose lines hold no word of the vocabulary gets a zero vector.
              word2vec doc2vec train --input docs.txt --output docs.vec --mode dbow \\
                --save-model docs.model
              word2vec doc2vec train --input docs.txt --save-model docs.model \\
                --checkpoint-every 600
              word2vec doc2vec train --resume docs.model --output docs.vec
            """
    )

    @Option(help: "Documents, one per line, UTF-8.") var input: String?
    @Option(help: "Where to write the document vectors (word2vec format, keyed by tag).") var output: String?
    @Option(help: "Where to write the model file (for infer, similar and --resume).") var saveModel: String?
    @Option(help: "Where to write the word vectors.") var outputWords: String?
    @OptionGroup var resuming: ResumeOptions
    @Option(help: "dbow, dm-mean, dm-sum or dm-concat.") var mode: DocumentMode = .dbow
    @Flag(help: "With dbow: also train word vectors by skip-gram, interleaved.") var dbowWords = false
    @OptionGroup var options: TrainingOptions<DocumentTrainingDefaults>
    @OptionGroup var tokenizing: TokenizerOptions

    var settingsTakenFromTheModel: Set<String> {
        ResumeOptions.flags(of: options).subtracting(["--binary", "--quiet"]).union(["--mode", "--dbow-words"])
    }

    func run() throws {
        if let resume = resuming.resume { return try resumeRun(from: resume) }
        var configuration = options.configuration
        configuration.documentMode = mode
        configuration.dbowWords = dbowWords
        try configuration.validate()
        tokenizing.record(in: &configuration)
        guard let input else { throw ValidationError("--input is required (or --resume MODEL)") }
        guard output != nil || saveModel != nil || outputWords != nil else {
            throw ValidationError("--output, --save-model or --output-words is required")
        }
        try OutputChecks.refuseOverwriting(
            inputs: [("--input", input)],
            outputs: [("--output", output), ("--save-model", saveModel), ("--output-words", outputWords)])
        var session = TrainingSession(.new(configuration))
        session.checkpointInterval = try resuming.checkpointInterval(modelPath: saveModel)
        let corpus = DocumentFileCorpus(
            tokenizing.source(input, threads: configuration.threads, keepsTagField: true),
            maxDistinctWords: options.maxDistinctWords)
        try corpus.checkReadable()
        session.outputs = outputs(modelPath: saveModel)
        try run(session, on: corpus)
    }

    /// `--resume M`: the configuration and state come from M; the documents from `--input` or the
    /// path stored in M. The finished model replaces M unless `--save-model` names another file.
    private func resumeRun(from path: String) throws {
        let model = try Model(contentsOf: path)
        guard model.configuration.documentMode != nil, model.documents != nil else {
            throw Word2VecError.invalidOption("--resume", "'\(path)' holds no document vectors (resume it with word2vec train --resume)")
        }
        let modelPath = saveModel ?? path
        let input = try ResumeOptions.input(self.input, of: model, data: "documents")
        try OutputChecks.refuseOverwriting(
            inputs: [("--input", input)],
            outputs: [("--output", output), ("--save-model", modelPath), ("--output-words", outputWords)])
        let corpus = DocumentFileCorpus(try tokenizing.source(
            input, continuing: model.configuration, model: path, threads: model.configuration.threads, keepsTagField: true))
        try corpus.checkReadable()
        var session = TrainingSession(.resume(model))
        session.outputs = outputs(modelPath: modelPath)
        session.checkpointInterval = try resuming.checkpointInterval(modelPath: modelPath)
        try run(session, on: corpus, announcing: options.quiet ? nil : path)
    }

    /// `--output` (document vectors), `--output-words` and the model file.
    private func outputs(modelPath: String?) -> TrainingSession.Outputs {
        var outputs = TrainingSession.Outputs()
        outputs.model = modelPath
        outputs.documentVectors = output.map { .init(path: $0, format: vectorFormat(for: $0, binary: options.binary)) }
        outputs.wordVectors = outputWords.map { .init(path: $0, format: vectorFormat(for: $0, binary: options.binary)) }
        return outputs
    }

    /// Runs `session`, printing the warnings about the text, and unless `--quiet` its progress and
    /// the warnings about the result; `announcing`: the model file a resumed run continues.
    private func run(_ session: TrainingSession, on corpus: DocumentFileCorpus, announcing resumed: String? = nil) throws {
        let quiet = options.quiet
        let reporter = quiet ? nil : ProgressPrinter()
        _ = try session.run(on: corpus) { event in
            switch event {
            case .started:
                if case let .resume(model) = session.start, let resumed { ResumeOptions.announce(model, from: resumed) }
            case let .counted(vocabulary, _, warnings):
                reporter?.vocabulary(vocabulary)
                TrainingWarnings.print(warnings)
                if !quiet {
                    let lines = (try? corpus.documentCount()) ?? 0, tags = (try? corpus.tags().count) ?? 0
                    Output.standardError("documents: \(lines) lines, \(tags) tags\n")
                }
            case let .trained(outcome):
                guard !quiet else { break }
                for warning in outcome.warnings where !warning.isAboutTheText {
                    Output.standardError("warning: \(Self.message(for: warning))\n")
                }
            default:
                reporter?.handle(event)
            }
        }
    }

    /// A warning about the result in this command's words.
    private static func message(for warning: TrainingWarning) -> String {
        if case .untrainedWordVectors = warning {
            return "dbow without --dbow-words does not train word vectors; --output-words gets their random start"
        }
        return ErrorMessages.renamingSettings(in: warning.description)
    }
}

struct Doc2VecInferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Infer vectors for new documents from a doc2vec model, one per input line.",
        discussion: """
            The word vectors and output weights stay frozen; each document's vector starts from a value \
            drawn from its words and --seed, so the same text gives the same vector. A leading tag \
            field (`TAGS<TAB>`) is skipped. The output is keyed by the 0-based line number; a line \
            without known words gets the zero vector.
              word2vec doc2vec infer docs.model --input new.txt --output new.vec
            """
    )

    @Argument(help: "A model saved by doc2vec train --save-model.") var model: String
    @Option(help: "Documents, one per line, UTF-8 (- for standard input).") var input: String
    @Option(help: "Where to write the vectors (word2vec format, keyed by line number).") var output: String
    @Option(help: ArgumentHelp("Passes over each document (default: the model's epochs).", valueName: "n")) var epochs: Int?
    @Option(help: ArgumentHelp("Starting learning rate (default: the model's).", valueName: "alpha")) var alpha: Float?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Worker threads (default: the number of CPUs).", valueName: "n")) var threads: Int?
    @Flag(inversion: .prefixedNo, help: "Write the binary word2vec format (default: for an output named *.bin).")
    var binary: Bool?
    @OptionGroup var tokenizing: TokenizerOptions

    func run() throws {
        try OutputChecks.refuseOverwriting(inputs: [("--input", input), ("model", model)], outputs: [("--output", output)])
        let loaded = try Model(contentsOf: model)
        let text = try tokenizing.source(input, continuing: loaded.configuration, model: model, threads: threads, keepsTagField: true)
        let writer = try EmbeddingsWriter(path: output, format: vectorFormat(for: output, binary: binary))
        var options = InferenceOptions()
        options.epochs = epochs
        options.learningRate = alpha
        options.seed = seed
        options.threads = threads ?? TrainingConfiguration().threads
        let vectors = try loaded.inferVectors(of: text, options: options)
        try writer.write(try Embeddings(words: (0..<vectors.rows).map(String.init), vectors: vectors))
    }
}

struct Doc2VecSimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Print the training documents nearest to a document (cosine similarity of their vectors).",
        discussion: """
              word2vec doc2vec similar docs.model --tag 42
              word2vec doc2vec similar docs.model --text "the market fell" --top 5
            """
    )

    @Argument(help: "A model saved by doc2vec train --save-model.") var model: String
    @Option(help: "A training document's tag.") var tag: String?
    @Option(help: "A new text, whose vector is inferred first.") var text: String?
    @Option(help: "Number of documents to print.") var top = 10
    @Option(help: "Random seed of the inference (--text).") var seed: UInt64 = 1
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        try validatePositive(top, "--top")
        guard (tag == nil) != (text == nil) else { throw ValidationError("give exactly one of --tag and --text") }
    }

    func run() throws {
        let queries = try DocumentQueries(Model(contentsOf: model))
        let answer: DocumentSimilarAnswer
        do {
            answer = try queries.answer(DocumentSimilarRequest(tag: tag, text: text, top: top, seed: seed))
        } catch let Word2VecError.invalidOption(name, problem) where name == "tag" || name == "text" {
            throw Word2VecError.invalidOption("--" + name, problem)
        } catch let Word2VecError.invalidOption(name, problem) where name == "model" {
            throw Word2VecError.invalidOption("model '\(model)'", problem)
        }
        if json {
            try JSONOutput.print(answer)
        } else {
            printNeighbours(answer.neighbours)
        }
    }
}
