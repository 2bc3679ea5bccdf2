import ArgumentParser
import Word2Vec
import Word2VecCommandLine
import Word2VecTokenization

/// `word2vec update`: train a saved model further on new text, growing its vocabulary.
struct UpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Continue training a model on new text: counts merged, new words added, old vectors kept.",
        discussion: """
            Words whose merged count reaches the model's min-count join the vocabulary (the vocabulary \
            equals counting all the text at once); old words keep their vectors; the Huffman tree and \
            the noise distribution are rebuilt from the merged counts; then the model trains on the \
            new text with earlier sentences interleaved (half a word rehearsed per new word, from a \
            sample of at most 2,000,000 words of all earlier text that the model file keeps), so \
            that it does not forget what it learnt before; the learning rate decays linearly from \
            the model's starting rate times the new text's share of all the text, at least half \
            of it (or from --alpha). --input may be - for \
            standard input. The new text is cut into words as the model's text was (the model \
            records its --tokenizer and --nfkc).

            Example:
              word2vec update --model news-2025.model --input news-2026.txt \\
                --output news-2026.model
            """
    )

    @Option(help: "The model to update (a finished run).") var model: String
    @Option(help: "New training text, UTF-8.") var input: String
    @Option(help: "Where to write the updated model (may equal --model).") var output: String
    @Option(help: "Passes over the new text (default: the model's epochs).") var epochs: Int?
    @Option(help: "Starting learning rate (default: the model's).") var alpha: Float?
    @Option(help: "Also write the updated word vectors here (word2vec format).") var vectors: String?
    @Flag(inversion: .prefixedNo, help: "Write --vectors in the binary word2vec format (default: for a name ending in .bin).")
    var binary: Bool?
    @Flag(help: "No progress output.") var quiet = false
    @OptionGroup var tokenizing: TokenizerOptions

    func run() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        try TextFileCorpus(path: input).checkReadable()
        let old = try Model(contentsOf: model)
        let corpus = TextFileCorpus(
            try tokenizing.source(input, continuing: old.configuration, model: model, threads: old.configuration.threads))
        var session = TrainingSession(.update(old, epochs: epochs, learningRate: alpha))
        session.outputs.model = output
        session.outputs.wordVectors = vectors.map { .init(path: $0, format: vectorFormat(for: $0, binary: binary)) }
        let quiet = self.quiet
        let reporter = quiet ? nil : ProgressPrinter()
        _ = try session.run(on: corpus) { event in
            if case let .trained(outcome) = event, let updated = outcome.model, !quiet {
                let added = updated.vocabulary.words.filter { old.vocabulary.index(of: $0) == nil }.count
                Output.standardError(
                    "vocabulary: \(old.vocabulary.count) -> \(updated.vocabulary.count) words (\(added) new)\n")
            }
            reporter?.handle(event)
        }
    }
}
