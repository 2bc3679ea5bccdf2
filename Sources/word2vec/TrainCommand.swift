import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Word2Vec

extension TrainingConfiguration.Architecture: ExpressibleByArgument {}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train word vectors on a text file (whitespace-separated words, one sentence per line)."
    )

    @Option(help: "Training text, UTF-8.") var input: String
    @Option(help: "Where to write the vectors.") var output: String?
    @Option(help: "cbow or skipgram.") var model: TrainingConfiguration.Architecture = .cbow
    @Flag(help: "Use hierarchical softmax (with --negative 0 for it alone).") var hs = false
    @Option(help: "Negative samples per prediction (0 = off).") var negative = 5
    @Option(help: "Vector dimension.") var dim = 100
    @Option(help: "Maximum context distance.") var window = 5
    @Option(help: "Subsampling threshold for frequent words (0 = off).") var sample = 1e-3
    @Option(help: "Ignore words occurring fewer times.") var minCount = 5
    @Option(help: "Keep only the most frequent words.") var maxVocab: Int?
    @Option(help: "Passes over the corpus.") var epochs = 5
    @Option(help: "Starting learning rate (default 0.05 cbow, 0.025 skipgram).") var alpha: Float?
    @Option(help: "Worker threads (default: CPU count).") var threads = defaultThreadCount
    @Option(help: "Random seed; with --threads 1 the output is reproducible.") var seed: UInt64 = 1
    @Flag(help: "CBOW: sum the context vectors instead of averaging them.") var cbowSum = false
    @Option(help: "Exponent of the negative-sampling distribution.") var nsExponent = 0.75
    @Option(help: "Split longer sentences into pieces of this many words.") var maxSentenceLength = 10_000
    @Flag(help: "Write vectors in the binary word2vec format.") var binary = false
    @Option(help: "Write the vocabulary ('word count' lines).") var saveVocab: String?
    @Option(help: "Read the vocabulary from a file instead of counting the input.") var readVocab: String?
    @Flag(help: "No progress output.") var quiet = false
    @Option(help: "Write 'word class' lines of this many k-means classes instead of the vectors (0 = vectors).")
    var classes = 0

    var trainingConfiguration: TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.architecture = model
        configuration.hierarchicalSoftmax = hs
        configuration.negative = negative
        configuration.dimension = dim
        configuration.window = window
        configuration.sample = sample
        configuration.minCount = minCount
        configuration.maxVocabularySize = maxVocab
        configuration.epochs = epochs
        configuration.learningRate = alpha
        configuration.threads = threads
        configuration.seed = seed
        configuration.cbowMean = !cbowSum
        configuration.noiseExponent = nsExponent
        configuration.maxSentenceLength = maxSentenceLength
        return configuration
    }

    func run() throws {
        let configuration = trainingConfiguration
        try configuration.validate()
        guard output != nil || saveVocab != nil else {
            throw ValidationError("--output is required (or --save-vocab to only count words)")
        }
        let corpus = TextFileCorpus(path: input)
        try corpus.checkReadable()
        // Claimed before any long work so that an unwritable path fails at once.
        let writer = try output.flatMap { classes == 0 ? try EmbeddingsWriter(path: $0, format: binary ? .binary : .text) : nil }
        let classesWriter = try output.flatMap { classes != 0 ? try WordClassesWriter(path: $0) : nil }
        let trainer = Trainer(configuration: configuration)
        let vocabulary: Vocabulary
        if let readVocab {
            vocabulary = try Vocabulary.read(
                from: readVocab, minCount: configuration.minCount, maxSize: configuration.maxVocabularySize)
            guard vocabulary.count > 0 else {
                throw Word2VecError.noWordReachesMinCount(readVocab, minCount: configuration.minCount)
            }
        } else {
            vocabulary = try trainer.buildVocabulary(from: corpus)
        }
        let reporter = quiet ? nil : ProgressPrinter()
        reporter?.vocabulary(vocabulary)
        if let saveVocab { try vocabulary.write(to: saveVocab) }
        guard let output else { return }
        if let classesWriter {
            var clustering = KMeansConfiguration(clusters: classes)
            clustering.seed = seed
            clustering.threads = threads
            try clustering.validate(points: vocabulary.count)
            let model = try trainer.train(corpus: corpus, vocabulary: vocabulary, progress: reporter?.report)
            let wordClasses = try WordClasses(embeddings: model.embeddings, configuration: clustering)
            try classesWriter.write(wordClasses)
            if !quiet { ClassesCommand.report(wordClasses.clustering, output: output) }
            return
        }
        guard let writer else { return }
        let model = try trainer.train(corpus: corpus, vocabulary: vocabulary, progress: reporter?.report)
        try writer.write(model.embeddings)
        reporter?.finished(output)
    }
}
