import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Word2Vec
import Word2VecCommandLine

struct MPITrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train word vectors on a text file, each MPI rank reading its own part of it.",
        discussion: """
            Every rank needs the same file at the same path (a shared file system or a copy per \
            node). The vocabulary is counted collectively and equals word2vec train's; the ranks \
            combine their weight changes (--combine: summed for 2 ranks, by word frequency for \
            more) every --sync-words words each, the most frequent words' rows more often, and at \
            the end of every epoch; every rank ends with the same weights and rank 0 writes the \
            outputs. --threads defaults to the cores per rank on its node.

            Example:
              mpirun -np 4 word2vec-mpi train --input text.txt --output vectors.bin --binary
            """
    )

    @Option(help: "Training text, UTF-8 (plain or gzip), the same file on every rank.") var input: String
    @Option(help: "Where rank 0 writes the vectors.") var output: String?
    @Option(help: "Where rank 0 writes the model file.") var saveModel: String?
    @Option(help: "Write the vocabulary ('word<TAB>count' lines, most frequent first).") var saveVocab: String?
    @Option(help: "Words each rank trains between two rounds that combine every row.")
    var syncWords = DataParallelTrainer.defaultWordsPerSynchronization
    @Option(help: ArgumentHelp(
        "How rounds combine the ranks' weight changes: sum (as threads sharing a model), frequency (frequent words' rows averaged, rare words' rows summed) or mean (model averaging). Default: sum for 2 ranks, frequency for more.",
        valueName: "how"))
    var combine: WeightCombination?
    @Option(help: "Rows of the most frequent words combined more often, every --frequent-sync-words words (0: never).")
    var frequentRows = DataParallelTrainer.defaultFrequentRows
    @Option(help: "Words each rank trains between two rounds of the frequent rows.")
    var frequentSyncWords = DataParallelTrainer.defaultWordsPerFrequentSynchronization
    @OptionGroup var options: TrainingOptions<WordTrainingDefaults>

    func run() throws {
        let collective = Word2VecMPI.collective!
        let rank0 = collective.rank == 0
        var configuration = options.configuration
        if options.threads == nil {
            // mpirun tells each rank how many ranks share its node.
            let local = getenv("OMPI_COMM_WORLD_LOCAL_SIZE").flatMap { Int(String(cString: $0)) } ?? 1
            configuration.threads = max(1, configuration.threads / max(local, 1))
        }
        try configuration.validate()
        guard syncWords > 0 else { throw ValidationError("--sync-words must be positive (got \(syncWords))") }
        guard output != nil || saveModel != nil else { throw ValidationError("--output or --save-model is required") }
        guard input != "-" else { throw ValidationError("--input - is not possible: mpirun passes standard input to rank 0 only") }
        for (flag, path) in [("--output", output), ("--save-model", saveModel), ("--save-vocab", saveVocab)] where path == input {
            throw ValidationError("\(flag) names the --input file '\(input)', which would be replaced")
        }
        let corpus = TextFileCorpus(path: input, maxDistinctWords: options.maxDistinctWords)
        try corpus.checkReadable()
        // A rank reading another text would train on parts that do not fit together.
        var size = stat()
        let bytes = stat(input, &size) == 0 ? Int64(size.st_size) : -1
        let sizes = try collective.allGather(withUnsafeBytes(of: bytes.littleEndian) { Array($0) })
            .map { $0.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) } }
        if sizes[collective.rank] != sizes[0] {
            throw Word2VecError.unreadableFile(input, reason: "it has \(sizes[collective.rank]) bytes on rank \(collective.rank) but \(sizes[0]) on rank 0")
        }
        var parallel = DataParallelTrainer(configuration: configuration, collective: collective, wordsPerSynchronization: syncWords)
        // Summing overshoots on rows that every rank changes often by K - 1 times their move: with
        // 2 ranks that does not grow from round to round, with more it does (docs/distributed.md).
        parallel.combination = combine ?? (collective.size <= 2 ? .sum : .frequency)
        parallel.frequentRows = frequentRows
        parallel.wordsPerFrequentSynchronization = frequentSyncWords
        var session = TrainingSession(.new(configuration))
        session.engine = .dataParallel(parallel)
        session.outputs.model = saveModel
        session.outputs.wordVectors = output.map { .init(path: $0, format: vectorFormat(for: $0, binary: options.binary)) }
        session.outputs.vocabulary = saveVocab

        let start = Self.now()
        let quiet = options.quiet || !rank0, ranks = collective.size
        let report: @Sendable (TrainingEvent) -> Void = { event in
            guard case let .epochFinished(summary) = event else { return }
            let line = "epoch \(summary.epoch + 1)/\(summary.epochs): loss \(summary.meanLoss), "
                + "\(Int(summary.wordsPerSecond)) words/s, \(MPITrainCommand.seconds(summary.elapsedSeconds))\n"
            FileOutput.error(line)
        }
        // Rank 0 alone writes files (the session claims them there only), and says so unless --quiet.
        let wroteQuiet = options.quiet
        _ = try session.run(on: corpus) { event in
            switch event {
            case let .counted(vocabulary, counts, _):
                if !quiet {
                    FileOutput.error("vocabulary: \(vocabulary.count) words, \(counts?.tokenCount ?? 0) tokens, counted by \(ranks) ranks in \(Self.seconds(Self.now() - start))\n")
                }
            case let .training(event):
                if !quiet { report(event) }
            case let .trained(outcome):
                guard !quiet, let statistics = outcome.synchronization else { break }
                let elapsed = Self.now() - start
                let megabytes = Double(statistics.bytesPerRound) / 1e6
                FileOutput.error("synchronisation: \(statistics.rounds) rounds of \(megabytes.formatted1) MB each, \(Self.seconds(statistics.seconds)) of \(Self.seconds(elapsed)) on rank 0 (\(Self.seconds(statistics.collectiveSeconds)) in MPI calls, \(Self.seconds(statistics.waitingSeconds)) of it waiting for the other ranks)"
                    + (statistics.frequentRounds > 0 ? ", and \(statistics.frequentRounds) rounds of the frequent rows (\(Double(statistics.bytesPerFrequentRound / 1000) / 1000) MB each)" : "") + "\n")
            case let .wrote(path):
                if !wroteQuiet { FileOutput.error("wrote \(path)\n") }
            case .started:
                break
            }
        }
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func seconds(_ value: Double) -> String { "\((value * 10).rounded() / 10) s" }
}

extension Double {
    var formatted1: String { "\((self * 10).rounded() / 10)" }
}

extension WeightCombination: @retroactive ExpressibleByArgument {}
