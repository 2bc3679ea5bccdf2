import ArgumentParser
import Word2Vec
import Word2VecCommandLine
import Word2VecItems

/// `word2vec items update`: train an item model further on new sequences or events.
struct ItemsUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Train an item model further on new events: new items get vectors, old ones are kept.",
        discussion: """
            Items are the model's words, so this is word2vec update on item sequences: counts are \
            merged (every item of the new events joins), old items keep their vectors, and earlier \
            sequences sampled in the model file are replayed between the new ones so that the model \
            does not forget them. Each user's new events form one new sequence, also for a user the \
            model has seen: the model keeps no user histories, and the replayed sample ties old items \
            to each other. The learning rate starts at the model's (update's default for text, half \
            of it, cost 5 points of HR@10 on MovieLens-100k; docs/incremental.md). The updated model \
            replaces MODEL unless --save-model names another file.

            Example:
              word2vec items update items.model --events new-ratings.csv \\
                --user-col user_id --item-col movie_id --time-col timestamp \\
                --output items.vec
            """
    )

    @Argument(help: "A model saved by items train --save-model (a finished run).") var model: String
    @OptionGroup var source: ItemInputOptions
    @Option(help: "Where to write the updated model (default: replace MODEL).") var saveModel: String?
    @Option(help: "Also write the item vectors here (word2vec format).") var output: String?
    @Option(help: ArgumentHelp("Passes over the new sequences (default: the model's epochs).", valueName: "n")) var epochs: Int?
    @Option(help: ArgumentHelp("Starting learning rate (default: the model's).", valueName: "alpha")) var alpha: Float?
    @Flag(inversion: .prefixedNo, help: "Write --output in the binary word2vec format (default: for a name ending in .bin).")
    var binary: Bool?
    @Flag(help: "No progress output.") var quiet = false

    func validate() throws {
        if source.hasSideColumns { throw ValidationError("--text-col and --feature-cols feed the user tower, which update drops") }
    }

    func run() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        let modelPath = saveModel ?? model
        try OutputChecks.refuseOverwriting(
            inputs: [(source.flag, source.path)], outputs: [("--save-model", modelPath), ("--output", output)])
        let old = try Model(contentsOf: model)
        guard old.documents == nil else {
            throw Word2VecError.invalidOption("model '\(model)'", "holds document vectors (update it with doc2vec update)")
        }
        let corpus = try source.corpus(quiet: quiet, maxDistinctWords: WordCounts.defaultMaxDistinctWords)
        var session = TrainingSession(.update(old, epochs: epochs, learningRate: alpha ?? old.configuration.initialLearningRate))
        session.outputs.model = modelPath
        session.outputs.wordVectors = output.map { .init(path: $0, format: vectorFormat(for: $0, binary: binary)) }
        let quiet = self.quiet
        let reporter = quiet ? nil : ProgressPrinter(risingLossHint: ItemsTrainCommand.risingLossHint)
        _ = try session.run(on: corpus) { event in
            if case let .trained(outcome) = event, let updated = outcome.model, !quiet {
                let added = updated.vocabulary.words.filter { old.vocabulary.index(of: $0) == nil }.count
                Output.standardError("items: \(old.vocabulary.count) -> \(updated.vocabulary.count) (\(added) new)\n")
            }
            reporter?.handle(event)
        }
    }
}
