import ArgumentParser
import Word2Vec
import Word2VecTokenization

extension Tokenizer: ExpressibleByArgument {}

/// `--tokenizer`, `--nfkc` and `--lowercase`, shared by every command that reads raw text.
struct TokenizerOptions: ParsableArguments {
    @Option(help: """
        whitespace (the text is already split into words), icu (ICU word breaking with its \
        Chinese/Japanese dictionary; punctuation dropped) or icu-merged (icu, then a piece and a \
        following single character joined where the text itself shows they belong together: names, \
        new words, numbers with their unit; reads the text twice). Default: whitespace (tokenize: icu), or for a model's new \
        text what the model was trained with.
        """)
    var tokenizer: Tokenizer?
    @Flag(inversion: .prefixedNo, help: "Normalise to NFKC first: full-width letters and digits become ASCII (default: on with --tokenizer icu or icu-merged).")
    var nfkc: Bool?
    @Flag(help: "Lowercase every word (Unicode case mapping) as the text is read. Default: off, or for a model's new text what the model was trained with.")
    var lowercase = false

    /// - Parameter defaultTokenizer: the tokenizer without `--tokenizer`.
    func segmenter(threads: Int?, keepsTagField: Bool = false, defaultTokenizer: Tokenizer = .whitespace) -> TextSegmenter {
        TextSegmenter(
            tokenizer: tokenizer ?? defaultTokenizer, nfkc: nfkc, threads: threads ?? TrainingConfiguration().threads,
            keepsTagField: keepsTagField, lowercase: lowercase)
    }

    /// The text of `path` as the command reads it: cut by these options (the file itself for plain
    /// whitespace).
    func source(_ path: String, threads: Int?, keepsTagField: Bool = false) -> TextSource {
        segmenter(threads: threads, keepsTagField: keepsTagField).source(path)
    }

    /// Records in a new run's configuration how its text is cut, for resuming and updating.
    func record(in configuration: inout TrainingConfiguration) {
        let segmenter = segmenter(threads: 1)
        configuration.tokenizer = segmenter.tokenizer
        configuration.nfkc = segmenter.nfkc
        configuration.lowercase = segmenter.lowercase
    }

    /// The text of `path` cut as the model's training text was: by the tokenizer, NFKC and lowercase
    /// settings recorded in the model, or these options for a model that records none.
    /// - Throws: `Word2VecError.invalidOption` naming the flag if it contradicts the model.
    func source(
        _ path: String, continuing recorded: TrainingConfiguration, model: String, threads: Int?,
        keepsTagField: Bool = false
    ) throws -> TextSource {
        var segmenter = segmenter(threads: threads, keepsTagField: keepsTagField)
        if let recordedTokenizer = recorded.tokenizer {
            if let tokenizer, tokenizer != recordedTokenizer {
                throw Word2VecError.invalidOption(
                    "--tokenizer", "contradicts the model: '\(model)' was trained with --tokenizer \(recordedTokenizer.rawValue), and its new text must be cut the same way (leave --tokenizer out)")
            }
            segmenter = TextSegmenter(
                tokenizer: recordedTokenizer, nfkc: nfkc, threads: segmenter.threads, keepsTagField: keepsTagField,
                lowercase: recorded.lowercase)
            // Recorded with the tokenizer: a model that records one but not lowercase was trained
            // on text as it was.
            if lowercase, !recorded.lowercase {
                throw Word2VecError.invalidOption(
                    "--lowercase", "contradicts the model: '\(model)' was trained on text that was not lowercased, and its new text must be cut the same way (leave --lowercase out)")
            }
        }
        if let recorded = recorded.nfkc {
            if let nfkc, nfkc != recorded {
                throw Word2VecError.invalidOption(
                    nfkc ? "--nfkc" : "--no-nfkc", "contradicts the model: '\(model)' was trained \(recorded ? "with" : "without") NFKC normalisation, and its new text must be normalised the same way (leave the flag out)")
            }
            segmenter.nfkc = recorded
        }
        return segmenter.source(path)
    }
}

/// `word2vec tokenize`: raw text in, whitespace-separated words out.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Split raw text (Chinese, Japanese, any script) into space-separated words, one line per input line.",
        discussion: """
            The default --tokenizer is icu here (whitespace would copy the text unchanged). With \
            --tokenizer icu, Chinese and Japanese are segmented with ICU's dictionary \
            (我爱北京天安门 -> 我 爱 北京 天安门), other scripts at spaces and punctuation; \
            punctuation and symbols are dropped. --tokenizer icu-merged then joins a piece \
            and a following single character where the whole text shows they belong together \
            (word2phrase's score over ICU's pieces), which finds names and words missing from the \
            dictionary. train, phrases and doc2vec take the same \
            --tokenizer option and segment their input themselves. --input and --output take - for \
            standard input or output.

            Examples:
              word2vec tokenize --tokenizer icu --input zh.txt --output zh.words.txt
              zcat zh.txt.gz | word2vec tokenize --tokenizer icu --input - --output - |
                word2vec phrases --input - --output -
            """
    )

    @Option(help: "Raw text, UTF-8 (plain or gzip); - for standard input.") var input: String
    @Option(help: "Where to write the words; - for standard output.") var output: String
    @OptionGroup var tokenizing: TokenizerOptions
    @Flag(help: "Keep each line's text before its first TAB as it is (doc2vec TAGS fields).") var keepTags = false
    @Option(help: ArgumentHelp("Worker threads (default: the number of CPUs).", valueName: "n")) var threads: Int?

    func run() throws {
        if let threads, threads < 1 || threads > 1024 {
            throw Word2VecError.invalidOption("--threads", "must be in 1...1024 (got \(threads))")
        }
        try OutputChecks.refuseOverwriting(inputs: [("--input", input)], outputs: [("--output", output)])
        let writer = try CorpusFileWriter(path: output)
        try tokenizing.segmenter(threads: threads, keepsTagField: keepTags, defaultTokenizer: .icu)
            .segment(fileAt: input, writingTo: writer)
    }
}
