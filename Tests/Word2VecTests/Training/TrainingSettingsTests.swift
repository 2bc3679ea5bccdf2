import Foundation
import Testing
import Word2Vec

/// Each training setting is declared once (`TrainingConfiguration.settings`), and the model file,
/// the bounds, the command-line options, their errors and other tools' spellings follow from it.
@Suite
struct TrainingSettingsTests {
    let directory = TestDirectory()

    /// A value other than the default for every setting, with what else it needs to be valid. A new
    /// setting fails `everySettingRoundTripsThroughTheModelFile` until it has one here.
    static let changes: [String: @Sendable (inout TrainingConfiguration) -> Void] = [
        "architecture": { $0.architecture = .skipGram },
        "dimension": { $0.dimension = 37 },
        "window": { $0.window = 9 },
        "loss.negatives": { $0.loss = .negativeSampling(negatives: 11) },
        "loss.hierarchicalSoftmax": { $0.loss = .hierarchicalSoftmaxAndNegativeSampling(negatives: 3) },
        "cbowMean": { $0.cbowMean = false },
        "sample": { $0.sample = 1e-5 },
        "minCount": { $0.minCount = 2 },
        "epochs": { $0.epochs = 17 },
        "threads": { $0.threads = 13 },
        "seed": { $0.seed = 0xFFFF_FFFF_FFFF_FFF1 },
        "maxSentenceLength": { $0.maxSentenceLength = 321 },
        "noiseExponent": { $0.noiseExponent = -0.5 },
        "maxVocabularySize": { $0.maxVocabularySize = 4_000 },
        "learningRate": { $0.learningRate = 0.0125 },
        "minLearningRate": { $0.minLearningRate = 1e-6 },
        "shrinkWindow": { $0.shrinkWindow = false },
        "documentMode": { $0.documentMode = .dmConcat },
        "dbowWords": {
            $0.documentMode = .dbow
            $0.dbowWords = true
        },
        "tokenizer": { $0.tokenizer = .icuMerged },
        "nfkc": { $0.nfkc = false },
        "lowercase": { $0.lowercase = true },
        "loss.softmax": { $0.loss = .softmax },
        "allowLargeSoftmax": { $0.allowLargeSoftmax = true },
        "cbowConcat": { $0.cbowConcat = true },
        "l2": { $0.l2 = 0.5 },
        "sharedNegatives": {
            $0.architecture = .skipGram
            $0.sharedNegatives = true
        },
        "finalLearningRateFraction": { $0.finalLearningRateFraction = 0.25 },
        "subwords.minLength": { $0.subwords = CharacterNGrams(minLength: 2, maxLength: 5, buckets: 1_000) },
        "subwords.maxLength": { $0.subwords = CharacterNGrams(minLength: 3, maxLength: 4, buckets: 1_000) },
        "subwords.buckets": { $0.subwords = CharacterNGrams(minLength: 3, maxLength: 6, buckets: 77) },
        "contextSamples": {
            $0.architecture = .skipGram
            $0.contextSamples = 7
        },
    ]

    /// A value out of bounds for every setting that has bounds, and the setting the error must name.
    static let outOfBounds: [(setting: String, change: @Sendable (inout TrainingConfiguration) -> Void)] = [
        ("dimension", { $0.dimension = 100_001 }),
        ("window", { $0.window = 0 }),
        ("loss.negatives", { $0.loss = .hierarchicalSoftmaxAndNegativeSampling(negatives: 10_001) }),
        ("sample", { $0.sample = .infinity }),
        ("minCount", { $0.minCount = 0 }),
        ("epochs", { $0.epochs = 1_000_001 }),
        ("threads", { $0.threads = 1025 }),
        ("maxSentenceLength", { $0.maxSentenceLength = 0 }),
        ("noiseExponent", { $0.noiseExponent = 10.5 }),
        ("maxVocabularySize", { $0.maxVocabularySize = 0 }),
        ("learningRate", { $0.learningRate = 0.5 }),
        ("minLearningRate", { $0.minLearningRate = -0.1 }),
        ("l2", { $0.l2 = -1 }),
        ("finalLearningRateFraction", { $0.finalLearningRateFraction = 1.5 }),
        ("subwords.minLength", { $0.subwords = CharacterNGrams(minLength: 0, maxLength: 6, buckets: 10) }),
        ("subwords.maxLength", { $0.subwords = CharacterNGrams(minLength: 4, maxLength: 3, buckets: 10) }),
        ("subwords.maxLength", { $0.subwords = CharacterNGrams(minLength: 3, maxLength: 6, buckets: 10); $0.documentMode = .dbow }),
        ("subwords.buckets", { $0.subwords = CharacterNGrams(minLength: 3, maxLength: 6, buckets: 0) }),
        ("subwords.buckets", { $0.subwords = CharacterNGrams(minLength: 3, maxLength: 6, buckets: 1 << 31) }),
        ("contextSamples", { $0.architecture = .skipGram; $0.contextSamples = -1 }),
        ("contextSamples", { $0.architecture = .skipGram; $0.contextSamples = 1_000_001 }),
    ]

