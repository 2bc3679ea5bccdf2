import ArgumentParser
import Word2Vec
import Word2VecCommandLine
import Word2VecTokenization

extension DocumentMode: ExpressibleByArgument {}

/// `word2vec doc2vec`: paragraph vectors.
struct Doc2VecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doc2vec",
        abstract: "Paragraph vectors (doc2vec): train document vectors, infer them for new text, find similar documents.",
        subcommands: [Doc2VecTrainCommand.self, Doc2VecInferCommand.self, Doc2VecSimilarCommand.self]
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
        let checkpointing = try resuming.checkpointing(modelPath: saveModel)
        try tokenizing.prepare(input, threads: configuration.threads, keepsTagField: true)
        let corpus = DocumentFileCorpus(path: input, maxDistinctWords: options.maxDistinctWords)
        try corpus.checkReadable()
        let writer = try output.map { try EmbeddingsWriter(path: $0, format: vectorFormat(for: $0, binary: options.binary)) }
        let wordWriter = try outputWords.map { try EmbeddingsWriter(path: $0, format: vectorFormat(for: $0, binary: options.binary)) }
        if let saveModel { try OutputFiles.checkWritable(saveModel) }
        let trainer = Trainer(configuration: configuration)
        let counts = try corpus.countWords()
        let (vocabulary, _) = try trainer.buildVocabulary(counts: counts, source: corpus.name)
        let reporter = options.quiet ? nil : ProgressPrinter()
        reporter?.vocabulary(vocabulary)
        TrainingWarnings.report(counts: counts, vocabulary: vocabulary, configuration: configuration, source: corpus.name)
        if !options.quiet {
            Output.standardError("documents: \(try corpus.documentCount()) lines, \(try corpus.tags().count) tags\n")
        }
        let model = try trainer.train(
            documents: corpus, vocabulary: vocabulary, progress: reporter?.report, checkpoint: checkpointing)
        try finish(model, writer: writer, wordWriter: wordWriter, modelPath: saveModel, reporter: reporter)
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
        try tokenizing.prepare(
            input, continuing: model.configuration, model: path, threads: model.configuration.threads, keepsTagField: true)
        let corpus = DocumentFileCorpus(path: input)
        try corpus.checkReadable()
        let writer = try output.map { try EmbeddingsWriter(path: $0, format: vectorFormat(for: $0, binary: options.binary)) }
        let wordWriter = try outputWords.map { try EmbeddingsWriter(path: $0, format: vectorFormat(for: $0, binary: options.binary)) }
        try OutputFiles.checkWritable(modelPath)
        let reporter = options.quiet ? nil : ProgressPrinter()
        let trained = try resuming.resume(model, from: path, corpus: corpus, modelPath: modelPath, reporter: reporter)
        try finish(trained, writer: writer, wordWriter: wordWriter, modelPath: modelPath, reporter: reporter)
    }

    private func finish(
        _ model: Model, writer: EmbeddingsWriter?, wordWriter: EmbeddingsWriter?, modelPath: String?,
        reporter: ProgressPrinter?
    ) throws {
        if let documents = model.documents, !options.quiet {
            let zero = (0..<documents.count).filter { documents.vectors.row($0).allSatisfy { $0 == 0 } }.count
            if zero > 0 {
                Output.standardError("warning: \(zero) tags have no word of the vocabulary; their vectors are zero\n")
            }
        }
        let configuration = model.configuration
        if configuration.documentMode == .dbow && !configuration.dbowWords && outputWords != nil && !options.quiet {
            Output.standardError("warning: dbow without --dbow-words does not train word vectors; --output-words gets their random start\n")
        }
        if let modelPath {
            try model.save(to: modelPath)
            reporter?.finished(modelPath)
        }
        if let writer, let output, let documents = model.documents {
            try writer.write(documents.embeddings)
            reporter?.finished(output)
        }
        if let wordWriter, let outputWords {
            try wordWriter.write(model.embeddings)
            reporter?.finished(outputWords)
        }
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
        try tokenizing.prepare(input, continuing: loaded.configuration, model: model, threads: threads, keepsTagField: true)
        let writer = try EmbeddingsWriter(path: output, format: vectorFormat(for: output, binary: binary))
        var options = InferenceOptions()
        options.epochs = epochs
        options.learningRate = alpha
        options.seed = seed
        options.threads = threads ?? TrainingConfiguration().threads
        let vectors = try loaded.inferVectors(fileAt: input, options: options)
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

    struct Result: Encodable {
        let tag: String?
        let text: String?
        let neighbours: [NeighbourRecord]
    }

    func run() throws {
        let loaded = try Model(contentsOf: model)
        guard let documents = loaded.documents else {
            throw Word2VecError.invalidOption("model '\(model)'", "holds no document vectors (train it with doc2vec train)")
        }
        let index = SimilarityIndex(documents.embeddings)
        let found: [Neighbour]
        if let tag {
            guard let row = documents.tags.index(of: tag) else {
                throw Word2VecError.invalidOption("--tag", "'\(tag)' is not a tag of the model")
            }
            found = try index.mostSimilar(to: documents.vectors.row(row), top: top, excluding: [row])
        } else {
            var words = text!.split(whereSeparator: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }).map(String.init)
            let recorded = loaded.configuration
            if let tokenizer = recorded.tokenizer, tokenizer != .whitespace || recorded.nfkc == true || recorded.lowercase {
                // Cut as the model's training text was.
                words = try TextSegmenter(tokenizer: tokenizer, nfkc: recorded.nfkc, threads: 1, lowercase: recorded.lowercase)
                    .words(in: text!)
            }
            // With no known word the inferred vector is its random start: its ranking would be noise.
            guard !words.isEmpty else { throw Word2VecError.invalidOption("--text", "has no words") }
            // Exit 1 as for an unknown word of `similar`: no answer.
            guard words.contains(where: { loaded.vocabulary.index(of: $0) != nil }) else {
                throw Word2VecError.unknownWords(words)
            }
            var options = InferenceOptions()
            options.seed = seed
            found = try index.mostSimilar(to: try loaded.inferVector(words: words, options: options), top: top)
        }
        if json {
            try JSONOutput.print(Result(tag: tag, text: text, neighbours: found.map(NeighbourRecord.init)))
        } else {
            printNeighbours(found)
        }
    }
}
