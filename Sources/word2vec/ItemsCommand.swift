import ArgumentParser
import Word2Vec
import Word2VecCommandLine
import Word2VecItems
import Word2VecTokenization

struct ItemsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "items",
        abstract: "Item embeddings (item2vec) and recommendation from a user's history.",
        discussion: """
            Items a user interacted with, in time order, are trained like the words of a sentence; a \
            user is the mean of the vectors of (the last of) their items, and the items nearest to it \
            that the user does not have yet are recommended. The defaults are chosen for items, not \
            words (see items train --help).
            """,
        subcommands: [ItemsTrainCommand.self, ItemsUpdateCommand.self, ItemsRecommendCommand.self, ItemsEvaluateCommand.self]
    )
}

/// The library's measured item defaults (`TrainingConfiguration.items`).
enum ItemTrainingDefaults: TrainingDefaults {
    static var configuration: TrainingConfiguration { .items }
}

/// Where the training sequences come from: a file of sequences or an interaction log.
struct ItemInputOptions: ParsableArguments {
    @Option(help: "Item sequences: one user's or session's items per line, oldest first, separated by spaces.")
    var input: String?
    @Option(help: "Interaction log (CSV or TSV) whose rows are grouped into per-user sequences ordered by time.")
    var events: String?
    @Option(help: ArgumentHelp("User column of --events: a header name or a 1-based number.", valueName: "column"))
    var userCol: String?
    @Option(help: ArgumentHelp("Item column of --events.", valueName: "column")) var itemCol: String?
    @Option(help: ArgumentHelp("Time column of --events (numbers; without it rows keep file order).", valueName: "column"))
    var timeCol: String?
    @Option(help: ArgumentHelp("Field separator of --events: tab, comma or one character (default: tab if the first line has one, else comma).",
                               valueName: "sep"))
    var sep: String?
    @Flag(help: "Skip malformed rows of --events (counted in the summary) instead of stopping at the first.")
    var skipBadRows = false
    @Option(help: ArgumentHelp("Text column of --events (a query, a title): its words and bigrams are the user tower's text input (needs --tower).",
                               valueName: "column"))
    var textCol: String?
    @Option(help: ArgumentHelp("Categorical columns of --events, comma-separated: the user tower's feature inputs (needs --tower); a field may hold several values separated by spaces or |.",
                               valueName: "columns"))
    var featureCols: String?
    @Option(help: ArgumentHelp("How --text-col is cut into words: icu (lowercased, punctuation dropped) or whitespace.", valueName: "name"))
    var textTokenizer = "icu"

    /// Whether text or feature columns were asked for.
    var hasSideColumns: Bool { textCol != nil || featureCols != nil }

    /// The path given, for messages and overwrite checks.
    var path: String? { input ?? events }
    var flag: String { input != nil ? "--input" : "--events" }

    func validate() throws {
        guard (input == nil) != (events == nil) else {
            throw ValidationError("give one of --input (sequences) or --events (interaction log)")
        }
        if events == nil {
            for (flag, value) in [("--user-col", userCol), ("--item-col", itemCol), ("--time-col", timeCol), ("--sep", sep)]
            where value != nil {
                throw ValidationError("\(flag) applies to --events only")
            }
            if skipBadRows { throw ValidationError("--skip-bad-rows applies to --events only") }
            if hasSideColumns { throw ValidationError("\(textCol != nil ? "--text-col" : "--feature-cols") applies to --events only") }
        } else {
            guard userCol != nil, itemCol != nil else {
                throw ValidationError("--events needs --user-col and --item-col (header names or 1-based numbers)")
            }
        }
    }