    @Test func everySettingRoundTripsThroughTheModelFile() throws {
        let defaults = TrainingConfiguration()
        for setting in TrainingConfiguration.settings {
            let change = try #require(Self.changes[setting.name], "no test value for setting \(setting.name)")
            var configuration = TrainingConfiguration()
            change(&configuration)
            #expect(configuration != defaults, "\(setting.name)")
            try configuration.validate()
            let text = String(decoding: ConfigurationSection.encode(configuration), as: UTF8.self)
            #expect(text.split(separator: "\n").contains { $0.hasPrefix(setting.key + "=") }, "\(setting.name): \(text)")
            let decoded = try ConfigurationSection.encode(configuration).withUnsafeBytes { try ConfigurationSection.decode($0) }
            #expect(decoded == configuration, "\(setting.name)")
        }
    }

    /// Through a whole model file too: the configuration a saved model reads back is the one it was
    /// trained with, each setting changed at once.
    @Test func aSavedModelKeepsItsConfiguration() throws {
        var configuration = TrainingConfiguration()
        for name in ["architecture", "dimension", "window", "loss.hierarchicalSoftmax", "sample", "minCount", "epochs",
                     "seed", "noiseExponent", "learningRate", "minLearningRate", "shrinkWindow", "tokenizer", "nfkc",
                     "lowercase", "l2", "sharedNegatives", "finalLearningRateFraction"] {
            Self.changes[name]!(&configuration)
        }
        configuration.threads = 1
        configuration.minCount = 1
        configuration.epochs = 1
        let model = try Trainer(configuration: configuration).train(
            corpus: InMemoryCorpus(sentences: topicCorpus(groups: 2, wordsPerGroup: 5, sentences: 40, length: 6, seed: 1)))
        let path = directory.path + "/settings.w2v"
        try model.save(to: path)
        #expect(try Model(contentsOf: path).configuration == configuration)
    }

