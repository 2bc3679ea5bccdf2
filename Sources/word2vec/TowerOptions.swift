import ArgumentParser
import Word2Vec
import Word2VecItems

/// The user tower's flags, shared by `items train` and `items evaluate`.
struct TowerOptions: ParsableArguments {
    /// The library's settings, whose values the numeric flags default to.
    private static let defaults = TowerConfiguration()
    /// `--tower-samples`' default: the default loss's, or (were the default the full softmax, which
    /// draws none) a size for a user who asks for `--tower-loss sampled`.
    private static let defaultSamples: Int = {
        if case let .sampledSoftmax(samples) = defaults.loss { return samples }
        return 200
    }()

    @Flag(help: "Also train a user tower on the item vectors (YouTube's candidate generator; see docs/items.md).")
    var tower = false
    @Option(help: ArgumentHelp("Tower passes over the training examples.", valueName: "N")) var towerEpochs = Self.defaults.epochs
    @Option(help: ArgumentHelp("Tower Adam rate at the start (falls linearly to 1e-4 of it).", valueName: "rate"))
    var towerAlpha = Self.defaults.learningRate
    @Option(help: ArgumentHelp("Widths of the tower's ReLU layers, 1 to 3, comma-separated.", valueName: "widths"))
    var towerHidden = "256"
    @Option(help: ArgumentHelp("History summaries the tower reads, comma-separated: last, decayed, mean.", valueName: "list"))
    var towerInputs = "last,decayed,mean"
    @Option(help: ArgumentHelp("Half-life in items of the tower's decayed mean.", valueName: "H")) var towerHalfLife = Self.defaults.inputs.halfLife ?? 1
    @Option(help: ArgumentHelp("Tower objective: softmax (over every item) or sampled (sampled softmax, --tower-samples items).",
                               valueName: "loss"))
    var towerLoss = "sampled"
    @Option(help: ArgumentHelp("Items drawn per example by --tower-loss sampled.", valueName: "N")) var towerSamples = Self.defaultSamples
    @Option(help: ArgumentHelp("The tower's text and feature inputs average the last N events of the history (--text-col, --feature-cols).",
                               valueName: "N"))
    var towerSideWindow = Self.defaults.sideWindow
    @Flag(help: "Start the tower's item embeddings from random rows instead of the trained item vectors.")
    var towerRandomStart = false

    /// The first tower flag given a value other than its default, which needs --tower.
    private var stray: String? {
        let given: [(String, Bool)] = [
            ("--tower-epochs", towerEpochs != Self.defaults.epochs), ("--tower-alpha", towerAlpha != Self.defaults.learningRate),
            ("--tower-hidden", towerHidden != "256"), ("--tower-inputs", towerInputs != "last,decayed,mean"),
            ("--tower-half-life", towerHalfLife != Self.defaults.inputs.halfLife ?? 1), ("--tower-loss", towerLoss != "sampled"),
            ("--tower-samples", towerSamples != Self.defaultSamples), ("--tower-random-start", towerRandomStart),
            ("--tower-side-window", towerSideWindow != Self.defaults.sideWindow),
        ]
        return given.first { $0.1 }?.0
    }

    func validate() throws {
        if !tower, let stray { throw ValidationError("\(stray) needs --tower") }
        if tower { _ = try configuration(threads: 1, seed: 1) }
    }

    /// The library's tower settings from the flags. Errors name the flag.
    func configuration(threads: Int, seed: UInt64) throws -> TowerConfiguration {
        var configuration = TowerConfiguration()
        configuration.epochs = towerEpochs
        configuration.learningRate = towerAlpha
        configuration.threads = threads
        configuration.seed = seed
        configuration.startFromItemVectors = !towerRandomStart
        configuration.sideWindow = towerSideWindow
        var hidden: [Int] = []
        for part in towerHidden.split(separator: ",", omittingEmptySubsequences: false) {
            guard let width = Int(part), width >= 1 else {
                throw ValidationError("--tower-hidden must be 1 to 3 positive widths separated by commas (got '\(towerHidden)')")
            }
            hidden.append(width)
        }
        configuration.hidden = hidden
        var inputs = TowerConfiguration.Inputs(last: false, halfLife: nil, mean: false)
        for part in towerInputs.split(separator: ",", omittingEmptySubsequences: false) {
            switch part {
            case "last": inputs.last = true
            case "decayed": inputs.halfLife = towerHalfLife
            case "mean": inputs.mean = true
            default: throw ValidationError("--tower-inputs takes last, decayed and mean, comma-separated (got '\(part)')")
            }
        }
        configuration.inputs = inputs
        switch towerLoss {
        case "softmax": configuration.loss = .softmax
        case "sampled": configuration.loss = .sampledSoftmax(samples: towerSamples)
        default: throw ValidationError("--tower-loss must be softmax or sampled (got '\(towerLoss)')")
        }
        do {
            try configuration.validate()
        } catch let Word2VecError.invalidConfiguration(setting, problem) {
            let flags = [
                "TowerConfiguration.hidden": "--tower-hidden", "TowerConfiguration.inputs": "--tower-inputs",
                "TowerConfiguration.inputs.halfLife": "--tower-half-life", "TowerConfiguration.loss.samples": "--tower-samples",
                "TowerConfiguration.epochs": "--tower-epochs", "TowerConfiguration.learningRate": "--tower-alpha",
                "TowerConfiguration.threads": "--threads", "TowerConfiguration.sideWindow": "--tower-side-window",
            ]
            throw ValidationError("\(flags[setting] ?? setting) \(problem)")
        }
        return configuration
    }

    /// Trains the tower on `sequences` for `model`, printing each pass's loss unless `quiet`.
    func train(model: Model, sequences: [[String]], side: TowerSideInputs? = nil, threads: Int, seed: UInt64, quiet: Bool) throws -> UserTower {
        let configuration = try configuration(threads: threads, seed: seed)
        let started = ContinuousClock.now
        let tower = try TowerTrainer.train(model: model, sequences: sequences, side: side, configuration: configuration) { epoch in
            guard !quiet else { return }
            let seconds = (ContinuousClock.now - started).components
            Output.standardError(String(cFormat: "tower epoch %d/%d: loss %.4f over %d examples, %.1f s\n",
                                        epoch.epoch, epoch.epochs, epoch.loss, epoch.examples,
                                        Double(seconds.seconds) + Double(seconds.attoseconds) * 1e-18))
        }
        if !quiet, !tower.fields.isEmpty {
            Output.standardError("tower side inputs: \(tower.fields.joined(separator: ", ")); \(tower.tokens.count) distinct tokens\n")
        }
        return tower
    }
}
