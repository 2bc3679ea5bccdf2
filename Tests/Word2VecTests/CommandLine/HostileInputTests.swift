import Foundation
import Testing
import Word2Vec

/// Input that could crash, hang or corrupt a run: absurd flags, compressed, piped or binary input,
/// outputs that are devices, links or the input itself, and corpora with endless distinct words.
@Suite struct HostileInputTests {
    /// A small corpus whose words all pass `--min-count 1`.
    static func corpus(in directory: URL, lines: Int = 200) throws -> String {
        var random = TestRandom(seed: 3)
        let text = (0..<lines).map { _ in
            (0..<10).map { _ in "w\(Int.random(in: 0..<40, using: &random))" }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
        let file = directory.appendingPathComponent("corpus.txt")
        try writeFile(file, text)
        return file.path
    }

    static func expectOneLineFailure(_ result: CommandResult, mentioning text: String,
                                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        let lines = result.standardError.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "not one line: \(result.standardError)", sourceLocation: sourceLocation)
        #expect(result.standardError.hasPrefix("word2vec: error: "), sourceLocation: sourceLocation)
        #expect(result.standardError.contains(text), "\(result.standardError)", sourceLocation: sourceLocation)
    }

    static func names(in directory: URL) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
    }

    // MARK: Flags

    @Test func itemsTrainRefusesAnUnderflowingNoiseExponent() throws {
        let directory = try temporaryDirectory()
        let input = directory.appendingPathComponent("sessions.txt")
        try writeFile(input, String(repeating: "i1 i2 i3 i4\ni2 i3 i5\n", count: 30))
        let output = directory.appendingPathComponent("items.vec").path
        let result = try runWord2Vec(["items", "train", "--input", input.path, "--output", output, "--ns-exponent", "-200", "--quiet"])
        Self.expectOneLineFailure(result, mentioning: "--ns-exponent")
        #expect(result.status == 64)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// A model file's settings pass the flags' checks: `update` and `--resume` used to trap on it.
    @Test func modelFileWithAnUnderflowingNoiseExponentIsRefused() throws {
        let directory = try temporaryDirectory()
        let saved = directory.appendingPathComponent("good.w2v").path
        try smallModel(epochs: 1).save(to: saved)
        let framed = ModelFileSpec.sectionsAsText(Array(try Data(contentsOf: URL(fileURLWithPath: saved))))
        let damaged = directory.appendingPathComponent("bad.w2v").path
        try Data(ModelFileSpec.seal(ModelFileSpec.replacingSection("CONF", in: framed) { content in
            let text = String(decoding: content, as: UTF8.self).split(separator: "\n").map { line in
                line.hasPrefix("noiseExponent=") ? "noiseExponent=-1000" : String(line)
            }.joined(separator: "\n")
            return Array(text.utf8)
        })).write(to: URL(fileURLWithPath: damaged))
        let text = directory.appendingPathComponent("more.txt")
        try writeFile(text, String(repeating: "a b c d e f\n", count: 50))
        let updated = directory.appendingPathComponent("updated.w2v").path
        let result = try runWord2Vec(["update", "--model", damaged, "--input", text.path, "--output", updated])
        Self.expectOneLineFailure(result, mentioning: "noiseExponent")
        #expect(result.status == 65)
        #expect(!FileManager.default.fileExists(atPath: updated))
    }

    @Test(arguments: [
        ("--window", "9223372036854775807"), ("--window", "1000001"),
        ("--max-sentence-length", "9223372036854775807"), ("--max-sentence-length", "10000001"),
        ("--negative", "9223372036854775807"), ("--negative", "10001"),
        ("--epochs", "9223372036854775807"), ("--epochs", "1000001"),
        ("--alpha", "1e30"), ("--alpha", "inf"), ("--alpha", "nan"), ("--alpha", "0.5"),
        ("--max-distinct-words", "10"),
        // Every count^exponent underflowed to 0 (or overflowed) and the noise table trapped.
        ("--ns-exponent", "-200"), ("--ns-exponent", "1000"),
    ])
    func hugeFlagValuesAreRefusedByName(flag: String, value: String) throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let output = directory.appendingPathComponent("v.txt").path
        let result = try runWord2Vec(["train", "--input", input, "--output", output, flag, value])
        Self.expectOneLineFailure(result, mentioning: flag)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func largestAllowedValuesTrain() throws {
        var configuration = TrainingConfiguration()
        let limits = TrainingConfiguration.limits
        configuration.window = limits.window
        configuration.maxSentenceLength = 100
        configuration.epochs = 2
        configuration.learningRate = limits.learningRate
        configuration.minCount = 1
        configuration.threads = 1
        configuration.dimension = 8
        let sentences = topicCorpus(groups: 2, wordsPerGroup: 5, sentences: 50, length: 20, seed: 4)
        let model = try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: sentences))
        #expect(model.embeddings.count == 10)
    }

    /// NaN reaches the table when a run diverges; `Int(NaN)` used to trap. Just below the bound the
    /// index used to land one past the table's end.
    @Test func sigmoidTableTakesNaNAndEdges() {
        let table = SigmoidTable.shared
        #expect(table.sigmoid(.nan) == 0)
        #expect(table.logSigmoid(.nan).isNaN)
        #expect(table.sigmoid(.infinity) == 1)
        #expect(table.sigmoid(-.infinity) == 0)
        let top = table.sigmoid(SigmoidTable.maxArgument.nextDown)
        #expect(top > 0.99 && top <= 1)
        let bottom = table.sigmoid((-SigmoidTable.maxArgument).nextUp)
        #expect(bottom >= 0 && bottom < 0.01)
        let logTop = table.logSigmoid(Float(16).nextDown)
        #expect(logTop <= 0 && logTop > -1e-6)
        #expect(abs(table.logSigmoid(Float(-16).nextUp) - Float(-16)) < 1e-3)
    }

    // MARK: Outputs

    @Test func outputToDevFullFailsAndKeepsTheDevice() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let result = try runWord2Vec(["train", "--input", input, "--output", "/dev/full", "--min-count", "1", "--quiet"])
        Self.expectOneLineFailure(result, mentioning: "No space left on device")
        let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/full")
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
    }

    @Test func outputToDevNullSucceedsAndKeepsTheDevice() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let result = try runWord2Vec(["train", "--input", input, "--output", "/dev/null", "--min-count", "1", "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
    }

    @Test func outputThroughASymlinkReplacesTheTargetAndKeepsTheLink() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let targets = directory.appendingPathComponent("real", isDirectory: true)
        try FileManager.default.createDirectory(at: targets, withIntermediateDirectories: true)
        let target = targets.appendingPathComponent("vectors.txt")
        try writeFile(target, "old\n")
        let link = directory.appendingPathComponent("link.txt")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real/vectors.txt")
        let result = try runWord2Vec(["train", "--input", input, "--output", link.path, "--min-count", "1", "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real/vectors.txt")
        let text = try String(contentsOf: target, encoding: .utf8)
        #expect(text.hasPrefix("40 100\n"))
        #expect(try Self.names(in: targets) == ["vectors.txt"])
    }

    @Test func outputToAFIFOIsWrittenThrough() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let fifo = directory.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // The reader must open the FIFO before the writer can; it runs beside the command.
        final class Received: @unchecked Sendable { var data = Data() }
        let received = Received()
        let reader = Thread {
            received.data = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data()
        }
        reader.start()
        let result = try runWord2Vec(["train", "--input", input, "--output", fifo, "--min-count", "1", "--quiet"])
        if !reader.isFinished {
            // The command never opened the FIFO: give the reader an end of file rather than hang.
            let unblock = open(fifo, O_WRONLY | O_NONBLOCK)
            if unblock >= 0 { close(unblock) }
        }
        while !reader.isFinished { usleep(1000) }
        #expect(result.status == 0, "\(result.standardError)")
        #expect(String(decoding: received.data, as: UTF8.self).hasPrefix("40 100\n"))
        var info = stat()
        #expect(stat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(try Self.names(in: directory) == ["corpus.txt", "pipe"])
    }

    @Test(arguments: [
        (["--output", "corpus.txt"], "--output"),
        (["--output", "./sub/../corpus.txt"], "--output"),
        (["--output", "link.txt"], "--output"),
        (["--output", "v.txt", "--save-vocab", "v.txt"], "--save-vocab"),
        (["--output", "new.txt", "--save-vocab", "./new.txt"], "--save-vocab"),
        (["--save-vocab", "corpus.txt"], "--save-vocab"),
    ])
    func outputsNeverReplaceInputs(arguments: [String], flag: String) throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let original = try Data(contentsOf: URL(fileURLWithPath: input))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("link.txt").path,
                                                   withDestinationPath: "corpus.txt")
        let result = try runWord2Vec(["train", "--input", input, "--min-count", "1"]
                                     + arguments.map { $0.hasSuffix(".txt") ? directory.appendingPathComponent($0).path : $0 })
        Self.expectOneLineFailure(result, mentioning: flag)
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == original)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("new.txt").path))
    }

    /// Claiming an output only checks it; nothing appears until writing starts. Many writers in turn
    /// (a checkpoint rewritten during training) leave exactly the last file and no temporary one.
    @Test func claimingCreatesNothingAndRepeatedReplacementLeavesOneFile() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("vectors.txt").path
        do {
            _ = try EmbeddingsWriter(path: path, format: .text)
            #expect(try Self.names(in: directory).isEmpty)
        }
        #expect(try Self.names(in: directory).isEmpty)
        for round in 1...40 {
            try Vocabulary(entries: [("round", round), ("x", 1)]).write(to: path)
        }
        #expect(try Self.names(in: directory) == ["vectors.txt"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "round\t40\nx\t1\n")
    }

    @Test func unwritableDestinationsFailAtOnce() throws {
        let directory = try temporaryDirectory()
        #expect(throws: Word2VecError.self) { try EmbeddingsWriter(path: directory.path, format: .text) }
        #expect(throws: Word2VecError.self) {
            try EmbeddingsWriter(path: directory.appendingPathComponent("missing/v.txt").path, format: .text)
        }
    }

    // MARK: Inputs

    static let sampleText = "the cat sat on the mat\nthe dog sat on the log\n"

    @Test func gzipInputReadsLikeThePlainText() throws {
        let directory = try temporaryDirectory()
        let text = String(repeating: Self.sampleText, count: 300)
        let plain = directory.appendingPathComponent("c.txt")
        try writeFile(plain, text)
        let compressed = directory.appendingPathComponent("c.txt.gz")
        try Gzip.stored(Array(text.utf8)).write(to: compressed)
        let fromPlain = try WordCounts.count(fileAt: plain.path)
        let fromGzip = try WordCounts.count(fileAt: compressed.path)
        #expect(fromGzip.tokenCount == fromPlain.tokenCount)
        #expect(fromGzip.sentenceCount == 600)
        #expect(fromGzip.count(of: "the") == 1200)
        // Concatenated members, as `cat a.gz b.gz` makes, read as one text.
        let twice = directory.appendingPathComponent("twice.gz")
        try (Gzip.stored(Array(text.utf8)) + Gzip.stored(Array(text.utf8))).write(to: twice)
        #expect(try WordCounts.count(fileAt: twice.path).count(of: "the") == 2400)
        // Training reads every word of the decompressed text in each part.
        let corpus = TextFileCorpus(path: compressed.path)
        let vocabulary = Vocabulary(counts: try corpus.countWords(), minCount: 1)
        let sentences = try CorpusTests.sentences(of: corpus, vocabulary: vocabulary, parts: 3)
        #expect(sentences.reduce(0) { $0 + $1.count } == fromPlain.tokenCount)
    }

    @Test func damagedGzipIsAnErrorNotText() throws {
        let directory = try temporaryDirectory()
        let data = Gzip.stored(Array(String(repeating: Self.sampleText, count: 50).utf8))
        let truncated = directory.appendingPathComponent("t.gz")
        try data.prefix(data.count / 2).write(to: truncated)
        #expect { try WordCounts.count(fileAt: truncated.path) } throws: { error in
            "\(error)".contains("t.gz") && "\(error)".contains("truncated")
        }
        var corrupt = data
        corrupt[12] ^= 0xFF  // the stored block's length no longer matches its complement
        let damaged = directory.appendingPathComponent("d.gz")
        try corrupt.write(to: damaged)
        #expect { try WordCounts.count(fileAt: damaged.path) } throws: { error in
            "\(error)".contains("d.gz") && "\(error)".contains("corrupt gzip")
        }
    }

    @Test func standardInputTrainsLikeAFile() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory)
        let text = try String(contentsOfFile: input, encoding: .utf8)
        let fromFile = directory.appendingPathComponent("file.vocab").path
        let fromPipe = directory.appendingPathComponent("pipe.vocab").path
        #expect(try runWord2Vec(["train", "--input", input, "--save-vocab", fromFile, "--min-count", "1"]).status == 0)
        let piped = try runWord2Vec(["train", "--input", "-", "--save-vocab", fromPipe, "--min-count", "1"], input: text)
        #expect(piped.status == 0, "\(piped.standardError)")
        #expect(try String(contentsOfFile: fromPipe, encoding: .utf8) == String(contentsOfFile: fromFile, encoding: .utf8))
        // /dev/stdin is a pipe here too; with --read-vocab the pipe is read only by training.
        let vectors = directory.appendingPathComponent("v.txt").path
        let trained = try runWord2Vec(
            ["train", "--input", "/dev/stdin", "--read-vocab", fromFile, "--output", vectors, "--min-count", "1",
             "--sample", "0", "--epochs", "1"], input: text)
        #expect(trained.status == 0, "\(trained.standardError)")
        #expect(trained.standardError.contains("epoch 1/1"))
        #expect(try String(contentsOfFile: vectors, encoding: .utf8).hasPrefix("40 100\n"))
    }

    @Test func phrasesReadStandardInputOverSeveralPasses() throws {
        let directory = try temporaryDirectory()
        let text = String(repeating: "new york is big\nnew york is old\nbig old york\n", count: 40)
        let fromPipe = directory.appendingPathComponent("p.txt").path
        let result = try runWord2Vec(["phrases", "--input", "-", "--output", fromPipe, "--passes", "2",
                                      "--min-count", "2", "--threshold", "1", "--quiet"], input: text)
        #expect(result.status == 0, "\(result.standardError)")
        let phrased = try String(contentsOfFile: fromPipe, encoding: .utf8)
        #expect(phrased.split(separator: "\n").count == 120)
        #expect(phrased.contains("new_york"))
    }

    @Test func binaryInputIsRefusedByName() throws {
        let directory = try temporaryDirectory()
        var random = TestRandom(seed: 9)
        let withNul = directory.appendingPathComponent("model.bin")
        try Data((0..<5000).map { _ in UInt8.random(in: 0...255, using: &random) }).write(to: withNul)
        let highBytes = directory.appendingPathComponent("high.dat")
        try Data((0..<5000).map { _ in UInt8.random(in: 0x80...0xFF, using: &random) }).write(to: highBytes)
        for file in [withNul, highBytes] {
            let output = directory.appendingPathComponent("v.txt").path
            let result = try runWord2Vec(["train", "--input", file.path, "--output", output])
            Self.expectOneLineFailure(result, mentioning: file.lastPathComponent)
            #expect(!FileManager.default.fileExists(atPath: output))
            #expect(throws: Word2VecError.self) { try WordCounts.count(fileAt: file.path) }
        }
        // Binary data on standard input too.
        let piped = try runWord2Vec(["train", "--input", "-", "--save-vocab", directory.appendingPathComponent("x").path],
                                    input: "abc\u{0}def\n")
        Self.expectOneLineFailure(piped, mentioning: "NUL")
    }

    /// Latin-1 text is not UTF-8 but is text: its few invalid bytes are repaired, not refused.
    @Test func legacyEncodedTextIsStillRead() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("latin1.txt")
        let line = Array("le caf".utf8) + [0xE9] + Array(" est tr".utf8) + [0xE8] + Array("s bon et la vie est belle\n".utf8)
        try Data(Array([[UInt8]](repeating: line, count: 500).joined())).write(to: file)
        let counts = try WordCounts.count(fileAt: file.path)
        #expect(counts.count(of: "caf\u{FFFD}") == 500)
    }

    // MARK: Progress and counting memory

    @Test func progressToAPipeHasNoCarriageReturns() throws {
        let directory = try temporaryDirectory()
        let input = try Self.corpus(in: directory, lines: 2000)
        let output = directory.appendingPathComponent("v.txt").path
        let result = try runWord2Vec(["train", "--input", input, "--output", output, "--min-count", "1", "--epochs", "2"])
        #expect(result.status == 0)
        #expect(!result.standardError.contains("\r"))
        #expect(result.standardError.contains("epoch 2/2  mean loss (all threads): "))
    }

    /// Many distinct words and a small limit: the rarest are dropped, the frequent kept with exact
    /// counts, and the pruning is reported.
    @Test func countingPrunesRareWordsPastTheLimit() throws {
        let directory = try temporaryDirectory()
        let frequent = (0..<10).map { "common\($0)" }
        var lines: [String] = []
        var next = 0
        for _ in 0..<500 {
            var line = frequent
            for _ in 0..<20 {
                line.append("rare\(next)")
                next += 1
            }
            lines.append(line.joined(separator: " "))
        }
        let file = directory.appendingPathComponent("many.txt")
        try writeFile(file, lines.joined(separator: "\n") + "\n")
        let corpus = TextFileCorpus(path: file.path, maxDistinctWords: 1000)
        let counts = try corpus.countWords()
        #expect(counts.distinctCount <= 1000)
        #expect(counts.prunedBelow == 2)
        #expect(corpus.prunedBelow == 2)
        #expect(counts.tokenCount == 15_000)
        for word in frequent { #expect(counts.count(of: word) == 500) }
        #expect(counts.count(of: "rare0") == 0)
        let unlimited = try WordCounts.count(fileAt: file.path)
        #expect(unlimited.distinctCount == 10_010 && unlimited.prunedBelow == 0)

        let vocab = directory.appendingPathComponent("v.vocab").path
        let result = try runWord2Vec(["train", "--input", file.path, "--save-vocab", vocab, "--max-distinct-words", "1000"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("counting: pruned words seen fewer than 2 times to stay within the memory limit"))
        #expect(try Vocabulary.read(from: vocab).words.sorted() == frequent)
    }
}

/// Builds gzip files without a compressor: deflate's stored blocks hold the bytes as they are.
enum Gzip {
    static func stored(_ bytes: [UInt8]) -> Data {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var offset = 0
        repeat {
            let length = min(65_535, bytes.count - offset)
            let last = offset + length == bytes.count
            out.append(last ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += bytes[offset..<offset + length]
            offset += length
        } while offset < bytes.count
        out += littleEndian(crc32(bytes)) + littleEndian(UInt32(truncatingIfNeeded: bytes.count))
        return Data(out)
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

extension HostileInputTests {
    /// A path is shown as words are: its control characters escaped, so the error stays one line.
    @Test func pathsWithControlCharactersGiveOneLineErrors() throws {
        let directory = try temporaryDirectory()
        let strange = directory.appendingPathComponent("two\nlines\u{1B}[31m.txt").path
        try writeFile(URL(fileURLWithPath: strange), "2 2\na 1 0\nb 0 x\n")
        let malformed = try runWord2Vec(["similar", strange, "a"])
        Self.expectOneLineFailure(malformed, mentioning: "two\\x0Alines\\x1B[31m.txt")
        let missing = try runWord2Vec(["similar", directory.appendingPathComponent("no\nsuch").path, "a"])
        Self.expectOneLineFailure(missing, mentioning: "no\\x0Asuch")
        #expect(Word2VecError.unreadableFile("a\nb", reason: "gone").description == "cannot read 'a\\x0Ab': gone")
    }
}
