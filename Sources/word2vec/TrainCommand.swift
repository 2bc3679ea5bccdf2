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
        let checkpointing = try resuming.checkpointing(modelPath: saveModel)
        try tokenizing.prepare(input, threads: configuration.threads)
        let corpus = TextFileCorpus(path: input, maxDistinctWords: options.maxDistinctWords)
        try corpus.checkReadable()
        // Claimed before any long work so that an unwritable path fails at once.
        let writer = try output.flatMap { classes == 0 ? try EmbeddingsWriter(path: $0, format: vectorFormat(for: $0, binary: options.binary)) : nil }
        let classesWriter = try output.flatMap { classes != 0 ? try WordClassesWriter(path: $0) : nil }
        if let saveModel { try OutputFiles.checkWritable(saveModel) }
        let trainer = Trainer(configuration: configuration)
        let vocabulary: Vocabulary
        var rareWords: CountedWords? = nil
        if let readVocab {
            vocabulary = try Vocabulary.read(
                from: readVocab, minCount: configuration.minCount, maxSize: configuration.maxVocabularySize)
            guard vocabulary.count > 0 else {
                throw Word2VecError.noWordReachesMinCount(readVocab, minCount: configuration.minCount)
            }
        } else {
            let counts = try corpus.countWords(threads: configuration.threads)
            (vocabulary, rareWords) = try trainer.buildVocabulary(counts: counts, source: corpus.name)
            TrainingWarnings.report(counts: counts, vocabulary: vocabulary, configuration: configuration, source: corpus.name)
        }
        let reporter = options.quiet ? nil : ProgressPrinter()
        reporter?.vocabulary(vocabulary, prunedBelow: corpus.prunedBelow)
        if let saveVocab { try vocabulary.write(to: saveVocab) }
        guard output != nil || saveModel != nil else { return }
        let model = try trainer.train(
            corpus: corpus, vocabulary: vocabulary, rareWords: rareWords, progress: reporter?.report,
            checkpoint: checkpointing)
        try finish(model, writer: writer, classesWriter: classesWriter, modelPath: saveModel, reporter: reporter)
    }

    /// `--resume M`: the configuration and state come from M; the text from `--input` or the path
    /// stored in M. The finished model replaces M unless `--save-model` names another file.
    private func resumeRun(from path: String) throws {
        let model = try Model(contentsOf: path)
        let modelPath = saveModel ?? path
        let input = try ResumeOptions.input(self.input, of: model, data: "text")
        try OutputChecks.refuseOverwriting(
            inputs: [("--input", input)], outputs: [("--save-model", modelPath), ("--output", output)])
        try tokenizing.prepare(input, continuing: model.configuration, model: path, threads: model.configuration.threads)
        let corpus = TextFileCorpus(path: input)
        try corpus.checkReadable()
        let writer = try output.flatMap { classes == 0 ? try EmbeddingsWriter(path: $0, format: vectorFormat(for: $0, binary: options.binary)) : nil }
        let classesWriter = try output.flatMap { classes != 0 ? try WordClassesWriter(path: $0) : nil }
        try OutputFiles.checkWritable(modelPath)
        let reporter = options.quiet ? nil : ProgressPrinter()
        let trained = try resuming.resume(model, from: path, corpus: corpus, modelPath: modelPath, reporter: reporter)
        try finish(trained, writer: writer, classesWriter: classesWriter, modelPath: modelPath, reporter: reporter)
    }

    private func finish(
        _ model: Model, writer: EmbeddingsWriter?, classesWriter: WordClassesWriter?, modelPath: String?,
        reporter: ProgressPrinter?
    ) throws {
        if let modelPath {
            try model.save(to: modelPath)
            reporter?.finished(modelPath)
        }
        if let classesWriter, let output {
            var clustering = KMeansConfiguration(clusters: classes)
            clustering.seed = options.seed
            clustering.threads = model.configuration.threads
            try clustering.validate(points: model.vocabulary.count)
            let wordClasses = try WordClasses(embeddings: model.embeddings, configuration: clustering)
            try classesWriter.write(wordClasses)
            if !options.quiet { ClassesCommand.report(wordClasses.clustering, output: output) }
        }
        if let writer, let output {
            try writer.write(model.embeddings)
            reporter?.finished(output)
        }
    }
}
