import Foundation
import Testing
import Word2Vec
import Word2VecItems

/// The user tower's side inputs (an events file's text and categorical columns): their gradients,
/// that a planted text signal is learnt, the model file (version 2 and version 1), the events
/// columns and the commands.
@Suite struct TowerSideInputTests {
    let directory = TestDirectory()

    /// Two side fields (a text of three tokens, a feature of two values) on the small tower of
    /// `UserTowerTests`, every parameter drawn away from 0.
    static func sideTower(seed: UInt64, window: Int = 20) -> UserTower {
        var configuration = TowerConfiguration()
        configuration.hidden = [6, 5]
        configuration.inputs = .init(last: true, halfLife: 1.5, mean: true)
        configuration.sideWindow = window
        let tower = UserTower(
            items: 7, dimension: 4, configuration: configuration, fields: ["query", "genre"],
            tokens: [(0, "red"), (0, "car"), (0, "red_car"), (1, "drama"), (1, "comedy")])
        var random = TestRandom(seed: seed)
        tower.parameters = tower.parameters.map { _ in Float.random(in: -0.8...0.8, using: &random) }
        return tower
    }

    @Test func sideGradientsMatchFiniteDifferences() {
        // Token 0 twice (its share doubles), both fields present.
        UserTowerTests.checkGradients(Self.sideTower(seed: 5), history: [2, 5, 0], tokens: [0, 1, 2, 3, 0, 4], target: 4)
        // Only the text field: the genre mean is 0 and has no gradient.
        UserTowerTests.checkGradients(Self.sideTower(seed: 6), history: [6], tokens: [1], target: 1)
        let logExpected: [Float] = [-1.2, -0.3, -2, -0.7, -1.5, -0.1, -3]
        UserTowerTests.checkGradients(Self.sideTower(seed: 7), history: [1, 3], tokens: [4, 2, 4, 0], target: 5,
                                      candidates: [5, 0, 2, 5, 4], logExpected: logExpected)
    }

    @Test func tokensOfUnknownFieldsAndValuesAreLeftOut() {
        let tower = Self.sideTower(seed: 1)
        #expect(tower.tokenRows([["car", "boat"], ["comedy"], ["extra field"]]) == [1, 4])
        #expect(tower.tokenRows([["drama"]]) == [])
    }

    /// Histories of random items whose events carry the query "want iK", K the next item: only a
    /// tower reading the query (the last event's, window 1) can name the next item.
    static func planted(items: Int, users: Int, seed: UInt64) -> (sequences: [[String]], side: TowerSideInputs) {
        var random = TestRandom(seed: seed)
        var sequences: [[String]] = []
        var events: [[[[String]]]] = []
        for _ in 0..<users {
            let sequence = (0..<Int.random(in: 3...7, using: &random)).map { _ in "i\(Int.random(in: 0..<items, using: &random))" }
            sequences.append(sequence)
            events.append(sequence.indices.map { position in
                let next = position + 1 < sequence.count ? sequence[position + 1] : "i0"
                return [TowerSideInputs.unigramsAndBigrams(["want", next])]
            })
        }
        return (sequences, TowerSideInputs(fields: ["query"], events: events))
    }

