import ArgumentParser
import Word2Vec

extension KMeansConfiguration.Initialization: ExpressibleByArgument {}

/// `word2vec classes`: k-means word classes for an existing vector file, as `train --classes` writes
/// them for freshly trained vectors.
struct ClassesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classes",
        abstract: "Group the words of a vector file into K classes by k-means ('word<TAB>class' lines).",
        discussion: """
            Reads the word2vec text or binary format (detected automatically). Clusters by cosine \
            direction like the original tool's -classes: spherical k-means that never increases the \
            sum over words of |v| (1 - cos(v, centroid)).

            Examples:
              word2vec classes vectors.bin --k 500 --output classes.txt
              word2vec classes vectors.bin --k 50 --output - | sort -t $'\\t' -k2,2n
            """
    )

    @Argument(help: "Vector file in the word2vec text or binary format, or a model file; - for standard input.")
    var vectors: String
    @Option(name: .customLong("k"), help: "Number of classes.") var k: Int
    @Option(help: "Where to write 'word<TAB>class' lines (- for standard output).") var output: String
    @Option(help: "Most k-means iterations (stops early when no word moves).") var iterations = 10
    @Option(name: .customLong("init"), help: "kmeans++ or round-robin (the C tool's start).")
    var initialization: KMeansConfiguration.Initialization = .kMeansPlusPlus
    @Option(help: "Seed of the k-means++ draws.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Threads of the assignment step (default: the number of CPUs).", valueName: "n"))
    var threads: Int?
    @Flag(help: "No progress output.") var quiet = false

    func run() throws {
        var configuration = KMeansConfiguration(clusters: k)
        configuration.maxIterations = iterations
        configuration.initialization = initialization
        configuration.seed = seed
        configuration.threads = threads ?? defaultThreadCount
        try ErrorMessages.renaming(Self.flags) { try configuration.validate(points: max(k, 1)) }
        try OutputChecks.refuseOverwriting(inputs: [("vectors", vectors)], outputs: [("--output", output)])
        let writer = try WordClassesWriter(path: output)
        let embeddings = try Embeddings.load(path: vectors)
        try ErrorMessages.renaming(Self.flags) { try configuration.validate(points: embeddings.count) }
        let classes = try WordClasses(embeddings: embeddings, configuration: configuration)
        try writer.write(classes)
        if !quiet { ClassesCommand.report(classes.clustering, output: output) }
    }

    /// The flag here of the library's `clusters` setting (train calls it `--classes`).
    static let flags = ["KMeansConfiguration.clusters": "--k"]

    /// One line on stderr: iterations and the objective's first and last values.
    static func report(_ result: KMeansResult, output: String) {
        let first = result.objectiveHistory.first ?? 0
        let iterations = "\(result.iterations) iteration\(result.iterations == 1 ? "" : "s")"
        let objective = String(cFormat: "%.6g -> %.6g", first, result.objective)
        Output.standardError(
            "k-means: \(iterations), objective \(objective)\(result.converged ? " (converged)" : "")\nwrote \(displayName(output))\n")
    }
}
