import ArgumentParser
import Word2Vec
import Word2VecCommandLine
import Word2VecTokenization

/// `word2vec doc2vec update`: add new documents to a paragraph-vector model.
struct Doc2VecUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Add new documents to a doc2vec model: new tags get vectors, old ones are kept, words grow as in update.",
        discussion: """
            The documents of --input (lines as for doc2vec train) are trained into the model: a tag \
            the model has keeps its vector and trains further on its new lines; a new tag gets a new \
            vector. Word counts are merged as word2vec update merges them (the vocabulary equals \
            counting all documents at once). Earlier documents sampled in the model file (at most \
            2,000,000 words) are replayed with their tags between the new ones, half a word per new \
            word, so that the old vectors and the shared weights stay consistent; the learning rate \
            starts at the model's times the new text's share of all the text, at least half of it \
            (or at --alpha). The new text is cut into words as the model's was. The updated model \
            replaces MODEL unless --save-model names another file.

            Example:
              word2vec doc2vec update docs.model --input new-docs.txt --output docs.vec
            """
    )

    @Argument(help: "A model saved by doc2vec train --save-model (a finished run).") var model: String
    @Option(help: "New documents, one per line, UTF-8 (- for standard input).") var input: String
    @Option(help: "Where to write the updated model (default: replace MODEL).") var saveModel: String?
    @Option(help: "Also write every document vector here (word2vec format, keyed by tag).") var output: String?
    @Option(help: "Also write the word vectors here.") var outputWords: String?
    @Option(help: ArgumentHelp("Passes over the new documents (default: the model's epochs).", valueName: "n")) var epochs: Int?
    @Option(help: ArgumentHelp("Starting learning rate (default: see above).", valueName: "alpha")) var alpha: Float?
    @Flag(inversion: .prefixedNo, help: "Write the binary word2vec format (default: for an output named *.bin).")
    var binary: Bool?
    @Flag(help: "No progress output.") var quiet = false
    @OptionGroup var tokenizing: TokenizerOptions

    func run() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        let modelPath = saveModel ?? model
        try OutputChecks.refuseOverwriting(
            inputs: [("--input", input)],
            outputs: [("--save-model", modelPath), ("--output", output), ("--output-words", outputWords)])
        let old = try Model(contentsOf: model)
        guard old.documents != nil else {
            throw Word2VecError.invalidOption("model '\(model)'", "holds no document vectors (update it with word2vec update)")
        }
        let corpus = DocumentFileCorpus(try tokenizing.source(
            input, continuing: old.configuration, model: model, threads: old.configuration.threads, keepsTagField: true))
        try corpus.checkReadable()
        var session = TrainingSession(.update(old, epochs: epochs, learningRate: alpha))
        session.outputs.model = modelPath
        session.outputs.documentVectors = output.map { .init(path: $0, format: vectorFormat(for: $0, binary: binary)) }
        session.outputs.wordVectors = outputWords.map { .init(path: $0, format: vectorFormat(for: $0, binary: binary)) }
        let quiet = self.quiet
        let reporter = quiet ? nil : ProgressPrinter()
        _ = try session.run(on: corpus) { event in
            if case let .trained(outcome) = event, let updated = outcome.model, !quiet {
                let oldTags = old.documents?.count ?? 0, tags = updated.documents?.count ?? 0
                let added = updated.vocabulary.words.filter { old.vocabulary.index(of: $0) == nil }.count
                Output.standardError(
                    "documents: \(oldTags) -> \(tags) tags (\(tags - oldTags) new); "
                        + "vocabulary: \(old.vocabulary.count) -> \(updated.vocabulary.count) words (\(added) new)\n")
                for warning in outcome.warnings where !warning.isAboutTheText {
                    Output.standardError("warning: \(ErrorMessages.renamingSettings(in: warning.description))\n")
                }
            }
            reporter?.handle(event)
        }
    }
}
