import Foundation
import Testing
import Word2Vec
import Word2VecItems

/// Item embeddings and recommendation: what is learnt from planted structure, what a
/// recommendation may contain, the metrics, the readers, and the `items` commands end to end.
@Suite struct ItemsTests {
    let directory = TestDirectory()

    /// Users each drawn from one of `communities` disjoint groups of items (`c<group>i<item>`),
    /// their histories in random order.
    static func communities(_ communities: Int, items: Int, users: Int, length: ClosedRange<Int>, seed: UInt64) -> [[String]] {
        var random = TestRandom(seed: seed)
        return (0..<users).map { _ in
            let group = Int.random(in: 0..<communities, using: &random)
            let count = Int.random(in: length, using: &random)
            return (0..<count).map { _ in "c\(group)i\(Int.random(in: 0..<items, using: &random))" }
        }
    }

    static func community(_ item: String) -> Substring { item.prefix { $0 != "i" } }

    static var itemDefaults: TrainingConfiguration {
        var configuration = TrainingConfiguration.items
        configuration.threads = 1
        configuration.dimension = 16
        return configuration
    }

    @Test func plantedCommunitiesAreRecovered() throws {
        let sequences = Self.communities(5, items: 12, users: 300, length: 4...12, seed: 7)
        let model = try Trainer(configuration: Self.itemDefaults).train(corpus: InMemoryCorpus(sentences: sequences))
        let recommender = ItemRecommender(model.similarityIndex())
        #expect(recommender.index.count == 60)
        // Every item's nearest items are its community's.
        var same = 0, total = 0
        for item in recommender.index.words {
            for neighbour in try recommender.index.mostSimilar(positive: [item], top: 5) {
                total += 1
                if Self.community(neighbour.word) == Self.community(item) { same += 1 }
            }
        }
        #expect(Double(same) / Double(total) > 0.95, "\(same) of \(total) neighbours in the same community")
        // A new user of one community is recommended that community's other items, first.
        let histories = Self.communities(5, items: 12, users: 50, length: 2...5, seed: 99)
        let found = try recommender.recommend(histories, settings: RecommendationSettings(top: 5))
        var right = 0
        for (history, answer) in zip(histories, found) {
            #expect(answer.count == 5)
            right += answer.filter { Self.community($0.word) == Self.community(history[0]) }.count
        }
        #expect(Double(right) / Double(5 * histories.count) > 0.95, "\(right) of \(5 * histories.count)")
    }

    /// With unrelated random vectors a good answer is luck, so what is checked is the contract:
    /// never a history item, never an unknown one, the brute-force best of the rest in order.
    /// With the item defaults (the whole sequence as window) the training loss rises over the epochs
    /// on sequences that are partly noise; the output labels the two losses and says once why the
    /// loss rises, instead of leaving it to look like a failure.
    @Test func risingItemLossIsExplainedOnce() throws {
        var random = TestRandom(seed: 3)
        let lines = (0..<300).map { _ -> String in
            let group = Int.random(in: 0..<10, using: &random)
            return (0..<30).map { _ -> String in
                let community = Double.random(in: 0..<1, using: &random) < 0.7 ? group : Int.random(in: 0..<10, using: &random)
                return "c\(community)i\(Int.random(in: 0..<20, using: &random))"
            }.joined(separator: " ")
        }
        let input = directory.file("noisy.txt", lines.joined(separator: "\n") + "\n")
        let run = try runWord2Vec(["items", "train", "--input", input, "--output", directory.path + "/v.txt", "--threads", "1",
                                   "--dim", "16", "--epochs", "8"])
        #expect(run.status == 0, "\(run.standardError)")
        let losses = run.standardError.split(separator: "\n").filter { $0.contains("mean loss (all threads): ") }
            .compactMap { Double($0.components(separatedBy: "threads): ")[1].prefix { $0 != " " }) }
        #expect(losses.count == 8, "\(run.standardError)")
        try #require(zip(losses, losses.dropFirst()).contains { $1 > $0 }, "no rise: \(losses)")
        let notes = run.standardError.components(separatedBy: "note: the mean loss rose")
        #expect(notes.count == 2, "\(run.standardError)")
        #expect(run.standardError.contains("with --window full items are predicted") && run.standardError.contains("items evaluate"))
    }

