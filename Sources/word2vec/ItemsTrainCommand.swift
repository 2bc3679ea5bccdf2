import ArgumentParser
import Word2Vec
import Word2VecCommandLine
import Word2VecItems

struct ItemsTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train item vectors on item sequences or an interaction log.",
        discussion: """
            Examples:
              word2vec items train --input sessions.txt --output items.vec
              word2vec items train --events ratings.csv --user-col user_id \\
                --item-col movie_id \\
                --time-col timestamp --output items.vec --save-model items.model

            Defaults differ from train's: skip-gram, every item kept (--min-count 1), no subsampling, \
            the whole sequence as context (--window full) with each item predicted from 20 items \
            drawn from it (--context-samples 20; 0 = every other item, quadratic in the sequence's \
            length), --alpha 0.1, --ns-exponent -0.5 and 15 epochs, chosen on MovieLens-100k \
            (Benchmarks/README.md), where a wider window was better at every step (5, 20, 50, \
            full). --window N with a number shrinks like word2vec unless --no-shrink-window.

            --tower also trains a user tower (YouTube's candidate generator) on the item vectors and \
            stores it in the --save-model file, which items recommend and items evaluate --vectors \
            then rank with: the last item, a recency-decayed mean and the mean of the history go \
            through ReLU layers to a user vector scored against every item (docs/items.md).
            """
    )

    @OptionGroup var source: ItemInputOptions
    @Option(help: "Where to write the item vectors (word2vec format).") var output: String?
    @Option(help: "Where to write the model file (for items recommend and queries).") var saveModel: String?
    @OptionGroup var options: TrainingOptions<ItemTrainingDefaults>
    @OptionGroup var towerOptions: TowerOptions

    func validate() throws {
        if towerOptions.tower, saveModel == nil { throw ValidationError("--tower needs --save-model (the tower is stored in the model file)") }
        if source.hasSideColumns, !towerOptions.tower {
            throw ValidationError("\(source.textCol != nil ? "--text-col" : "--feature-cols") feeds the user tower: add --tower")
        }
    }

    /// Measured with the defaults on item sequences: the epoch loss rose every epoch while the vectors'
    /// norms grew; with --window 5 it fell.
    static let risingLossHint = "with --window full items are predicted from items anywhere in their sequence, most of "
        + "them unpredictable, so this is expected; judge the vectors with 'word2vec items evaluate' (held-out last items)"

    func run() throws {
        let configuration = options.configuration
        try configuration.validate()
        guard output != nil || saveModel != nil else { throw ValidationError("--output or --save-model is required") }
        try OutputChecks.refuseOverwriting(
            inputs: [(source.flag, source.path)], outputs: [("--output", output), ("--save-model", saveModel)])
        // The tower learns from the sequences in memory; item2vec alone streams --input.
        let read = towerOptions.tower ? try source.sequencesAndSide(quiet: options.quiet) : nil
        let sequences = read?.sequences
        let corpus = try sequences.map { InMemoryCorpus(sentences: $0) }
            ?? source.corpus(quiet: options.quiet, maxDistinctWords: options.maxDistinctWords)
        var session = TrainingSession(.new(configuration))
        session.outputs.model = saveModel
        session.outputs.wordVectors = output.map { .init(path: $0, format: vectorFormat(for: $0, binary: options.binary)) }
        let reporter = options.quiet ? nil : ProgressPrinter(risingLossHint: Self.risingLossHint)
        // No warnings about the text: an item alone in its sequence, or most items seen once, is
        // what interaction logs look like.
        let outcome = try session.run(on: corpus) { [tower = towerOptions.tower, saveModel] event in
            if case let .counted(vocabulary, counts, _) = event {
                reporter?.vocabulary(vocabulary, prunedBelow: counts?.prunedBelow ?? 0)
            } else if case let .wrote(path) = event, tower, path == saveModel {
                // Written again below with the tower.
            } else {
                reporter?.handle(event)
            }
        }
        if let sequences, let model = outcome.model, let saveModel {
            let tower = try towerOptions.train(
                model: model, sequences: sequences, side: read?.side, threads: configuration.threads, seed: configuration.seed, quiet: options.quiet)
            model.attach(tower)
            try model.save(to: saveModel)
            reporter?.finished(saveModel)
        }
    }
}
