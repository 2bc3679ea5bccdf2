import Foundation
import Testing
import Word2Vec
import Word2VecItems

/// Seeded mutation fuzzing of the user tower's decoder (`ATCH` section of a model file): every
/// mutant decodes into a tower that answers, or is rejected with a
/// `Word2VecError`. (The model file's checksum rejects most corrupt sections before this decoder
/// sees them; the decoder must not rely on it.)
@Suite struct TowerFuzzTests {
    @Test func towerDecoder() throws {
        let sequences = UserTowerTests.ring(items: 6, users: 40, seed: 1)
        var item2vec = TrainingConfiguration.items
        item2vec.threads = 1
        item2vec.dimension = 4
        item2vec.epochs = 1
        let model = try Trainer(configuration: item2vec).train(corpus: InMemoryCorpus(sentences: sequences))
        var examples: [[UInt8]] = []
        for hidden in [[3], [2, 3, 2]] {
            var configuration = TowerConfiguration()
            configuration.threads = 1
            configuration.hidden = hidden
            configuration.epochs = 1
            configuration.inputs = .init(last: hidden.count == 1, halfLife: 2, mean: true)
            model.attach(try TowerTrainer.train(model: model, sequences: sequences, configuration: configuration))
            examples.append(model.attachment!)
        }
        // Version 2's side block: fields, window, tokens (and their embeddings).
        let side = TowerSideInputs(fields: ["query", "genre"], events: sequences.map { $0.map { [["q" + $0, "w"], ["g" + $0.suffix(1)]] } })
        var configuration = TowerConfiguration()
        configuration.threads = 1
        configuration.hidden = [3]
        configuration.epochs = 1
        configuration.sideWindow = 2
        model.attach(try TowerTrainer.train(model: model, sequences: sequences, side: side, configuration: configuration))
        examples.append(model.attachment!)
        let report = try FuzzHarness.run("tower", examples: examples, extension: "bin", read: { path in
            model.attachment = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            guard let tower = try model.userTower(source: path) else {
                throw Word2VecError.malformedData(path, offset: 0, "no TOWR magic: not a tower")
            }
            return tower
        }, check: { tower in
            // Weights near the float range may overflow scores to infinities; answers stay whole.
            let found = tower.recommend([[0, 1], [5]], top: 3)
            return found.allSatisfy({ $0.count == 3 }) ? nil : "answers \(found)"
        })
        ReaderFuzzTests.expectSound(report)
    }
}