    /// The section of a default configuration is what earlier builds wrote, line for line: files stay
    /// byte-identical and older builds read them.
    @Test func theSectionKeepsItsFormat() {
        var configuration = TrainingConfiguration()
        configuration.threads = 4
        #expect(String(decoding: ConfigurationSection.encode(configuration), as: UTF8.self) == """
            architecture=cbow
            dimension=100
            window=5
            negative=5
            hierarchicalSoftmax=false
            cbowMean=true
            sample=0.001
            minCount=5
            epochs=5
            threads=4
            seed=1
            maxSentenceLength=10000
            noiseExponent=0.75

            """)
        configuration.loss = .softmax
        configuration.maxVocabularySize = 9
        configuration.l2 = 0.25
        let lines = String(decoding: ConfigurationSection.encode(configuration), as: UTF8.self).split(separator: "\n")
        #expect(lines.contains("negative=0") && lines.contains("softmax=true") && lines.contains("l2=0.25"))
        #expect(lines.firstIndex(of: "maxVocabularySize=9")! < lines.firstIndex(of: "softmax=true")!)
    }

    @Test func unreadableSectionsNameTheLine() {
        func problem(_ text: String) -> String? {
            do {
                _ = try Array(text.utf8).withUnsafeBytes { try ConfigurationSection.decode($0) }
                return nil
            } catch let error as ConfigurationSection.Problem {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        #expect(problem("dimension=10\nwidth=3\n") == "unknown configuration key 'width'")
        #expect(problem("architecture=bag\n") == "unknown architecture 'bag'")
        #expect(problem("documentMode=dm\n") == "unknown document mode 'dm'")
        #expect(problem("dimension=ten\n") == "configuration value 'dimension=ten' is invalid")
        #expect(problem("window=3\nwindow=3\n") == "configuration key 'window' appears twice")
        #expect(problem("negative=0\n") == "invalid configuration: no objective (negative is 0 and hierarchicalSoftmax is false)")
        #expect(problem("dimension=0\n")?.hasPrefix("invalid configuration: ") == true)
        #expect(problem("") == nil)
    }

    @Test func everyBoundNamesItsSetting() {
        let bounded = Set(Self.outOfBounds.map(\.setting))
        for (name, change) in Self.outOfBounds {
            var configuration = TrainingConfiguration()
            change(&configuration)
            #expect(TrainingConfiguration.setting(named: name)?.problem(in: configuration) != nil, "\(name)")
            do {
                try configuration.validate()
                Issue.record("\(name): accepted")
            } catch let Word2VecError.invalidConfiguration(setting, _) {
                #expect(setting == "TrainingConfiguration." + name)
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
        // A setting whose bounds accept the default and refuse nothing listed above is unbounded.
        for setting in TrainingConfiguration.settings where !bounded.contains(setting.name) {
            #expect(setting.problem(in: TrainingConfiguration()) == nil, "\(setting.name)")
        }
    }

    @Test func keysFlagsAndSpellingsAreUnique() {
        let settings = TrainingConfiguration.settings
        #expect(Set(settings.map(\.key)).count == settings.count)
        #expect(Set(settings.map(\.name)).count == settings.count)
        let flags = settings.compactMap(\.flag)
        #expect(Set(flags).count == flags.count)
        let spellings = settings.flatMap { [$0.spellings.cTool, $0.spellings.fastText].compactMap { $0 } }
            + settings.flatMap(\.spellings.gensim)
        #expect(Set(spellings).count == spellings.count)
        for setting in settings where setting.spellings.cTool != nil || setting.spellings.fastText != nil
            || !setting.spellings.gensim.isEmpty {
            #expect(setting.flag != nil, "\(setting.name) has other tools' names but no flag")
        }
    }

    // MARK: The command line

    /// Every flag a setting declares is an option of a training command.
    @Test func everyFlagIsAnOption() throws {
        let help = try runWord2Vec(["train", "--help"]).standardOutput
            + runWord2Vec(["doc2vec", "train", "--help"]).standardOutput
        for setting in TrainingConfiguration.settings {
            guard let flag = setting.flag?.split(separator: " ").first else { continue }
            #expect(help.contains(flag + " ") || help.contains(flag + "\n") || help.contains(flag + "/"),
                    "\(setting.name): \(flag) is not an option of train or doc2vec train")
        }
    }

    /// An out-of-range value names the flag, and so does each other tool's spelling of it.
    @Test func errorsNameTheFlagForEverySpelling() throws {
        let input = directory.file("text.txt", "a b c\n")
        let output = directory.path + "/v.txt"
        let bad: [String: String] = [
            "dimension": "0", "window": "0", "sample": "-1", "minCount": "0", "epochs": "0", "threads": "0",
            "maxSentenceLength": "0", "noiseExponent": "11", "maxVocabularySize": "0", "learningRate": "1",
            "minLearningRate": "1", "l2": "-1",
        ]
        for (name, value) in bad {
            let setting = try #require(TrainingConfiguration.setting(named: name))
            let flag = try #require(setting.flag)
            let spellings = [flag] + [setting.spellings.cTool, setting.spellings.fastText].compactMap { $0 }
                + setting.spellings.gensim
            for spelling in spellings {
                let result = try runWord2Vec(["train", "--input", input, "--output", output, spelling, value])
                #expect(result.status == 64, "\(spelling) \(value): \(result.standardError)")
                #expect(result.standardError.contains(flag), "\(spelling) \(value): \(result.standardError)")
                #expect(!result.standardError.contains("TrainingConfiguration"), "\(result.standardError)")
            }
        }
    }

    /// The floor a run ends at when no setting names one: the high floor only for whole-word
    /// negative sampling in short runs, the annealed one otherwise; an explicit fraction wins.
    @Test func defaultFloorFollowsTheEpochsAndTheObjective() {
        var configuration = TrainingConfiguration()
        #expect(configuration.defaultFinalLearningRateFraction == 0.3)
        configuration.epochs = TrainingConfiguration.annealedEpochs - 1
        #expect(configuration.defaultFinalLearningRateFraction == 0.3)
        configuration.epochs = TrainingConfiguration.annealedEpochs
        #expect(configuration.defaultFinalLearningRateFraction == 1e-4)
        configuration.finalLearningRateFraction = 0.25
        #expect(configuration.defaultFinalLearningRateFraction == 0.25)
        var hierarchical = TrainingConfiguration()
        hierarchical.loss = .hierarchicalSoftmax
        #expect(hierarchical.defaultFinalLearningRateFraction == 1e-4)
        var subwords = TrainingConfiguration()
        subwords.subwords = CharacterNGrams(minLength: 3, maxLength: 6, buckets: 1_000)
        #expect(subwords.defaultFinalLearningRateFraction == 1e-4)
    }
}
