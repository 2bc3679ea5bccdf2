import ArgumentParser
import Word2Vec

/// The command line's reading of library errors: exit statuses by case, and library setting names
/// (`TrainingConfiguration.minCount`) replaced by the flags that set them (`--min-count`).
enum ErrorMessages {
    /// The flag of each library setting that a command sets from a flag of the same meaning: the
    /// training settings' as they declare them (`TrainingConfiguration.settings`), the others' here.
    /// A command whose flag differs for one setting renames it with `renaming(_:_:)`.
    static let flags: [String: String] = trainingFlags.merging([
        "TextFileCorpus.maxDistinctWords": "--max-distinct-words",
        "PhraseConfiguration.minCount": "--min-count",
        "PhraseConfiguration.threshold": "--threshold",
        "PhraseConfiguration.scoring": "--scoring",
        "PhraseConfiguration.maxVocabularySize": "--max-vocab",
        "PhraseConfiguration.delimiter": "--delimiter",
        "PhraseConfiguration.connectorWords": "--common-words",
        "KMeansConfiguration.clusters": "--classes",
        "KMeansConfiguration.maxIterations": "--iterations",
        "KMeansConfiguration.threads": "--threads",
        "TSNEConfiguration.perplexity": "--perplexity",
        "TSNEConfiguration.iterations": "--iterations",
        "TSNEConfiguration.learningRate": "--learning-rate",
        "TSNEConfiguration.earlyExaggeration": "--early-exaggeration",
        "TSNEConfiguration.exaggerationIterations": "--exaggeration-iterations",
        "RecommendationSettings.top": "--top",
        "RecommendationSettings.recent": "--recent",
        "RecommendationSettings.halfLife": "--half-life",
        "Embeddings.load(limit:)": "--limit",
        "TextSegmenter.tokenizer": "--tokenizer",
        "TextSegmenter.nfkc": "--nfkc",
    ]) { training, _ in training }

    private static var trainingFlags: [String: String] {
        Dictionary(uniqueKeysWithValues: TrainingConfiguration.settings.compactMap { setting in
            setting.flag.map { ("TrainingConfiguration." + setting.name, $0) }
        })
    }

    /// `error` as the command line says it: configuration errors name flags, not library settings.
    static func message(for error: Word2VecError) -> String {
        switch error {
        case let .invalidConfiguration(setting, problem):
            "\(flag(for: setting)) \(renamingSettings(in: problem))"
        case let .noWordReachesMinCount(source, minCount):
            "no word in \(WordSpelling.shownPath(source)) occurs at least \(minCount) times (--min-count \(minCount))"
        default:
            error.description
        }
    }

    /// The flag of `setting`, or the setting itself when no flag sets it. A setting written as a flag
    /// (`TrainingConfiguration.--cbow-concat`, from a check that predates these names) is that flag.
    static func flag(for setting: String) -> String {
        if let flag = flags[setting] { return flag }
        if let dot = setting.firstIndex(of: "."), setting[setting.index(after: dot)...].hasPrefix("--") {
            return String(setting[setting.index(after: dot)...])
        }
        return setting
    }

    /// `text` with every setting name that has a flag replaced by the flag.
    static func renamingSettings(in text: String) -> String {
        guard text.contains("Configuration.") || text.contains("Settings.") || text.contains("Segmenter.") else { return text }
        var text = text
        // Longest names first, so that no name is replaced inside a longer one.
        for (setting, flag) in flags.sorted(by: { $0.key.count > $1.key.count }) {
            text = text.replacing(setting, with: flag)
        }
        return text
    }

    /// Runs library validation from a command's `validate()`, whose errors the argument parser
    /// reports by their description: a library error is handed over in the command line's words.
    static func validating(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as Word2VecError {
            throw ValidationError(message(for: error))
        }
    }

    /// Runs `body`, turning a configuration error about a setting in `flags` into an option error
    /// naming the flag given there: for a command whose flag for a setting is not the usual one.
    static func renaming<T>(_ flags: [String: String], _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let Word2VecError.invalidConfiguration(setting, problem) where flags[setting] != nil {
            throw Word2VecError.invalidOption(flags[setting]!, renamingSettings(in: problem))
        }
    }
}

extension ExitStatus {
    /// The status for a library error, decided by its case alone.
    static func of(_ error: Word2VecError) -> ExitStatus {
        switch error {
        case .unknownWord, .unknownWords: .unknownWord
        case .unreadableFile: .noInput
        case .unwritableFile: .cannotCreate
        case .emptyCorpus, .noWordReachesMinCount, .malformedFile, .malformedData: .dataError
        case .invalidOption, .invalidConfiguration, .dimensionMismatch: .usage
        }
    }
}
