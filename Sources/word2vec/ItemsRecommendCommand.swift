import ArgumentParser
import Word2Vec
import Word2VecQueries
import Word2VecItems

struct ItemsRecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Recommend items from a user's history: the items nearest to the mean of the history's vectors.",
        discussion: """
            The user vector is the mean of the unit vectors of the last --recent known items of the \
            history (all of them by default), weighted by recency (--half-life 1 by default; 0 for \
            equal weights); the answer is the --top items by cosine with it, never an item of the \
            history. Items without a vector are ignored. To predict the next item, --half-life 1 or \
            --recent 3 did best on MovieLens-100k (HR@10 0.179 and 0.173 against 0.115 for the plain \
            mean of the whole history; Benchmarks/README.md).
            --history prints 'item<TAB>score' lines. --input reads 'USER<TAB>item item ...' lines \
            (oldest item first), answers them in parallel and prints 'USER<TAB>item item ...' lines \
            in the same order (no items for a user none of whose items has a vector). --json prints \
            one object per user instead, as the other commands' --json: \
            {"neighbours":[{"index":...,"score":...,"word":ITEM},...],"user":...}.
            A model trained with items train --tower ranks by its user tower instead (scores are \
            the tower's u.v + b; --recent, --half-life and --index do not apply; --limit uses the \
            vectors without the tower).
            """
    )

    @OptionGroup var vectors: VectorFileOptions
    @Option(help: ArgumentHelp("One history: items separated by commas, oldest first.", valueName: "items"))
    var history: String?
    @Option(help: ArgumentHelp("Histories file: USER<TAB>item item ... per line.", valueName: "file"))
    var input: String?
    @Option(help: "Items to recommend per user.") var top = 10
    @Option(help: ArgumentHelp("Build the user vector from the last K known items only (default: all).", valueName: "K"))
    var recent: Int?
    @Option(help: ArgumentHelp("Weigh an item N items older than the last one 0.5^(N/H) in the mean; 0: equal weights.",
                               valueName: "H"))
    var halfLife: Double = 1
    @OptionGroup var search: IndexOptions
    @Flag(help: "Print one JSON object per user.") var json = false

    var settings: RecommendationSettings { RecommendationSettings(top: top, recent: recent, halfLife: halfLife == 0 ? nil : halfLife) }

    func validate() throws {
        guard (history == nil) != (input == nil) else {
            throw ValidationError("give one of --history (items separated by commas) or --input (histories file)")
        }
        try ErrorMessages.validating { try settings.validate() }
    }

    func run() throws {
        let histories: [UserHistory]
        if let history {
            let items = history.split(separator: ",", omittingEmptySubsequences: true)
                .map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            guard !items.isEmpty else { throw ValidationError("--history has no items") }
            histories = [UserHistory(user: "", items: items)]
        } else {
            histories = try HistoriesFile.read(path: input!)
        }
        let recommender = try Self.recommender(vectors)
        let method = try search.method(for: recommender.index, path: vectors.vectors)
        if history != nil {
            let found = try recommender.recommend([histories[0].items], settings: settings, using: method)[0]
            let known = histories[0].items.filter { recommender.index.index(of: $0) != nil }.count
            guard known > 0 else {
                throw Word2VecError.invalidOption("--history", "has no item with a vector in '\(vectors.vectors)'")
            }
            if known < histories[0].items.count {
                Output.standardError("word2vec: \(histories[0].items.count - known) of \(histories[0].items.count) history items have no vector and were ignored\n")
            }
            if json {
                try JSONOutput.print(RecommendAnswer(user: nil, found))
            } else {
                printNeighbours(found)
            }
            return
        }
        var unanswered = 0
        var start = 0
        // Chunks bound the text held before writing; each is answered in parallel by the recommender.
        let chunk = 4096
        while start < histories.count {
            let end = min(histories.count, start + chunk)
            let found = try recommender.recommend(histories[start..<end].map(\.items), settings: settings, using: method)
            unanswered += found.filter(\.isEmpty).count
            if json {
                Output.standardOutput(String(decoding: try QueryJSON.encodeLines(
                    zip(histories[start..<end], found).map { RecommendAnswer(user: $0.user, $1) }), as: UTF8.self))
            } else {
                var text = ""
                for (history, neighbours) in zip(histories[start..<end], found) {
                    text += history.user + "\t" + neighbours.map(\.word).joined(separator: " ") + "\n"
                }
                Output.standardOutput(text)
            }
            start = end
        }
        if unanswered > 0 {
            Output.standardError("word2vec: \(unanswered) of \(histories.count) users got no recommendation (no item of their history has a vector)\n")
        }
    }
}

extension ItemsRecommendCommand {
    /// The recommender of the vectors: a model file's item vectors with its user tower if it has
    /// one (`items train --tower`), else the vectors alone.
    static func recommender(_ vectors: VectorFileOptions) throws -> ItemRecommender {
        if vectors.layout == nil, Model.isModelFile(atPath: vectors.vectors) {
            let model = try Model(contentsOf: vectors.vectors, for: .queries)
            // Without a tower this is the vectors alone (`userTower` is nil).
            if vectors.limit == nil {
                return try ItemRecommender(model: model, source: vectors.vectors)
            }
            return ItemRecommender(model.similarityIndex(limit: vectors.limit))
        }
        return ItemRecommender(try vectors.load())
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