    @Test func aPlantedQueryIsLearnt() throws {
        let items = 16
        let (sequences, side) = Self.planted(items: items, users: 800, seed: 3)
        var item2vec = TrainingConfiguration.items
        item2vec.threads = 1
        item2vec.dimension = 12
        item2vec.epochs = 2
        let model = try Trainer(configuration: item2vec).train(corpus: InMemoryCorpus(sentences: sequences))
        var configuration = TowerConfiguration()
        configuration.threads = 1
        configuration.hidden = [24]
        configuration.epochs = 8
        configuration.sideWindow = 1
        let withQuery = try TowerTrainer.train(model: model, sequences: sequences, side: side, configuration: configuration)
        let without = try TowerTrainer.train(model: model, sequences: sequences, configuration: configuration)
        #expect(withQuery.fields == ["query"] && withQuery.tokens.count == 1 + items + items)
        // Fresh histories: one item, whose event asked for item k + 3.
        let histories = (0..<items).map { ["i\($0)"] }
        let wanted = (0..<items).map { "i\(($0 + 3) % items)" }
        let queries = wanted.map { [[TowerSideInputs.unigramsAndBigrams(["want", $0])]] }
        let settings = RecommendationSettings(top: 1)
        let byQuery = try ItemRecommender(model.similarityIndex(), tower: withQuery).recommend(histories, side: queries, settings: settings)
        let byItems = try ItemRecommender(model.similarityIndex(), tower: without).recommend(histories, side: queries, settings: settings)
        let queryHits = zip(byQuery, wanted).filter { $0.first?.word == $1 }.count
        let itemHits = zip(byItems, wanted).filter { $0.first?.word == $1 }.count
        #expect(queryHits >= items - 2, "the query tower ranked the asked item first for \(queryHits) of \(items)")
        #expect(itemHits <= 3, "the tower without the query found \(itemHits) of \(items)")
    }

