import Word2Vec

/// How the command line tells a `TrainingWarning`: on standard error, settings named by their flags.
enum TrainingWarnings {
    /// Prints each of `warnings` as `word2vec: warning: ...`, also under `--quiet`: they say the
    /// result may be worth little, which a quiet run needs to know most.
    static func print(_ warnings: [TrainingWarning]) {
        for warning in warnings {
            Output.standardError("word2vec: warning: \(ErrorMessages.renamingSettings(in: warning.description))\n")
        }
    }
}
