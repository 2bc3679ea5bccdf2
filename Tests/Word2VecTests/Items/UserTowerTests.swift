import Foundation
import Testing
import Word2Vec
import Word2VecItems

/// The user tower: its gradients against finite differences, what it learns from planted order,
/// its model-file section, and the commands that train and use it.
@Suite struct UserTowerTests {
    let directory = TestDirectory()

    /// A small tower with every input and two hidden layers, its parameters drawn away from 0 so
    /// that every gradient is exercised (a new tower's output vectors are 0).
    static func smallTower(seed: UInt64) -> UserTower {
        var configuration = TowerConfiguration()
        configuration.hidden = [6, 5]
        configuration.inputs = .init(last: true, halfLife: 1.5, mean: true)
        let tower = UserTower(items: 7, dimension: 4, configuration: configuration)
        var random = TestRandom(seed: seed)
        tower.parameters = tower.parameters.map { _ in Float.random(in: -0.8...0.8, using: &random) }
        return tower
    }

    /// Checks every parameter's step against central differences of the loss.
    /// With `dropout`, every call draws the same masks, so the loss is a function of the parameters.
    static func checkGradients(_ tower: UserTower, history: [Int32], tokens: [Int32] = [], target: Int, candidates: [Int32]? = nil,
                               logExpected: [Float]? = nil, dropout: Float = 0, maskHistory: Bool = false) {
        let start = tower.parameters
        let loss = tower.step(history: history, tokens: tokens, target: target, rate: 0, candidates: candidates, logExpected: logExpected,
                              dropout: dropout, maskHistory: maskHistory)
        #expect(tower.parameters == start, "rate 0 changed parameters")
        #expect(loss.isFinite && loss > 0)
        tower.step(history: history, tokens: tokens, target: target, rate: 1, candidates: candidates, logExpected: logExpected, dropout: dropout,
                   maskHistory: maskHistory)
        let analytic = zip(start, tower.parameters).map { $0 - $1 }
        tower.parameters = start
        let h: Float = 1e-3
        var checked = 0, nonzero = 0
        for k in start.indices {
            var moved = start
            moved[k] = start[k] + h
            tower.parameters = moved
            let up = tower.step(history: history, tokens: tokens, target: target, rate: 0, candidates: candidates, logExpected: logExpected,
                                dropout: dropout, maskHistory: maskHistory)
            moved[k] = start[k] - h
            tower.parameters = moved
            let down = tower.step(history: history, tokens: tokens, target: target, rate: 0, candidates: candidates, logExpected: logExpected,
                                  dropout: dropout, maskHistory: maskHistory)
            let numeric = (up - down) / (2 * h)
            let error = abs(numeric - analytic[k]) / (2e-3 + 0.02 * abs(numeric))
            checked += 1
            if abs(analytic[k]) > 1e-5 { nonzero += 1 }
            #expect(error <= 1, "parameter \(k): finite difference \(numeric), step \(analytic[k])")
        }
        tower.parameters = start
        // The check means something only if many parameters have a gradient (embeddings of items
        // outside the history and weights into ReLU units cut to 0 have none).
        #expect(nonzero > checked / 3, "\(nonzero) of \(checked) parameters have a gradient")
    }

    @Test func softmaxGradientsMatchFiniteDifferences() {
        let tower = Self.smallTower(seed: 3)
        // Item 2 twice: its embedding gets the last item's, the decayed mean's and the mean's shares.
        Self.checkGradients(tower, history: [2, 5, 0, 2], target: 4)
        Self.checkGradients(tower, history: [6], target: 1)
    }

    @Test func sampledSoftmaxGradientsMatchFiniteDifferences() {
        let tower = Self.smallTower(seed: 4)
        let logExpected: [Float] = [-1.2, -0.3, -2, -0.7, -1.5, -0.1, -3]
        // The target first, then distinct draws, one of them a copy of the target (left out).
        Self.checkGradients(tower, history: [1, 3, 6], target: 5, candidates: [5, 0, 2, 5, 4], logExpected: logExpected)
    }

    /// Dropout's masks are part of the function: with the same draws, the step is the gradient of
    /// the dropped network's loss, which differs from the whole network's.
    @Test func dropoutGradientsMatchFiniteDifferences() {
        let tower = Self.smallTower(seed: 5)
        let logExpected: [Float] = [-1.2, -0.3, -2, -0.7, -1.5, -0.1, -3]
        Self.checkGradients(tower, history: [2, 5, 0, 2], target: 4, dropout: 0.4)
        Self.checkGradients(tower, history: [1, 3, 6], target: 5, candidates: [5, 0, 2, 4], logExpected: logExpected, dropout: 0.4)
        let whole = tower.step(history: [2, 5, 0, 2], target: 4, rate: 0)
        let dropped = tower.step(history: [2, 5, 0, 2], target: 4, rate: 0, dropout: 0.4)
        #expect(whole != dropped, "no unit was dropped")
    }

