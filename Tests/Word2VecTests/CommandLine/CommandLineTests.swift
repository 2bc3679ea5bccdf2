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

    /// Without --binary or --no-binary the output's name decides: *.bin is binary, as gensim users
    /// expect; the C tool's -binary 0 stays text whatever the name.
    @Test func binaryFormatFollowsTheOutputName() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        func output(_ name: String, _ flags: [String], train: [String] = ["train", "--input"]) throws -> Data {
            let path = directory.appendingPathComponent(name).path
            let result = try runWord2Vec(train + [input, "--output", path, "--dim", "3", "--min-count", "1", "--quiet"] + flags)
            #expect(result.status == 0, "\(result.standardError)")
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let binarySize = "8 3\n".utf8.count + 8 * (3 * 4 + 2) + "thequickbrownfoxjumpsoverlazydog".utf8.count
        #expect(try output("v.bin", []).count == binarySize)
        #expect(try output("V.BIN", []).count == binarySize)
        #expect(try output("v.txt", ["--binary"]).count == binarySize)
        for data in [try output("t.bin", ["--no-binary"]), try output("v.txt", []), try output("c.bin", ["-binary", "0"])] {
            #expect(String(data: data, encoding: .utf8)?.split(separator: "\n").count == 9)
        }
    }

    /// A byte order mark and bytes that are not UTF-8 change words silently; each is told once,
    /// naming the line, also when the text is counted in parallel ranges.
    @Test func encodingProblemsOfTheTextAreToldOnceWithTheLine() throws {
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("v.txt").path
        let marked = directory.appendingPathComponent("bom.txt")
        try Data([0xEF, 0xBB, 0xBF] + Array(String(repeating: Self.sentence, count: 20).utf8)).write(to: marked)
        let bom = try runWord2Vec(["train", "--input", marked.path, "--output", output, "--min-count", "1", "--quiet"])
        #expect(bom.status == 0)
        #expect(bom.standardError == "word2vec: warning: \(marked.path):1: starts with a byte order mark (U+FEFF), which became part of the first word; save the text as UTF-8 without BOM\n")

        // Over 2 MiB, so that two threads count two ranges; bad bytes on lines 50,000 and 55,000.
        var bytes: [UInt8] = []
        for line in 1...60_000 {
            bytes += Array("the quick brown fox ".utf8)
            if line == 50_000 || line == 55_000 { bytes += [0x66, 0xE9, 0x74, 0x65, 0x20] }  // Latin-1 "fête"
            bytes += Array("jumps over the lazy dog\n".utf8)
        }
        let latin = directory.appendingPathComponent("latin.txt")
        try Data(bytes).write(to: latin)
        let bad = try runWord2Vec(["train", "--input", latin.path, "--output", output, "--min-count", "1", "--quiet",
                                   "--threads", "2", "--epochs", "1", "--dim", "4"])
        #expect(bad.status == 0, "\(bad.standardError)")
        let warnings = bad.standardError.split(separator: "\n").filter { $0.contains("not UTF-8") }
        #expect(warnings.count == 1, "\(bad.standardError)")
        #expect(warnings.first?.hasPrefix("word2vec: warning: \(latin.path):50000: bytes that are not UTF-8") == true, "\(bad.standardError)")
        let clean = try runWord2Vec(["train", "--input", try Self.corpus(in: directory), "--output", output, "--min-count", "1", "--quiet"])
        #expect(clean.standardError.isEmpty)
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
