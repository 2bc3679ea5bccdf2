import ArgumentParser
import Word2Vec
import Word2VecQueries
import Word2VecCommandLine
import Word2VecItems

struct ItemsEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Leave-last-out evaluation: train without each user's last item, then rank all items to find it.",
        discussion: """
            Each sequence's last item is held out (sequences of one item are left out); vectors are \
            trained on the rest with the training options (or read from --vectors, which must not \
            have seen the held-out items), and every user's history is answered as items recommend \
            answers it, ranking the whole catalogue minus the history. Prints HitRate@K, MRR@K, \
            NDCG@K and catalogue coverage (share of items recommended to someone) next to the \
            most-popular baseline. --tower also trains a user tower on the vectors (see items train) \
            and adds its row; a --vectors model with a tower is evaluated by its tower.
            """
    )

    @OptionGroup var source: ItemInputOptions
    @Option(help: ArgumentHelp("Evaluate these vectors instead of training (word2vec file or model).", valueName: "file"))
    var vectors: String?
    @Option(help: ArgumentHelp("The cut-off K of the metrics (and items recommended per user).", valueName: "K"))
    var top = 10
    @Option(help: ArgumentHelp("Build the user vector from the last K known items only (default: all).", valueName: "K"))
    var recent: Int?
    @Option(help: ArgumentHelp("Recency half-life of the user vector, in items; 0: equal weights (see items recommend).", valueName: "H"))
    var halfLife: Double = 1
    @Flag(help: "Print the results as one JSON object.") var json = false
    @OptionGroup var options: TrainingOptions<ItemTrainingDefaults>
    @OptionGroup var towerOptions: TowerOptions

    var settings: RecommendationSettings { RecommendationSettings(top: top, recent: recent, halfLife: halfLife == 0 ? nil : halfLife) }

    func validate() throws {
        try ErrorMessages.validating { try settings.validate() }
        if source.hasSideColumns, !towerOptions.tower, vectors == nil {
            throw ValidationError("\(source.textCol != nil ? "--text-col" : "--feature-cols") feeds the user tower: add --tower")
        }
    }

    struct Row: Encodable {
        let method: String
        let hitRate: Double
        let mrr: Double
        let ndcg: Double
        let coverage: Double

        init(_ method: String, _ metrics: RankingMetrics) {
            self.method = method
            hitRate = metrics.hitRate
            mrr = metrics.meanReciprocalRank
            ndcg = metrics.ndcg
            coverage = metrics.coverage
        }
    }

    struct Report: Encodable {
        let k: Int
        let users: Int
        let items: Int
        let trainingEvents: Int
        let results: [Row]
    }

    func run() throws {
        let (sequences, side) = try source.sequencesAndSide(quiet: options.quiet)
        let split = LeaveLastOut(sequences)
        // The side tokens of the training events (the held-out event's text is not known before it).
        let trainingSide = side.map { side in split.users.map { Array(side.events[$0].dropLast()) } }
        guard !split.training.isEmpty else {
            throw Word2VecError.invalidOption(source.flag, "has no sequence of two or more items to hold one out of")
        }
        if vectors != nil, towerOptions.tower {
            throw ValidationError("--tower trains a tower on new vectors; a --vectors model is evaluated with the tower it has")
        }
        let index: SimilarityIndex
        var tower: UserTower?
        if let vectors {
            if Model.isModelFile(atPath: vectors) {
                let model = try Model(contentsOf: vectors, for: .queries)
                index = model.similarityIndex()
                tower = try model.userTower(source: vectors)
            } else {
                index = SimilarityIndex(try Embeddings.load(path: vectors))
            }
        } else {
            let configuration = options.configuration
            try configuration.validate()
            // Users with one item still teach nothing about order but do count their item.
            var corpus = split.training
            var corpusSide = trainingSide
            for (user, sequence) in sequences.enumerated() where sequence.count == 1 {
                corpus.append(sequence)
                if let side { corpusSide!.append(side.events[user]) }
            }
            let reporter = options.quiet ? nil : ProgressPrinter(risingLossHint: ItemsTrainCommand.risingLossHint)
            let model = try Trainer(configuration: configuration).train(
                corpus: InMemoryCorpus(sentences: corpus), progress: reporter?.report)
            index = model.similarityIndex()
            if towerOptions.tower {
                tower = try towerOptions.train(
                    model: model, sequences: corpus, side: side.map { TowerSideInputs(fields: $0.fields, events: corpusSide!) }, threads: configuration.threads, seed: configuration.seed, quiet: options.quiet)
            }
        }
        // A cut-off past the catalogue ranks the same lists; the metrics are reported at the
        // catalogue size.
        let top = min(top, split.catalogueSize)
        var settings = settings
        settings.top = top
        func metrics(_ recommender: ItemRecommender) throws -> RankingMetrics {
            let found = try recommender.recommend(split.training, side: trainingSide, settings: settings)
            return RankingMetrics(
                recommendations: found.map { $0.map(\.word) }, heldOut: split.heldOut, catalogueSize: split.catalogueSize, k: top)
        }
        let popular = MostPopular(training: split.training)
        let baseline = RankingMetrics(
            recommendations: split.training.map { popular.recommend($0, top: top) }, heldOut: split.heldOut,
            catalogueSize: split.catalogueSize, k: top)
        var rows = [Row("most-popular", baseline)]
        if vectors == nil || tower == nil { rows.append(Row(vectors == nil ? "item2vec" : "vectors", try metrics(ItemRecommender(index)))) }
        if let tower { rows.append(Row("tower", try metrics(ItemRecommender(index, tower: tower)))) }
        let events = split.training.reduce(0) { $0 + $1.count }
        if json {
            try JSONOutput.print(Report(k: top, users: split.training.count, items: split.catalogueSize,
                                        trainingEvents: events, results: rows))
            return
        }
        var text = "leave-last-out: \(split.training.count) users, \(split.catalogueSize) items, \(events) training events"
        if split.singleItemUsers > 0 { text += " (\(split.singleItemUsers) users with one item not evaluated)" }
        text += "\n" + "method".padding(14) + "HR@\(top)".padding(10) + "MRR@\(top)".padding(10)
            + "NDCG@\(top)".padding(10) + "coverage\n"
        for row in rows {
            text += row.method.padding(14)
            for value in [row.hitRate, row.mrr, row.ndcg] { text += String(cFormat: "%.4f", value).padding(10) }
            text += String(cFormat: "%.4f", row.coverage) + "\n"
        }
        Output.standardOutput(text)
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
