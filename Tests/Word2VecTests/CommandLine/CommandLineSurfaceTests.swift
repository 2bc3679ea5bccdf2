import Foundation
import Testing
import Word2Vec

/// The command line as users of the C tool, fastText and gensim expect it: their spellings, `-` for
/// standard streams, exit statuses, the query loop, tab-separated tables and training warnings.
@Suite struct CommandLineSurfaceTests {
    let directory = TestDirectory()

    var corpus: String { directory.file("corpus.txt", String(repeating: CommandLineTests.sentence, count: 20)) }
    var vectors: String { directory.file("v.txt", "4 2\neast 1 0 \nnortheast 1 1 \nnorth 0 1 \nwest -1 0 \n") }

    /// Expects a failure with exactly one stderr line holding `fragment`, and `status`.
    static func expectFailure(_ run: CommandResult, status: Int32, mentions fragment: String) {
        #expect(run.status == status, "stderr: \(run.standardError)")
        #expect(run.standardError.split(separator: "\n").count == 1, "stderr: \(run.standardError)")
        #expect(run.standardError.hasPrefix("word2vec: error: "), "stderr: \(run.standardError)")
        #expect(run.standardError.contains(fragment), "stderr: \(run.standardError)")
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    // MARK: 1. Spellings of other tools

    @Test func fastTextCommandForm() throws {
        let prefix = directory.path + "/ft"
        let run = try runWord2Vec([
            "skipgram", "-input", corpus, "-output", prefix, "-dim", "7", "-ws", "2", "-epoch", "1", "-minCount", "1",
            "-lr", "0.05", "-thread", "1", "-neg", "2", "-loss", "ns", "-t", "0.01", "-minn", "0", "-maxn", "0", "-verbose", "0",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.isEmpty)
        #expect(try lines(prefix + ".vec").first == "8 7")
        let configuration = try Model(contentsOf: prefix + ".model").configuration
        #expect(configuration.architecture == .skipGram)
        #expect(configuration.window == 2 && configuration.negatives == 2 && configuration.epochs == 1)
        #expect(configuration.minCount == 1 && configuration.threads == 1 && configuration.learningRate == 0.05)
        #expect(configuration.sample == 0.01 && configuration.loss == .negativeSampling(negatives: 2))
        #expect(configuration.noiseExponent == 0.5, "fastText draws negatives from count^0.5")

        let hs = try runWord2Vec(["cbow", "-input", corpus, "-output", prefix + "-hs", "-minCount", "1", "-loss", "hs", "-verbose", "0"])
        #expect(hs.status == 0, "\(hs.standardError)")
        let hsConfiguration = try Model(contentsOf: prefix + "-hs.model").configuration
        #expect(hsConfiguration.architecture == .cbow && hsConfiguration.loss == .hierarchicalSoftmax)

        let softmax = try runWord2Vec(["skipgram", "-input", corpus, "-output", prefix + "-sm", "-minCount", "1", "-loss", "softmax", "-verbose", "0"])
        #expect(softmax.status == 0, "\(softmax.standardError)")
        let softmaxConfiguration = try Model(contentsOf: prefix + "-sm.model").configuration
        #expect(softmaxConfiguration.loss == .softmax)
    }

    @Test func fastTextOptionsTheToolCannotHonourAreRefused() throws {
        let output = directory.path + "/out"
        let loss = try runWord2Vec(["skipgram", "-input", corpus, "-output", output, "-loss", "ova"])
        Self.expectFailure(loss, status: 64, mentions: "-loss takes ns, hs or softmax, got 'ova'")
        let wordNGrams = try runWord2Vec(["skipgram", "-input", corpus, "-output", output, "-wordNgrams", "2"])
        Self.expectFailure(wordNGrams, status: 64, mentions: "-wordNgrams 2")
        let subwords = try runWord2Vec(["train", "--input", corpus, "--output", output, "--maxn", "2", "--minn", "3"])
        Self.expectFailure(subwords, status: 64, mentions: "--maxn must be at least 3 (got 2)")
        let noPrefix = try runWord2Vec(["skipgram", "-input", corpus])
        Self.expectFailure(noPrefix, status: 64, mentions: "-output")
        #expect(!FileManager.default.fileExists(atPath: output + ".vec"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func fastTextQueryCommands() throws {
        let nn = try runWord2Vec(["nn", vectors, "1"], input: "east\n")
        #expect(nn.status == 0, "\(nn.standardError)")
        #expect(nn.standardOutput == "northeast\t0.707107\n\n")
        let words = try runWord2Vec(["print-word-vectors", vectors], input: "east north\n")
        #expect(words.standardOutput == "east 1.000000 0.000000\nnorth 0.000000 1.000000\n")
        let sentences = try runWord2Vec(["print-sentence-vectors", vectors], input: "east north\n")
        #expect(sentences.standardOutput == "0.500000 0.500000\n")
        Self.expectFailure(try runWord2Vec(["supervised", "-input", corpus, "-output", directory.path + "/s"]),
                           status: 64, mentions: "classification")
    }

    @Test func gensimSpellings() throws {
        let model = directory.path + "/g.model"
        let run = try runWord2Vec([
            "train", "--input", corpus, "--save-model", model, "--vector-size", "6", "--sg", "1", "--workers", "1",
            "--iter", "2", "--min_count", "1", "--hs", "1", "--negative", "0", "--min-alpha", "0.001", "--cbow-mean", "0",
            "--max-final-vocab", "7", "--quiet",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let configuration = try Model(contentsOf: model).configuration
        #expect(configuration.dimension == 6 && configuration.architecture == .skipGram && configuration.threads == 1)
        #expect(configuration.epochs == 2 && configuration.minCount == 1)
        #expect(configuration.loss == .hierarchicalSoftmax && configuration.minLearningRate == 0.001 && !configuration.cbowMean)
        #expect(configuration.maxVocabularySize == 7)

        let sg = try runWord2Vec(["train", "--input", corpus, "--save-model", model, "--model", "sg", "--min-count", "1", "--quiet"])
        #expect(sg.status == 0, "\(sg.standardError)")
        #expect(try Model(contentsOf: model).configuration.architecture == .skipGram)
    }

    @Test func minAlphaChangesTheSchedule() throws {
        func trained(_ extra: [String]) throws -> String {
            let output = directory.path + "/a\(extra.count).txt"
            let run = try runWord2Vec(["train", "--input", corpus, "--output", output, "--min-count", "1", "--threads", "1",
                                       "--dim", "5", "--alpha", "0.05", "--quiet"] + extra)
            #expect(run.status == 0, "\(run.standardError)")
            return try String(contentsOfFile: output, encoding: .utf8)
        }
        // A constant rate learns other vectors than the default decay; the default is reproducible.
        #expect(try trained([]) == trained(["--seed", "1"]))
        #expect(try trained([]) != trained(["--min-alpha", "0.05"]))
    }

    @Test func cToolFlagsWithTwoDashesAndOneDashNames() throws {
        let output = directory.path + "/c.txt"
        let run = try runWord2Vec(["--train", corpus, "--output", output, "--size", "5", "--cbow", "0", "--min-count", "1", "--debug", "0"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.isEmpty)
        #expect(try lines(output).first == "8 5")
        // A one-dash spelling of a two-dash option is that option, not a missing required one.
        let classes = directory.path + "/classes.txt"
        let oneDash = try runWord2Vec(["classes", vectors, "-k", "2", "-output", classes, "-quiet"])
        #expect(oneDash.status == 0, "\(oneDash.standardError)")
        #expect(try lines(classes).count == 4)
        let unknown = try runWord2Vec(["classes", vectors, "-k", "2", "-outptu", classes])
        Self.expectFailure(unknown, status: 64, mentions: "outptu")
        #expect(!unknown.standardError.contains("Missing expected argument"))
    }

    @Test(arguments: [("--window", "-1"), ("--dim", "-5"), ("--min-alpha", "-0.5"), ("--epochs", "-inf")])
    func negativeValuesGetTheRangeMessage(flag: String, value: String) throws {
        let output = directory.path + "/n.txt"
        let run = try runWord2Vec(["train", "--input", corpus, "--output", output, flag, value])
        Self.expectFailure(run, status: 64, mentions: flag)
        #expect(!run.standardError.contains("Missing value"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    // MARK: 2. Version, help, exit statuses

    /// A typo in a command name is named as such, with the nearest command, instead of blaming the
    /// first option the parent command lacks or counting the words as unexpected arguments.
    @Test func mistypedCommandsAreNamedWithTheNearestCommand() throws {
        Self.expectFailure(try runWord2Vec(["trian", "--input", corpus]), status: 64,
                           mentions: "unknown command 'trian'; did you mean 'train'?")
        Self.expectFailure(try runWord2Vec(["simlar", vectors, "east"]), status: 64,
                           mentions: "unknown command 'simlar'; did you mean 'similar'?")
        Self.expectFailure(try runWord2Vec(["items", "recomend", "--model", "m"]), status: 64,
                           mentions: "unknown command 'recomend' of 'word2vec items'; did you mean 'recommend'?")
        Self.expectFailure(try runWord2Vec(["tr\nain", "--input", corpus]), status: 64,
                           mentions: "unknown command \"tr\\nain\"; did you mean 'train'?")
        let far = try runWord2Vec(["zzzzzzzz", "x"])
        Self.expectFailure(far, status: 64, mentions: "unknown command 'zzzzzzzz'; commands: train, similar")
        // The other tools' spellings still reach train.
        let cTool = try runWord2Vec(["-train", corpus, "-output", directory.path + "/c.txt", "-size", "4", "-min-count", "1", "-debug", "0"])
        #expect(cTool.status == 0, "\(cTool.standardError)")
        let fastText = try runWord2Vec(["skipgram", "-input", corpus, "-output", directory.path + "/ft", "-dim", "4", "-minCount", "1", "-verbose", "0"])
        #expect(fastText.status == 0, "\(fastText.standardError)")
    }

    @Test func versionAndHelp() throws {
        let version = try runWord2Vec(["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput.split(separator: ".").count == 3)
        let root = try runWord2Vec(["--help"])
        #expect(root.standardOutput.contains("Exit status") && root.standardOutput.contains("65"))
        let commands = [
            ["train"], ["similar"], ["analogy"], ["evaluate", "analogies"], ["evaluate", "similarity"], ["phrases"],
            ["classes"], ["convert"], ["update"], ["vector"], ["similarity"], ["n-similarity"], ["doesnt-match"],
            ["sentence-vector"],
        ]
        for command in commands {
            let help = try runWord2Vec(command + ["--help"])
            #expect(help.status == 0)
            #expect(help.standardOutput.contains("Example"), "\(command) has no example")
            // Each default once: an option's help never says it twice.
            let options = help.standardOutput.components(separatedBy: "\n  -")
            for option in options {
                #expect(option.components(separatedBy: "default:").count <= 2, "\(command): \(option)")
            }
        }
    }

    /// Examples wider than the help's 80 columns were wrapped mid-command, the rest of the command
    /// starting a line of its own: each example line must fit.
    @Test func helpExamplesAreNotWrapped() throws {
        let commands = [
            [], ["train"], ["similar"], ["analogy"], ["evaluate", "analogies"], ["evaluate", "similarity"], ["phrases"],
            ["classes"], ["convert"], ["update"], ["vector"], ["similarity"], ["n-similarity"], ["doesnt-match"],
            ["sentence-vector"], ["doc2vec", "train"], ["doc2vec", "update"], ["doc2vec", "infer"], ["doc2vec", "similar"],
            ["items", "train"], ["items", "update"], ["items", "recommend"], ["items", "evaluate"], ["plot"], ["tokenize"],
        ]
        for command in commands {
            let help = try runWord2Vec(command + ["--help"]).standardOutput
            var inExamples = false
            for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("Example") || (command.isEmpty && line.hasPrefix("Other tools' spellings")) { inExamples = true; continue }
                if line.isEmpty || line.hasPrefix("USAGE:") || line.hasPrefix("A file argument") { inExamples = false; continue }
                if inExamples {
                    #expect(line.hasPrefix("  "), "\(command): an example wrapped into '\(line)'")
                }
            }
        }
    }

    @Test func exitStatusesTellUsageDataAndFilesApart() throws {
        let output = directory.path + "/out.txt"
        Self.expectFailure(try runWord2Vec(["train", "--input", corpus, "--output", output, "--bogus", "1"]),
                           status: 64, mentions: "--bogus")
        let malformed = directory.file("bad.txt", "2 2\na 1 2\nb 1\n")
        Self.expectFailure(try runWord2Vec(["similar", malformed, "a"]), status: 65, mentions: "bad.txt:3")
        let empty = directory.file("empty.txt", "\n\n")
        Self.expectFailure(try runWord2Vec(["train", "--input", empty, "--output", output]), status: 65, mentions: "no words")
        Self.expectFailure(try runWord2Vec(["similar", directory.path + "/none.txt", "a"]), status: 66, mentions: "none.txt")
        Self.expectFailure(try runWord2Vec(["classes", vectors, "--k", "2", "--output", directory.path + "/no/such/dir.txt"]),
                           status: 73, mentions: "no/such/dir.txt")
        Self.expectFailure(try runWord2Vec(["similar", vectors, "nowhere"]), status: 1, mentions: "nowhere")
    }

    // MARK: 3. Standard input and output

    @Test func standardStreamsForFileArguments() throws {
        // phrases: the same text through pipes as through files, over two passes.
        let text = String(repeating: "new york is big\nthe cat sat\n", count: 30)
        let input = directory.file("p.txt", text)
        let phrased = directory.path + "/phrased.txt"
        let options = ["--min-count", "2", "--threshold", "1", "--passes", "2", "--quiet"]
        #expect(try runWord2Vec(["phrases", "--input", input, "--output", phrased] + options).status == 0)
        let piped = try runWord2Vec(["phrases", "--input", "-", "--output", "-"] + options, input: text)
        #expect(piped.status == 0, "\(piped.standardError)")
        #expect(piped.standardOutput == (try String(contentsOfFile: phrased, encoding: .utf8)))
        #expect(piped.standardOutput.contains("new_york"))

        // classes and convert read vectors from standard input and write to standard output.
        let vectorText = try String(contentsOfFile: vectors, encoding: .utf8)
        let classes = try runWord2Vec(["classes", "-", "--k", "2", "--output", "-", "--quiet", "--threads", "1"], input: vectorText)
        #expect(classes.status == 0, "\(classes.standardError)")
        #expect(classes.standardOutput.split(separator: "\n").map { $0.split(separator: "\t")[0] } == ["east", "northeast", "north", "west"])
        let converted = try runWord2Vec(["convert", "-", "--to", "text", "--output", "-"], input: vectorText)
        #expect(converted.status == 0, "\(converted.standardError)")
        let copy = directory.file("copy.txt", converted.standardOutput)
        #expect(try rows(of: Embeddings.load(path: copy)) == rows(of: Embeddings.load(path: vectors)))

        // train from standard input to standard output; evaluate questions from standard input.
        let trained = try runWord2Vec(["train", "--input", "-", "--output", "-", "--min-count", "1", "--dim", "4", "--quiet"],
                                      input: String(repeating: CommandLineTests.sentence, count: 20))
        #expect(trained.status == 0, "\(trained.standardError)")
        #expect(trained.standardOutput.hasPrefix("8 4\n"))
        let evaluated = try runWord2Vec(["evaluate", "analogies", vectors, "-", "--json"], input: ": s\nwest north east northeast\n")
        #expect(evaluated.status == 0, "\(evaluated.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.standardOutput.utf8)) as? [String: Any])
        #expect((object["total"] as? [String: Any])?["correct"] as? Int == 1)
    }

    @Test func oneStreamForOneArgument() throws {
        let both = try runWord2Vec(["train", "--input", corpus, "--output", "-", "--save-vocab", "-"])
        Self.expectFailure(both, status: 64, mentions: "standard output")
        let phrases = try runWord2Vec(["phrases", "--input", corpus, "--output", "-", "--save-phrases", "-"])
        Self.expectFailure(phrases, status: 64, mentions: "--save-phrases")
        let loop = try runWord2Vec(["similar", "-"], input: "1 1\na 1\n")
        Self.expectFailure(loop, status: 64, mentions: "standard input")
        let npy = try runWord2Vec(["convert", vectors, "--to", "npy", "--output", "-"])
        Self.expectFailure(npy, status: 64, mentions: "directory")
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/-/vectors.npy"))
    }

    // MARK: 5. The query loop

    @Test func similarLoopKeepsOneResultPerLine() throws {
        let input = "east\n\nnowhere\nnorth - west\neast +\nEXIT\nwest\n"
        let run = try runWord2Vec(["similar", vectors, "--top", "1", "--json"], input: input)
        #expect(run.status == 0)
        let results = try run.standardOutput.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(results.count == 5)
        #expect((results[0]["neighbours"] as? [[String: Any]])?.first?["word"] as? String == "northeast")
        #expect((results[1]["neighbours"] as? [Any])?.isEmpty == true && results[1]["error"] == nil)
        #expect((results[2]["neighbours"] as? [Any])?.isEmpty == true)
        #expect((results[2]["error"] as? String)?.contains("nowhere") == true)
        #expect(results[3]["negative"] as? [String] == ["west"] && results[3]["positive"] as? [String] == ["north"])
        #expect((results[4]["error"] as? String)?.contains("'+'") == true)
        let errors = run.standardError.split(separator: "\n")
        #expect(errors.count == 2 && errors[0].contains("nowhere"))

        let text = try runWord2Vec(["similar", vectors, "--top", "1"], input: "east\n\nnowhere\n")
        #expect(text.standardOutput == "northeast\t0.707107\n\n\n\n")
    }

    @Test func arithmeticQueriesEqualNegativeWords() throws {
        let expression = try runWord2Vec(["similar", vectors, "north", "-", "west", "+", "east", "--top", "2"])
        let options = try runWord2Vec(["similar", vectors, "north", "east", "--negative", "west", "--top", "2"])
        #expect(expression.status == 0, "\(expression.standardError)")
        #expect(expression.standardOutput == options.standardOutput && !options.standardOutput.isEmpty)
    }

    @Test func analogyLoop() throws {
        let run = try runWord2Vec(["analogy", vectors, "--top", "1", "--json"],
                                  input: "west north east\nnorth - west + east\nnorth east\nwest north nowhere\n")
        #expect(run.status == 0)
        let results = try run.standardOutput.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(results.count == 4)
        let first = results[0]["neighbours"] as? [[String: Any]]
        #expect(first?.first?["word"] as? String == "northeast")
        #expect((results[1]["neighbours"] as? [[String: Any]])?.first?["word"] as? String == "northeast")
        #expect(results[1]["a"] as? String == "west" && results[1]["b"] as? String == "north")
        #expect((results[2]["neighbours"] as? [Any])?.isEmpty == true && results[2]["error"] != nil)
        #expect((results[3]["error"] as? String)?.contains("nowhere") == true)
        #expect(run.standardError.split(separator: "\n").count == 2)
        let wrongCount = try runWord2Vec(["analogy", vectors, "west", "north"])
        Self.expectFailure(wrongCount, status: 64, mentions: "three words")
    }

    // MARK: 6. Tables

    @Test func tablesAreTabSeparated() throws {
        let vocabulary = directory.path + "/vocab.txt"
        let classes = directory.path + "/classes.txt"
        let run = try runWord2Vec(["train", "--input", corpus, "--output", classes, "--classes", "2", "--save-vocab", vocabulary,
                                   "--min-count", "1", "--threads", "1", "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try lines(vocabulary).first == "the\t40")
        #expect(try lines(vocabulary).allSatisfy { $0.split(separator: "\t").count == 2 && !$0.contains(" ") })
        #expect(try lines(classes).allSatisfy { line in
            let fields = line.split(separator: "\t")
            return fields.count == 2 && Int(fields[1]).map { (0..<2).contains($0) } == true
        })
        let phrases = directory.path + "/phrases.tsv"
        let text = directory.file("p.txt", String(repeating: "new york is big\n", count: 30))
        let phrased = try runWord2Vec(["phrases", "--input", text, "--output", directory.path + "/o.txt", "--min-count", "2",
                                       "--threshold", "1", "--save-phrases", phrases, "--quiet"])
        #expect(phrased.status == 0, "\(phrased.standardError)")
        let rows = try lines(phrases).map { $0.split(separator: "\t").map(String.init) }
        #expect(!rows.isEmpty)
        for row in rows {
            #expect(row.count == 3 && Int(row[1]) != nil)
            // Scores as every score the tool prints: six decimals.
            #expect(row[2].split(separator: ".").last?.count == 6)
        }
        let neighbours = try runWord2Vec(["similar", vectors, "east", "--top", "1"])
        #expect(neighbours.standardOutput == "northeast\t0.707107\n")
    }

    // MARK: 7. Training warnings

    @Test func trainingWarnsAboutCorporaThatTeachLittle() throws {
        let output = directory.path + "/w.txt"
        func warnings(_ text: String, _ extra: [String] = []) throws -> [Substring] {
            let input = directory.file("w-corpus.txt", text)
            let run = try runWord2Vec(["train", "--input", input, "--output", output, "--quiet", "--epochs", "1"] + extra)
            #expect(run.status == 0, "\(run.standardError)")
            return run.standardError.split(separator: "\n")
        }
        let oneWordPerLine = try warnings((0..<100).map { "w\($0 % 7)\n" }.joined(), ["--min-count", "1"])
        #expect(oneWordPerLine.count == 1 && oneWordPerLine[0].hasPrefix("word2vec: warning: 100% of the lines"))
        let rare = try warnings((0..<100).map { "common rare\($0) other\($0)\n" }.joined())
        #expect(rare.count == 1 && rare[0].contains("only 1 of 201 distinct words") && rare[0].contains("--min-count 5"))
        let long = try warnings((0..<50).map { "w\($0 % 9)" }.joined(separator: " ") + "\n",
                                ["--min-count", "1", "--max-sentence-length", "10"])
        #expect(long.count == 1 && long[0].contains("50 words") && long[0].contains("--max-sentence-length"))
        #expect(try warnings(String(repeating: CommandLineTests.sentence, count: 20), ["--min-count", "1"]).isEmpty)
    }
}