    /// Masking the history takes its items out of the softmax: the gradients still match, and the
    /// output rows and biases of masked items (all but the target) do not move.
    @Test func maskedHistoryGradientsMatchFiniteDifferences() {
        let logExpected: [Float] = [-1.2, -0.3, -2, -0.7, -1.5, -0.1, -3]
        for candidates in [nil, [5, 0, 3, 4, 1] as [Int32]] {
            let tower = Self.smallTower(seed: 7)
            let history: [Int32] = [1, 3, 6, 5]
            let expected = candidates == nil ? nil : logExpected
            Self.checkGradients(tower, history: history, target: 5, candidates: candidates, logExpected: expected, maskHistory: true)
            let masked = tower.step(history: history, target: 5, rate: 0, candidates: candidates, logExpected: expected, maskHistory: true)
            let whole = tower.step(history: history, target: 5, rate: 0, candidates: candidates, logExpected: expected)
            #expect(masked < whole, "masking left out nothing")
            let outputs = tower.outputRows, biases = tower.itemBiases
            tower.step(history: history, target: 5, rate: 1, candidates: candidates, logExpected: expected, maskHistory: true)
            for item in [1, 3, 6] {
                #expect(tower.outputRows[item] == outputs[item] && tower.itemBiases[item] == biases[item], "item \(item) moved")
            }
            #expect(tower.outputRows[5] != outputs[5], "the target in the history was masked")
        }
    }

    /// Adam moves each parameter by its rule applied to the gradient the finite differences above
    /// check (SGD at rate 1 moves by minus it): from fresh state, its first step is
    /// `rate g / sqrt(g^2 + eps^2 / (1 - beta2))`, about `rate x sign(g)`. The history holds each
    /// item once and the candidates are distinct, so each row has one update.
    @Test func adamStepsFollowTheCheckedGradient() {
        let logExpected: [Float] = [-1.2, -0.3, -2, -0.7, -1.5, -0.1, -3]
        for candidates in [nil, [5, 0, 2, 4] as [Int32]] {
            let tower = Self.smallTower(seed: 6)
            let start = tower.parameters
            tower.step(history: [1, 3, 6], target: 5, rate: 1, candidates: candidates, logExpected: candidates == nil ? nil : logExpected)
            let gradient = zip(start, tower.parameters).map { $0 - $1 }
            tower.parameters = start
            let rate: Float = 0.01
            tower.step(history: [1, 3, 6], target: 5, rate: rate, candidates: candidates, logExpected: candidates == nil ? nil : logExpected,
                       optimizer: .adam)
            var moved = 0
            for (k, (g, (before, after))) in zip(gradient, zip(start, tower.parameters)).enumerated() {
                let expected = rate * g / (g * g + 1e-16 / (1 - 0.999 as Float)).squareRoot()
                let step = before - after
                if step != 0 { moved += 1 }
                #expect(abs(step - expected) <= 1e-6 + 1e-3 * abs(expected), "parameter \(k): gradient \(g), step \(step), expected \(expected)")
            }
            #expect(moved > start.count / 3, "\(moved) of \(start.count) parameters moved")
        }
    }

    /// Sequences walking a ring of `items` items one step at a time from random starts.
    static func ring(items: Int, users: Int, seed: UInt64) -> [[String]] {
        var random = TestRandom(seed: seed)
        return (0..<users).map { _ in
            let start = Int.random(in: 0..<items, using: &random)
            return (0..<Int.random(in: 3...8, using: &random)).map { "i\((start + $0) % items)" }
        }
    }

    /// Item k is always followed by item k + 1: the tower must rank it first, which a symmetric
    /// item2vec neighbourhood (k - 1 and k + 1 alike) cannot.
    @Test func plantedOrderIsLearnt() throws {
        let items = 24
        let sequences = Self.ring(items: items, users: 600, seed: 9)
        var item2vec = TrainingConfiguration.items
        item2vec.threads = 1
        item2vec.dimension = 16
        item2vec.epochs = 5
        let model = try Trainer(configuration: item2vec).train(corpus: InMemoryCorpus(sentences: sequences))
        var configuration = TowerConfiguration()
        configuration.threads = 1
        configuration.hidden = [32]
        configuration.epochs = 10
        let tower = try TowerTrainer.train(model: model, sequences: sequences, configuration: configuration)
        // Short histories ending at every item; the next is never in them.
        let histories = (0..<items).map { k in [(k + items - 2) % items, (k + items - 1) % items, k].map { "i\($0)" } }
        let next = (0..<items).map { "i\(($0 + 1) % items)" }
        let settings = RecommendationSettings(top: 1)
        let byTower = try ItemRecommender(model.similarityIndex(), tower: tower).recommend(histories, settings: settings)
        let byMean = try ItemRecommender(model.similarityIndex()).recommend(histories, settings: settings)
        let towerHits = zip(byTower, next).filter { $0.first?.word == $1 }.count
        let meanHits = zip(byMean, next).filter { $0.first?.word == $1 }.count
        #expect(towerHits >= items - 1, "tower ranked the next item first for \(towerHits) of \(items)")
        #expect(towerHits > meanHits, "tower \(towerHits), mean of the history \(meanHits)")
    }