    @Test func sideFieldsTravelInTheModelFileAndVersion1IsStillRead() throws {
        let (sequences, side) = Self.planted(items: 8, users: 60, seed: 4)
        var item2vec = TrainingConfiguration.items
        item2vec.threads = 1
        item2vec.dimension = 6
        item2vec.epochs = 1
        let model = try Trainer(configuration: item2vec).train(corpus: InMemoryCorpus(sentences: sequences))
        var configuration = TowerConfiguration()
        configuration.threads = 1
        configuration.hidden = [8]
        configuration.epochs = 1
        configuration.sideWindow = 3
        let tower = try TowerTrainer.train(model: model, sequences: sequences, side: side, configuration: configuration)
        model.attach(tower)
        let path = directory.path + "/side.model"
        try model.save(to: path)
        let loaded = try Model(contentsOf: path, for: .queries)
        let back = try #require(try loaded.userTower(source: path))
        #expect(back.parameters == tower.parameters && back.fields == ["query"] && back.tokens == tower.tokens && back.sideWindow == 3)
        let query = [[[TowerSideInputs.unigramsAndBigrams(["want", "i2"])]]]
        #expect(back.userVector([1], tokens: back.tokenRows(query[0][0])) == tower.userVector([1], tokens: tower.tokenRows(query[0][0])))

        // Version 1 is version 2 without the side block (field count, window, token count: 16
        // bytes after the hidden widths) and without token embeddings (none here).
        let plain = try TowerTrainer.train(model: model, sequences: sequences, configuration: configuration)
        model.attach(plain)
        var bytes = try #require(model.attachment)
        let sideBlock = 56 + 8 * plain.hidden.count
        #expect(bytes[4] == 2)
        bytes.removeSubrange(sideBlock..<(sideBlock + 16))
        bytes[4] = 1
        model.attachment = bytes
        let old = try #require(try model.userTower(source: "v1"))
        #expect(old.parameters == plain.parameters && old.fields.isEmpty)
        bytes[4] = 3
        model.attachment = bytes
        let refused = word2VecError { _ = try model.userTower(source: "v3") }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("version 3"), "\(String(describing: refused))")
    }

    @Test func eventsFileReadsSideColumnsAndNamesTheBadOne() throws {
        let text = "user\titem\ttime\ttitle\tgenre\n"
            + "u\ta\t2\tRed Car\tdrama|comedy\n"
            + "u\tb\t1\tBlue  sky\t\n"
        let path = directory.file("side.tsv", text)
        let columns = EventColumns(user: .name("user"), item: .name("item"), time: .name("time"), text: .name("title"),
                                   features: [.number(5)])
        let read = try EventsFile.read(path: path, columns: columns)
        #expect(read.sequences == [["b", "a"]] && read.sideFields == ["title", "column 5"])
        #expect(read.side == [[["Blue  sky", ""], ["Red Car", "drama|comedy"]]])
        let short = directory.file("short.tsv", text + "u\tc\t3\tOnly title\n")
        let error = word2VecError { _ = try EventsFile.read(path: short, columns: columns) }
        #expect(error == .malformedFile(short, line: 4, "has 4 fields, needs 5 (the feature column 'column 5' is field 5)"))
        let bytes = Array((text + "u\tc\t3\tbad ").utf8) + [0xFF] + Array("\tx\n".utf8)
        let invalid = directory.path + "/invalid.tsv"
        FileManager.default.createFile(atPath: invalid, contents: Data(bytes))
        let invalidError = word2VecError { _ = try EventsFile.read(path: invalid, columns: columns) }
        #expect("\(invalidError.map { "\($0)" } ?? "")".contains("text column 'title' (field 4)"), "\(String(describing: invalidError))")
        let same = EventColumns(user: .name("user"), item: .name("item"), text: .name("item"))
        #expect(word2VecError { _ = try EventsFile.read(path: path, columns: same) } != nil)
    }

    @Test func commandsTrainAndEvaluateWithSideColumns() throws {
        let (sequences, side) = Self.planted(items: 12, users: 300, seed: 8)
        var lines = ["user,item,time,query,device"]
        for (user, sequence) in sequences.enumerated() {
            for (position, item) in sequence.enumerated() {
                // The query's words as typed; the tower cuts them again (want iK -> want, ik, want_ik).
                let words = side.events[user][position][0].prefix(2).joined(separator: " ")
                lines.append("u\(user),\(item),\(position),\"\(words.uppercased())\",\(user % 2 == 0 ? "phone" : "tv")")
            }
        }
        let events = directory.file("events.csv", lines.joined(separator: "\n"))
        let common = ["--events", events, "--user-col", "user", "--item-col", "item", "--time-col", "time", "--dim", "8",
                      "--threads", "1", "--epochs", "2", "--tower", "--tower-hidden", "16", "--tower-epochs", "6",
                      "--tower-side-window", "1", "--text-tokenizer", "whitespace",
                      // About 1,200 examples a pass: Adam's default rate, chosen for MovieLens's 97,000, moves
                      // the random query-token rows too little in 6 passes (MRR 0.53; 0.74 from a rate of 0.002).
                      "--tower-alpha", "0.005"]
        let evaluate = try runWord2Vec(["items", "evaluate"] + common + ["--text-col", "query", "--feature-cols", "device", "--quiet", "--json"])
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(evaluate.standardOutput.utf8)) as? [String: Any])
        let rows = try #require(report["results"] as? [[String: Any]])
        let mrr = { (method: String) in rows.first { $0["method"] as? String == method }?["mrr"] as? Double ?? -1 }
        // The held-out item is what the last training event's query asked for; it cannot be found
        // when it is already in the history (about a quarter of the users with 12 items), so the
        // tower's MRR tops out near 0.74 (measured: 0.74, every hit at rank 1; item2vec 0.21).
        #expect(mrr("tower") > 0.6 && mrr("tower") > mrr("item2vec") + 0.3, "\(rows)")
        let model = directory.path + "/side.model"
        let train = try runWord2Vec(["items", "train"] + common + ["--save-model", model, "--text-col", "query"])
        #expect(train.status == 0 && train.standardError.contains("tower side inputs: query;"), "\(train.standardError)")
        try CommandLineTests.expectFailure(["items", "train", "--events", events, "--user-col", "user", "--item-col", "item",
                                            "--save-model", model + "2", "--text-col", "query"], mentions: "--text-col feeds the user tower")
        try CommandLineTests.expectFailure(["items", "evaluate"] + common + ["--feature-cols", "nope"], mentions: "no column named 'nope'")
    }
}
