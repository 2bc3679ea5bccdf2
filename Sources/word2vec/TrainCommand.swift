import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Word2Vec
import Word2VecCommandLine
import Word2VecTokenization


struct TrainCommand: ParsableCommand, ResumableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train word vectors on a text file (whitespace-separated words, one sentence per line).",
        discussion: """
            Context never crosses a line. Warnings on stderr tell when the text gives little to learn \
            from: most lines hold a single word, most of the text falls below --min-count, or lines \
            are longer than --max-sentence-length and get split.

            Other tools' names work too: the C tool's (-train -output -size -window -cbow 1 -hs 1 \
            -binary 1 -iter ...), fastText's (-input -dim -ws -epoch -minCount -lr -thread -neg -t \
            -loss ns|hs, and 'word2vec skipgram|cbow -input F -output P', which writes P.vec and \
            P.model) and gensim's (--vector-size, --sg 0|1, --hs 0|1, --workers, --iter, --min-alpha, \
            --cbow-mean 0|1, --max-final-vocab, --min_count with underscores ...).

            --input, --output and --save-vocab take - for standard input or output.

            Examples:
              word2vec train --input text.txt --output v.bin --binary --model skipgram
              word2vec train --input t.txt --save-model t.model --checkpoint-every 600
              zcat text.gz | word2vec train --input - --output - --quiet > vectors.txt
            """
    )

    @Option(help: "Training text, UTF-8 (plain or gzip); - for standard input.") var input: String?
    @Option(help: "Where to write the vectors; - for standard output.") var output: String?
    @Option(help: "Where to write the model file (for queries, --resume and update).") var saveModel: String?
    @OptionGroup var resuming: ResumeOptions
    @OptionGroup var options: TrainingOptions<WordTrainingDefaults>
    @OptionGroup var tokenizing: TokenizerOptions
    @Option(help: "Write the vocabulary ('word<TAB>count' lines, most frequent first).") var saveVocab: String?
    @Option(help: "Read the vocabulary from a file instead of counting the input.") var readVocab: String?
    @Option(help: "Write 'word<TAB>class' lines of this many k-means classes instead of the vectors (0 = vectors).")
    var classes = 0

    /// All training options but the output format and --quiet, and the vocabulary files, which a
    /// resumed run does not read or write.
    var settingsTakenFromTheModel: Set<String> {
        ResumeOptions.flags(of: options).subtracting(["--binary", "--quiet"]).union(["--save-vocab", "--read-vocab"])
    }

    func run() throws {
        if let resume = resuming.resume { return try resumeRun(from: resume) }
        var configuration = options.configuration
        try configuration.validate()
        tokenizing.record(in: &configuration)
        guard let input else { throw ValidationError("--input is required (or --resume MODEL)") }
        try OutputChecks.refuseOverwriting(inputs: [("--input", input), ("--read-vocab", readVocab)], outputs: [("--output", output), ("--save-vocab", saveVocab), ("--save-model", saveModel)])
        guard output != nil || saveVocab != nil || saveModel != nil else {
            throw ValidationError("--output or --save-model is required (or --save-vocab to only count words)")
        }
        var session = TrainingSession(.new(configuration))
        session.checkpointInterval = try resuming.checkpointInterval(modelPath: saveModel)
        let corpus = TextFileCorpus(
            tokenizing.source(input, threads: configuration.threads), maxDistinctWords: options.maxDistinctWords)
        try corpus.checkReadable()
        session.vocabularyFile = readVocab
        session.outputs = outputs(modelPath: saveModel, threads: configuration.threads)
        session.outputs.vocabulary = saveVocab
        try run(session, on: corpus)
    }

    /// `--resume M`: the configuration and state come from M; the text from `--input` or the path
    /// stored in M. The finished model replaces M unless `--save-model` names another file.
    private func resumeRun(from path: String) throws {
        let model = try Model(contentsOf: path)
        let modelPath = saveModel ?? path
        let input = try ResumeOptions.input(self.input, of: model, data: "text")
        try OutputChecks.refuseOverwriting(
            inputs: [("--input", input)], outputs: [("--save-model", modelPath), ("--output", output)])
        let corpus = TextFileCorpus(
            try tokenizing.source(input, continuing: model.configuration, model: path, threads: model.configuration.threads))
        try corpus.checkReadable()
        var session = TrainingSession(.resume(model))
        session.outputs = outputs(modelPath: modelPath, threads: model.configuration.threads)
        session.checkpointInterval = try resuming.checkpointInterval(modelPath: modelPath)
        try run(session, on: corpus, announcing: options.quiet ? nil : path)
    }

    /// `--output` (vectors, or with `--classes` word classes) and the model file.
    private func outputs(modelPath: String?, threads: Int) -> TrainingSession.Outputs {
        var outputs = TrainingSession.Outputs()
        outputs.model = modelPath
        if let output, classes == 0 {
            outputs.wordVectors = .init(path: output, format: vectorFormat(for: output, binary: options.binary))
        } else if let output {
            var clustering = KMeansConfiguration(clusters: classes)
            clustering.seed = options.seed
            clustering.threads = threads
            outputs.wordClasses = .init(path: output, clustering: clustering)
        }
        return outputs
    }

    /// Runs `session`, printing its warnings and, unless `--quiet`, its progress; `announcing`: the
    /// model file a resumed run continues.
    private func run(_ session: TrainingSession, on corpus: TextFileCorpus, announcing resumed: String? = nil) throws {
        let reporter = options.quiet ? nil : ProgressPrinter()
        let classesPath = session.outputs.wordClasses?.path
        let outcome = try session.run(on: corpus) { event in
            switch event {
            case .started:
                if case let .resume(model) = session.start, let resumed { ResumeOptions.announce(model, from: resumed) }
            case let .counted(vocabulary, counts, warnings):
                TrainingWarnings.print(warnings)
                reporter?.vocabulary(vocabulary, prunedBelow: counts?.prunedBelow ?? 0)
            case let .wrote(path) where path == classesPath:
                break
            default:
                reporter?.handle(event)
            }
        }
        if let wordClasses = outcome.wordClasses, let output, !options.quiet {
            ClassesCommand.report(wordClasses.clustering, output: output)
        }
    }
}