    @Test func recommendationsAreTheBestItemsOutsideTheHistory() throws {
        var random = TestRandom(seed: 3)
        let count = 300, dimension = 8
        let words = (0..<count).map { "item\($0)" }
        let vectors = try embeddings(words.map { word in (word, (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) }) })
        let index = SimilarityIndex(vectors)
        let recommender = ItemRecommender(index)
        let unit = words.map { word -> [Float] in
            let v = try! vectors.vector(for: word)
            let length = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / length }
        }
        let histories: [[String]] = (0..<120).map { n in
            // Long histories, repeats and unknown items included; one user has only unknown items.
            if n == 5 { return ["nope", "gone"] }
            let length = Int.random(in: 1...(n % 10 == 0 ? 280 : 20), using: &random)
            return (0..<length).map { _ in
                Int.random(in: 0..<20, using: &random) == 0 ? "unknown\(n)" : words[Int.random(in: 0..<count, using: &random)]
            }
        }
        for settings in [RecommendationSettings(top: 10), RecommendationSettings(top: 25, recent: 3),
                         RecommendationSettings(top: 7, recent: 1), RecommendationSettings(top: 300, halfLife: 2)] {
            let found = try recommender.recommend(histories, settings: settings)
            #expect(found.count == histories.count)
            for (history, answer) in zip(histories, found) {
                let known = history.filter { index.embeddings.index(of: $0) != nil }
                if known.isEmpty {
                    #expect(answer.isEmpty)
                    continue
                }
                let owned = Set(history)
                #expect(answer.allSatisfy { !owned.contains($0.word) })
                #expect(answer.count == min(settings.top, count - Set(known).count))
                // Brute force: the weighted mean of the chosen unit vectors, then every other item.
                let chosen = Array(known.suffix(settings.recent ?? known.count))
                var query = [Float](repeating: 0, count: dimension)
                for (age, item) in chosen.reversed().enumerated() {
                    let weight = settings.halfLife.map { Float(pow(0.5, Double(age) / $0)) } ?? 1
                    for d in 0..<dimension { query[d] += weight * unit[index.embeddings.index(of: item)!][d] }
                }
                let expected = words.indices.filter { !owned.contains(words[$0]) }
                    .map { (row: $0, score: cosine(unit[$0], query)) }
                    .sorted { $0.score != $1.score ? $0.score > $1.score : $0.row < $1.row }
                    .prefix(settings.top)
                for (got, want) in zip(answer, expected) {
                    #expect(abs(got.score - want.score) < 1e-4)
                    // Near-ties may swap through rounding; an item in a different place must tie.
                    if got.index != want.row { #expect(abs(got.score - want.score) < 1e-5) }
                }
            }
        }
        #expect(recommender.userVector(["nope"]) == nil)
        #expect(throws: Word2VecError.invalidConfiguration(setting: "RecommendationSettings.top", problem: "must be at least 1 (got 0)")) {
            try recommender.recommend([["item1"]], settings: RecommendationSettings(top: 0))
        }
    }

    @Test func metricsOnAHandWorkedExample() {
        let lists = [["a", "b", "c"], ["c", "a", "x"], ["b"], []]
        let metrics = RankingMetrics(recommendations: lists, heldOut: ["a", "x", "z", "a"], catalogueSize: 8, k: 2)
        // User 1: rank 1; user 2: rank 3, beyond k = 2; users 3 and 4: missed.
        #expect(metrics.users == 4 && metrics.hitRate == 0.25 && metrics.meanReciprocalRank == 0.25)
        #expect(metrics.ndcg == 0.25)
        // In the first two: a, b, c.
        #expect(metrics.coverage == 3.0 / 8.0)
        let wider = RankingMetrics(recommendations: lists, heldOut: ["b", "x", "z", "a"], catalogueSize: 8, k: 3)
        #expect(wider.hitRate == 0.5)
        #expect(abs(wider.meanReciprocalRank - (1.0 / 2 + 1.0 / 3) / 4) < 1e-12)
        #expect(abs(wider.ndcg - (1 / log2(3.0) + 1 / log2(4.0)) / 4) < 1e-12)
    }

    @Test func leaveLastOutAndMostPopular() {
        let split = LeaveLastOut([["a", "b", "c"], ["d"], [], ["b", "b", "e"], ["c", "a"]])
        #expect(split.training == [["a", "b"], ["b", "b"], ["c"]])
        #expect(split.heldOut == ["c", "e", "a"] && split.users == [0, 3, 4] && split.singleItemUsers == 1)
        #expect(split.catalogueSize == 5)
        let popular = MostPopular(training: split.training)
        #expect(popular.ranking == ["b", "a", "c"])
        #expect(popular.recommend(["b", "x"], top: 5) == ["a", "c"])
        #expect(popular.recommend([], top: 2) == ["b", "a"])
        // A huge cut-off used to reserve that many strings (a 34 GB allocation, or heap corruption).
        #expect(popular.recommend(["a"], top: Int.max) == ["b", "c"])
    }

    @Test func historiesFile() throws {
        let path = directory.file("h.tsv", "\u{FEFF}u1\ta b  c\r\n\n   \nu2 \t\n u3\tz\tq\nu1\tb")
        #expect(try HistoriesFile.read(path: path) == [
            UserHistory(user: "u1", items: ["a", "b", "c"]), UserHistory(user: "u2", items: []),
            UserHistory(user: "u3", items: ["z", "q"]), UserHistory(user: "u1", items: ["b"]),
        ])
        let bad = directory.file("bad.tsv", "u1\ta\nu2 a b\n")
        #expect(word2VecError { _ = try HistoriesFile.read(path: bad) }
            == .malformedFile(bad, line: 2, "has no tab after the user id (lines are USER<TAB>item item ...)"))
        let control = directory.file("c.tsv", "\nu\ta b\u{7}\n")
        #expect(word2VecError { _ = try HistoriesFile.read(path: control) }
            == .malformedFile(control, line: 2, "item id 'b\\x07' contains the control byte \\x07"))
        let noUser = directory.file("n.tsv", "\ta\n")
        #expect(word2VecError { _ = try HistoriesFile.read(path: noUser) } == .malformedFile(noUser, line: 1, "user id '' is empty"))
        let invalid = directory.file("i.tsv", bytes: Array("u\ta ".utf8) + [0xFF, 0x41])
        #expect(word2VecError { _ = try HistoriesFile.read(path: invalid) } != nil)
    }

    @Test func sequencesFile() throws {
        let path = directory.file("s.txt", "a b\tc\r\n\n  \nd\n")
        #expect(try ItemSequences.read(path: path) == [["a", "b", "c"], ["d"]])
        let bad = directory.file("b.txt", "a\nb\u{1}\n")
        #expect(word2VecError { _ = try ItemSequences.read(path: bad) }
            == .malformedFile(bad, line: 2, "item id 'b\\x01' contains the control byte \\x01"))
    }

    // MARK: The commands

    @Test func eventsAndEquivalentSequencesTrainIdenticalVectors() throws {
        let sequences = Self.communities(3, items: 8, users: 40, length: 3...9, seed: 21)
        // Columns in another order than the roles, and rows shuffled: grouping and time order must
        // rebuild the sequences exactly.
        var rows: [(time: Int, item: String, user: Int)] = []
        for (user, sequence) in sequences.enumerated() {
            for (position, item) in sequence.enumerated() { rows.append((1000 + position * 7, item, user)) }
        }
        var random = TestRandom(seed: 5)
        rows.shuffle(using: &random)
        let events = directory.file("events.csv", "time;item;user\n" + rows.map { "\($0.time);\($0.item);u\($0.user)" }.joined(separator: "\n") + "\n")
        // The equivalent sequences file lists users in the order of their first row, as the log is read.
        var order: [Int] = []
        for row in rows where !order.contains(row.user) { order.append(row.user) }
        #expect(order.count == sequences.count && order != Array(sequences.indices))
        let input = directory.file("seq.txt", order.map { sequences[$0].joined(separator: " ") }.joined(separator: "\n") + "\n")
        let common = ["--threads", "1", "--seed", "42", "--dim", "12", "--epochs", "3", "--quiet"]
        let fromInput = directory.path + "/a.vec", fromEvents = directory.path + "/b.vec"
        let first = try runWord2Vec(["items", "train", "--input", input, "--output", fromInput] + common)
        #expect(first.status == 0, "\(first.standardError)")
        let second = try runWord2Vec(["items", "train", "--events", events, "--user-col", "user", "--item-col", "2",
                                      "--time-col", "time", "--sep", ";", "--output", fromEvents] + common)
        #expect(second.status == 0, "\(second.standardError)")
        let a = try String(contentsOfFile: fromInput, encoding: .utf8)
        let b = try String(contentsOfFile: fromEvents, encoding: .utf8)
        #expect(a.hasPrefix("24 12\n"))
        #expect(a == b)
        // Without the time column the shuffled file order is kept, which is another corpus.
        let third = try runWord2Vec(["items", "train", "--events", events, "--user-col", "user", "--item-col", "item",
                                     "--sep", ";", "--output", fromEvents] + common)
        #expect(third.status == 0, "\(third.standardError)")
        #expect(try String(contentsOfFile: fromEvents, encoding: .utf8) != a)
    }

    @Test func badRowsStopTrainingOrAreSkippedAndCounted() throws {
        let events = directory.file("e.csv", "user,item,time\nu1,a,1\nu1,b,2\nu2,a,x\nu2,b,1\nu2\nu1,c,3\n")
        let output = directory.path + "/v.vec"
        let arguments = ["items", "train", "--events", events, "--user-col", "user", "--item-col", "item", "--time-col", "time",
                         "--output", output, "--dim", "4", "--epochs", "1", "--threads", "1"]
        try CommandLineTests.expectFailure(arguments, mentions: "e.csv:4: time 'x' is not a number", output: output)
        let skipped = try runWord2Vec(arguments + ["--skip-bad-rows"])
        #expect(skipped.status == 0, "\(skipped.standardError)")
        #expect(skipped.standardError.contains("events: 4 rows, 2 users, 2 malformed rows skipped (first: "))
        #expect(skipped.standardError.contains("e.csv:4:"))
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("3 4\n"))
        try CommandLineTests.expectFailure(
            ["items", "train", "--events", events, "--user-col", "user", "--output", output + "2"],
            mentions: "--events needs --user-col and --item-col", output: output + "2")
        try CommandLineTests.expectFailure(
            ["items", "train", "--input", events, "--window", "wide", "--output", output + "2"],
            mentions: "wide", output: output + "2")
    }

    @Test func recommendCommandTextAndJSON() throws {
        let sequences = Self.communities(3, items: 8, users: 120, length: 4...9, seed: 8)
        let input = directory.file("seq.txt", sequences.map { $0.joined(separator: " ") }.joined(separator: "\n"))
        let model = directory.path + "/m.model"
        let train = try runWord2Vec(["items", "train", "--input", input, "--save-model", model, "--dim", "12",
                                     "--threads", "1", "--quiet"])
        #expect(train.status == 0, "\(train.standardError)")
        let histories = directory.file("h.tsv", "alice\tc1i0 c1i1 c1i2\nbob\tnothing known\ncarol\tc2i3\n")
        let text = try runWord2Vec(["items", "recommend", model, "--input", histories, "--top", "4"])
        #expect(text.status == 0, "\(text.standardError)")
        let lines = text.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        #expect(lines[1] == "bob\t")
        #expect(text.standardError.contains("1 of 3 users got no recommendation"))
        let alice = lines[0].split(separator: "\t")[1].split(separator: " ").map(String.init)
        #expect(alice.count == 4 && alice.allSatisfy { $0.hasPrefix("c1i") && !["c1i0", "c1i1", "c1i2"].contains($0) })
        let json = try runWord2Vec(["items", "recommend", model, "--input", histories, "--top", "4", "--json", "--recent", "1"])
        #expect(json.status == 0, "\(json.standardError)")
        let objects = try json.standardOutput.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.map { $0["user"] as? String } == ["alice", "bob", "carol"])
        let neighbours = try #require(objects[2]["neighbours"] as? [[String: Any]])
        let carol = neighbours.compactMap { $0["word"] as? String }, scores = neighbours.compactMap { $0["score"] as? Double }
        #expect(carol.count == 4 && scores.count == 4 && scores == scores.sorted(by: >) && !carol.contains("c2i3"))
        // --recent 1 uses only alice's last item.
        let single = try runWord2Vec(["items", "recommend", model, "--history", "c1i2", "--top", "4", "--json"])
        let last = try runWord2Vec(["items", "recommend", model, "--history", "c1i0,c1i1,c1i2", "--top", "4", "--recent", "1"])
        #expect(single.status == 0 && last.status == 0)
        let onlyLast = try #require(try JSONSerialization.jsonObject(with: Data(single.standardOutput.utf8)) as? [String: Any])
        let expected = (onlyLast["neighbours"] as? [[String: Any]] ?? []).compactMap { $0["word"] as? String }
            .filter { $0 != "c1i0" && $0 != "c1i1" }
        let got = last.standardOutput.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(Array(got.prefix(expected.count)) == expected)
        try CommandLineTests.expectFailure(["items", "recommend", model, "--history", "zz,yy"], mentions: "--history has no item with a vector")
        try CommandLineTests.expectFailure(["items", "recommend", model, "--history", "a", "--input", histories], mentions: "give one of --history")
        try CommandLineTests.expectFailure(["items", "recommend", model, "--history", "a", "--half-life", "-1"], mentions: "--half-life")
    }

    @Test func evaluateCommandBeatsPopularityOnPlantedCommunities() throws {
        // Each community has its own popular items, so a global popularity list is wrong for most users.
        let sequences = Self.communities(6, items: 10, users: 240, length: 5...12, seed: 31)
        let input = directory.file("seq.txt", sequences.map { $0.joined(separator: " ") }.joined(separator: "\n"))
        let result = try runWord2Vec(["items", "evaluate", "--input", input, "--top", "5", "--dim", "16", "--threads", "1",
                                      "--quiet", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let rows = try #require(report["results"] as? [[String: Any]])
        #expect(report["users"] as? Int == 240 && report["k"] as? Int == 5)
        let popular = try #require(rows.first { $0["method"] as? String == "most-popular" }?["hitRate"] as? Double)
        let ours = try #require(rows.first { $0["method"] as? String == "item2vec" }?["hitRate"] as? Double)
        // Within a community of 10 items, about 5 unseen, a top 5 of the right community hits often.
        #expect(ours > 2 * popular && ours > 0.3, "item2vec \(ours), most popular \(popular)")
    }

    @Test(arguments: ["2147483648", "9223372036854775807"])
    func evaluateCapsTheCutOffAtTheCatalogue(top: String) throws {
        let input = directory.file("seq.txt", String(repeating: "a b c d\nb c e a\nc a e d b\n", count: 10))
        let result = try runWord2Vec(["items", "evaluate", "--input", input, "--top", top, "--dim", "8", "--epochs", "2",
                                      "--threads", "1", "--quiet", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(report["k"] as? Int == 5 && report["items"] as? Int == 5)
        let rows = try #require(report["results"] as? [[String: Any]])
        // Every item is in a whole-catalogue list, so every held-out item is found.
        #expect(rows.allSatisfy { $0["hitRate"] as? Double == 1 }, "\(rows)")
    }

    @Test func windowFullIsTheWholeSequenceAndNumbersStillWork() throws {
        var configuration = TrainingConfiguration()
        configuration.maxSentenceLength = 50
        configuration.useWholeSequenceWindow()
        #expect(configuration.window == 50 && !configuration.shrinkWindow && configuration.usesWholeSequenceWindow)
        let corpus = directory.file("c.txt", String(repeating: "a b c d e f\n", count: 20))
        let output = directory.path + "/w.vec"
        for window in ["full", "3"] {
            let result = try runWord2Vec(["train", "--input", corpus, "--output", output, "--window", window, "--min-count", "1",
                                          "--dim", "5", "--epochs", "1", "--threads", "1", "--quiet"])
            #expect(result.status == 0, "\(result.standardError)")
        }
        let help = try runWord2Vec(["items", "train", "--help"])
        #expect(help.standardOutput.contains("(default: full)"))
        // A negative exponent is a value, not an option; both window-shrinking spellings parse.
        for shrink in ["--shrink-window", "--no-shrink-window"] {
            let result = try runWord2Vec(["items", "train", "--input", corpus, "--output", output, "--ns-exponent", "-0.5",
                                          "--window", "2", shrink, "--dim", "5", "--epochs", "1", "--quiet"])
            #expect(result.status == 0, "\(result.standardError)")
        }
    }
}