    @Test func towerTravelsInTheModelFile() throws {
        let sequences = Self.ring(items: 12, users: 80, seed: 2)
        var item2vec = TrainingConfiguration.items
        item2vec.threads = 1
        item2vec.dimension = 8
        item2vec.epochs = 1
        let model = try Trainer(configuration: item2vec).train(corpus: InMemoryCorpus(sentences: sequences))
        #expect(try model.userTower(source: "m") == nil)
        var configuration = TowerConfiguration()
        configuration.threads = 1
        configuration.hidden = [8, 4]
        configuration.epochs = 2
        configuration.loss = .sampledSoftmax(samples: 5)
        let tower = try TowerTrainer.train(model: model, sequences: sequences, configuration: configuration)
        model.attach(tower)
        let path = directory.path + "/tower.model"
        try model.save(to: path)
        let loaded = try Model(contentsOf: path, for: .queries)
        let back = try #require(try loaded.userTower(source: path))
        #expect(back.parameters == tower.parameters && back.hidden == [8, 4] && back.inputs == tower.inputs)
        let histories = [["i3", "i4"], ["i0"], ["unknown"]]
        let before = try ItemRecommender(model.similarityIndex(), tower: tower).recommend(histories, settings: .init(top: 3))
        let after = try ItemRecommender(model: loaded, source: path).recommend(histories, settings: .init(top: 3))
        #expect(before.map { $0.map(\.word) } == after.map { $0.map(\.word) })
        #expect(after[2].isEmpty && after[0].count == 3 && !after[0].contains { $0.word == "i3" || $0.word == "i4" })
        // A tower of other items is refused, naming the section.
        let other = try Trainer(configuration: item2vec).train(corpus: InMemoryCorpus(sentences: Self.ring(items: 12, users: 80, seed: 5).map { $0.map { $0 + "x" } }))
        other.attachment = loaded.attachment
        #expect(throws: Word2VecError.self) { try other.userTower(source: "other") }
    }

    @Test func commandsTrainEvaluateAndRecommendWithTheTower() throws {
        let sequences = Self.ring(items: 20, users: 300, seed: 11)
        let input = directory.file("seq.txt", sequences.map { $0.joined(separator: " ") }.joined(separator: "\n"))
        let model = directory.path + "/m.model"
        let train = try runWord2Vec(["items", "train", "--input", input, "--save-model", model, "--dim", "12", "--threads", "1",
                                     "--epochs", "3", "--tower", "--tower-hidden", "24", "--tower-epochs", "8"])
        #expect(train.status == 0, "\(train.standardError)")
        #expect(train.standardError.contains("tower epoch 8/8"))
        let text = try runWord2Vec(["items", "recommend", model, "--history", "i3,i4,i5", "--top", "2"])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.hasPrefix("i6\t"), "\(text.standardOutput)")
        let evaluate = try runWord2Vec(["items", "evaluate", "--input", input, "--dim", "12", "--threads", "1", "--epochs", "3",
                                        "--tower", "--tower-hidden", "24", "--tower-epochs", "8", "--quiet", "--json"])
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(evaluate.standardOutput.utf8)) as? [String: Any])
        let rows = try #require(report["results"] as? [[String: Any]])
        let value = { (method: String, key: String) in rows.first { $0["method"] as? String == method }?[key] as? Double ?? -1 }
        // Both find the next item in the top 10; only the tower knows it comes first.
        #expect(value("tower", "mrr") > 0.9 && value("tower", "mrr") > value("item2vec", "mrr"), "\(rows)")
        try CommandLineTests.expectFailure(["items", "train", "--input", input, "--output", model + ".vec", "--tower"],
                                           mentions: "--tower needs --save-model")
        try CommandLineTests.expectFailure(["items", "train", "--input", input, "--save-model", model + "2", "--tower-epochs", "3"],
                                           mentions: "--tower-epochs needs --tower")
        try CommandLineTests.expectFailure(["items", "train", "--input", input, "--save-model", model + "2", "--tower", "--tower-hidden", "8,8,8,8"],
                                           mentions: "--tower-hidden")
    }
}
