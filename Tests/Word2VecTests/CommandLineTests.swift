import Foundation
import Testing
import Word2Vec

/// The `word2vec train` command end to end: bad input gets one line naming the problem, a non-zero
/// exit, and no output file; the original tool's spelling works.
@Suite struct CommandLineTests {
    static let sentence = "the quick brown fox jumps over the lazy dog\n"

    static func corpus(in directory: URL, repeats: Int = 20) throws -> String {
        let file = directory.appendingPathComponent("corpus.txt")
        try writeFile(file, String(repeating: sentence, count: repeats))
        return file.path
    }

    /// Expects failure with a single stderr line containing `fragment`, and no file at `output`.
    static func expectFailure(_ arguments: [String], mentions fragment: String, output: String? = nil) throws {
        let result = try runWord2Vec(arguments)
        #expect(result.status != 0)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.standardError)")
        #expect(result.standardError.contains(fragment), "stderr: \(result.standardError)")
        if let output {
            #expect(!FileManager.default.fileExists(atPath: output))
            let directory = URL(fileURLWithPath: output).deletingLastPathComponent().path
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { $0.contains(".tmp-") }
            #expect(leftovers?.isEmpty ?? true, "temporary files left: \(leftovers ?? [])")
        }
    }

    @Test func trainsAndWritesBothFormats() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let text = directory.appendingPathComponent("v.txt").path
        let result = try runWord2Vec(["train", "--input", input, "--output", text, "--dim", "7", "--min-count", "1", "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty)
        let lines = try String(contentsOfFile: text, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "8 7")
        #expect(lines.count == 9)
        #expect(lines[1].hasPrefix("the "))
    }

    @Test func originalToolSpelling() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let output = directory.appendingPathComponent("v.bin").path
        let vocab = directory.appendingPathComponent("vocab.txt").path
        let result = try runWord2Vec([
            "-train", input, "-output", output, "-size", "12", "-window", "3", "-sample", "1e-4", "-negative", "3",
            "-hs", "1", "-binary", "1", "-cbow", "0", "-iter", "2", "-threads", "2", "-min-count", "2",
            "-alpha", "0.03", "-save-vocab", vocab, "-debug", "0",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let data = try Data(contentsOf: URL(fileURLWithPath: output))
        #expect(data.starts(with: Data("8 12\n".utf8)))
        #expect(data.count == 5 + 8 * (12 * 4 + 2) + "thequickbrownfoxjumpsoverlazydog".utf8.count)
        #expect(try String(contentsOfFile: vocab, encoding: .utf8).hasPrefix("the\t40\n"))
        let reread = directory.appendingPathComponent("again.bin").path
        let second = try runWord2Vec(["-train", input, "-output", reread, "-read-vocab", vocab, "-size", "12", "-debug", "0"])
        #expect(second.status == 0, "\(second.standardError)")
    }

    @Test func progressAndLossGoToStandardError() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let output = directory.appendingPathComponent("v.txt").path
        let result = try runWord2Vec(["train", "--input", input, "--output", output, "--min-count", "1", "--epochs", "3"])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("epoch 3/3"))
        #expect(result.standardError.contains("mean loss"))
    }

    @Test func missingInput() throws {
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("v.txt").path
        try Self.expectFailure(["train", "--input", directory.appendingPathComponent("nope.txt").path, "--output", output],
                               mentions: "nope.txt", output: output)
    }

    @Test func inputIsADirectory() throws {
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("v.txt").path
        try Self.expectFailure(["train", "--input", directory.path, "--output", output], mentions: "directory", output: output)
    }

    @Test func emptyCorpus() throws {
        let directory = try temporaryDirectory()
        let input = directory.appendingPathComponent("empty.txt")
        try writeFile(input, " \n\n \t\n")
        let output = directory.appendingPathComponent("v.txt").path
        try Self.expectFailure(["train", "--input", input.path, "--output", output], mentions: "contains no words", output: output)
    }

    @Test func noWordReachesMinCount() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory, repeats: 1)
        let output = directory.appendingPathComponent("v.txt").path
        try Self.expectFailure(["train", "--input", input, "--output", output, "--min-count", "3"],
                               mentions: "--min-count 3", output: output)
    }

    @Test(arguments: [
        ("--dim", "0"), ("--dim", "-5"), ("--window", "0"), ("--window", "-1"), ("--threads", "0"),
        ("--threads", "-2"), ("--epochs", "0"), ("--epochs", "-1"), ("--negative", "-1"), ("--min-count", "0"),
        ("--sample", "-0.1"), ("--alpha", "0"),
    ])
    func outOfRangeOptions(flag: String, value: String) throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let output = directory.appendingPathComponent("v.txt").path
        try Self.expectFailure(["train", "--input", input, "--output", output, flag, value], mentions: flag, output: output)
    }

    @Test func noObjective() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let output = directory.appendingPathComponent("v.txt").path
        try Self.expectFailure(["train", "--input", input, "--output", output, "--negative", "0"],
                               mentions: "--negative", output: output)
    }

    @Test func unknownFlags() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let output = directory.appendingPathComponent("v.txt").path
        try Self.expectFailure(["train", "--input", input, "--output", output, "--bogus", "3"], mentions: "--bogus", output: output)
        try Self.expectFailure(["-train", input, "-output", output, "-bogus", "3"], mentions: "-bogus", output: output)
        try Self.expectFailure(["-train", input, "-output", output, "-hs", "yes"], mentions: "-hs", output: output)
        try Self.expectFailure(["train", "--input", input, "--output", output, "--dim", "many"], mentions: "many", output: output)
    }

    @Test func unwritableOutput() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let output = directory.appendingPathComponent("missing/v.txt").path
        try Self.expectFailure(["train", "--input", input, "--output", output, "--min-count", "1"], mentions: "missing/v.txt")
        try Self.expectFailure(["train", "--input", input, "--output", directory.path, "--min-count", "1"], mentions: "directory")
    }

    @Test func malformedVocabularyFile() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let vocab = directory.appendingPathComponent("vocab.txt")
        try writeFile(vocab, "the 40\nquick x\n")
        let output = directory.appendingPathComponent("v.txt").path
        try Self.expectFailure(["train", "--input", input, "--output", output, "--read-vocab", vocab.path],
                               mentions: "vocab.txt:2:", output: output)
    }

    @Test func failedRunKeepsAnExistingOutputIntact() throws {
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("v.txt")
        try writeFile(output, "precious")
        let empty = directory.appendingPathComponent("empty.txt")
        try writeFile(empty, "")
        let result = try runWord2Vec(["train", "--input", empty.path, "--output", output.path])
        #expect(result.status != 0)
        #expect(try String(contentsOf: output, encoding: .utf8) == "precious")
    }
}