    /// The interaction log's columns and separator, parsed from the flags.
    private func eventsSettings() throws -> (EventColumns, EventSeparator) {
        func column(_ text: String?, _ flag: String) throws -> EventColumns.Column? {
            guard let text else { return nil }
            guard let column = EventColumns.Column(text) else {
                throw ValidationError("\(flag) '\(text)' is neither a header name nor a column number from 1")
            }
            return column
        }
        var features: [EventColumns.Column] = []
        if let featureCols {
            for part in featureCols.split(separator: ",", omittingEmptySubsequences: false) {
                features.append(try column(String(part), "--feature-cols")!)
            }
        }
        let columns = EventColumns(
            user: try column(userCol, "--user-col")!, item: try column(itemCol, "--item-col")!,
            time: try column(timeCol, "--time-col"), text: try column(textCol, "--text-col"), features: features)
        let separator: EventSeparator
        switch sep {
        case nil: separator = .detect
        case "tab", "\t", "\\t": separator = .tab
        case "comma", ",": separator = .comma
        case let .some(text):
            guard text.utf8.count == 1, let byte = text.utf8.first else {
                throw ValidationError("--sep must be tab, comma or a single character (got '\(text)')")
            }
            separator = .character(byte)
        }
        return (columns, separator)
    }

    /// Reads the sequences into memory (`--events` always is). Reports rows, users and skipped rows on
    /// stderr unless `quiet`.
    /// - Throws: `Word2VecError.emptyCorpus` when no sequence is left.
    func sequences(quiet: Bool) throws -> [[String]] { try sequencesAndSide(quiet: quiet).sequences }

    /// The sequences and, with --text-col or --feature-cols, each event's side tokens: the text's
    /// words (cut by --text-tokenizer) and bigrams, each feature field's values.
    func sequencesAndSide(quiet: Bool) throws -> (sequences: [[String]], side: TowerSideInputs?) {
        if let input {
            let sequences = try ItemSequences.read(path: input)
            guard !sequences.isEmpty else { throw Word2VecError.emptyCorpus(input) }
            return (sequences, nil)
        }
        let path = events!
        let (columns, separator) = try eventsSettings()
        let read = try EventsFile.read(path: path, columns: columns, separator: separator, skipBadRows: skipBadRows)
        if !quiet {
            var summary = "events: \(read.rows) rows, \(read.users.count) users"
            if read.skippedRows > 0 {
                summary += ", \(read.skippedRows) malformed rows skipped (first: \(read.firstSkipped.map { "\($0)" } ?? "?"))"
            }
            Output.standardError(summary + "\n")
        }
        guard !read.sequences.isEmpty else { throw Word2VecError.emptyCorpus(path) }
        guard !read.sideFields.isEmpty else { return (read.sequences, nil) }
        let tokenizer: Tokenizer
        switch textTokenizer {
        case "icu": tokenizer = .icu
        case "whitespace": tokenizer = .whitespace
        default: throw ValidationError("--text-tokenizer must be icu or whitespace (got '\(textTokenizer)')")
        }
        let segmenter = TextSegmenter(tokenizer: tokenizer, threads: 1, lowercase: true)
        // Texts repeat (a title per rating of the film, a popular query): each is cut once.
        var cut: [String: [String]] = [:]
        let hasText = textCol != nil
        var events: [[[[String]]]] = []
        events.reserveCapacity(read.side.count)
        for user in read.side {
            var userEvents: [[[String]]] = []
            userEvents.reserveCapacity(user.count)
            for event in user {
                var fields: [[String]] = []
                for (n, raw) in event.enumerated() {
                    if n == 0, hasText {
                        if let known = cut[raw] {
                            fields.append(known)
                        } else {
                            let tokens = TowerSideInputs.unigramsAndBigrams(try segmenter.words(in: raw).filter { !$0.isEmpty })
                            cut[raw] = tokens
                            fields.append(tokens)
                        }
                    } else {
                        fields.append(raw.split { $0 == " " || $0 == "|" || $0 == "\t" }.map(String.init))
                    }
                }
                userEvents.append(fields)
            }
            events.append(userEvents)
        }
        return (read.sequences, TowerSideInputs(fields: read.sideFields, events: events))
    }

    /// The training corpus: `--input` streamed from its file, `--events` grouped in memory.
    func corpus(quiet: Bool, maxDistinctWords: Int) throws -> any TrainingCorpus {
        if let input {
            let corpus = TextFileCorpus(path: input, maxDistinctWords: maxDistinctWords)
            try corpus.checkReadable()
            return corpus
        }
        return InMemoryCorpus(sentences: try sequences(quiet: quiet))
    }
}
