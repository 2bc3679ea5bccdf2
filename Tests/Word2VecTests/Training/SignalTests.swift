import Foundation
import Testing
import Word2Vec

/// Runs stopped by a signal or a full disk leave neither output nor temporary files behind.
@Suite struct SignalTests {
    /// Starts `word2vec` with its standard error going to `log` (outside the directory under test).
    static func start(_ arguments: [String], log: URL) throws -> Process {
        let executable = try #require(word2vecExecutable(), "the word2vec executable was not built")
        try #require(FileManager.default.createFile(atPath: log.path, contents: nil), "cannot create \(log.path)")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        return process
    }

    /// Polls until `condition` holds or the process ends; a generous limit only guards against a hang.
    static func wait(for process: Process, until condition: () -> Bool) -> Bool {
        for _ in 0..<60_000 {
            if condition() { return true }
            if !process.isRunning { return condition() }
            usleep(1000)
        }
        return false
    }

    /// Waits for the process to end; one still running after a minute is killed, and that is a
    /// failure rather than a hung test run.
    static func finish(_ process: Process, sourceLocation: SourceLocation = #_sourceLocation) {
        let ended = wait(for: process) { !process.isRunning }
        if !ended {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("word2vec did not stop on the signal", sourceLocation: sourceLocation)
        }
        process.waitUntilExit()
    }

    static func names(in directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    /// A corpus of `distinct` words, each on `repeats` lines of ten.
    static func corpus(in directory: URL, distinct: Int, lines: Int) throws -> String {
        var random = TestRandom(seed: 5)
        var text = ""
        text.reserveCapacity(lines * 70)
        for line in 0..<lines {
            // Every word appears at least once, then random ones fill the line.
            var words = (0..<10).map { k in "w\((line * 10 + k) % distinct)" }
            words[9] = "w\(Int.random(in: 0..<distinct, using: &random))"
            text += words.joined(separator: " ") + "\n"
        }
        let file = directory.appendingPathComponent("corpus.txt")
        try writeFile(file, text)
        return file.path
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func signalDuringTrainingLeavesNothing(signal: Int32, status: Int32) throws {
        let directory = try temporaryDirectory()
        let log = try temporaryDirectory().appendingPathComponent("stderr.txt")
        let input = try Self.corpus(in: directory, distinct: 200, lines: 3000)
        let output = directory.appendingPathComponent("vectors.txt").path
        let process = try Self.start(
            ["train", "--input", input, "--output", output, "--save-vocab", output + ".vocab",
             "--epochs", "1000000", "--threads", "1", "--min-count", "1"], log: log)
        let training = Self.wait(for: process) {
            (try? String(contentsOf: log, encoding: .utf8))?.contains("vocabulary:") == true
                && FileManager.default.fileExists(atPath: output + ".vocab")
        }
        #expect(training, "training never started: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        kill(process.processIdentifier, signal)
        Self.finish(process)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == status)
        // The vocabulary was complete before the signal; the vectors never were.
        #expect(Self.names(in: directory) == ["corpus.txt", "vectors.txt.vocab"])
        #expect(try String(contentsOf: log, encoding: .utf8).hasSuffix("\n"))
    }

    /// The signal arrives while the vectors are being written: the temporary file is removed.
    @Test func signalWhileWritingRemovesTheTemporaryFile() throws {
        let directory = try temporaryDirectory()
        let log = try temporaryDirectory().appendingPathComponent("stderr.txt")
        let input = try Self.corpus(in: directory, distinct: 40_000, lines: 4000)
        let output = directory.appendingPathComponent("vectors.txt").path
        let process = try Self.start(
            ["train", "--input", input, "--output", output, "--epochs", "1", "--min-count", "1", "--dim", "300",
             "--threads", "2", "--quiet"], log: log)
        let writing = Self.wait(for: process) {
            Self.names(in: directory).contains { $0.hasPrefix(".vectors.txt.tmp-") }
        }
        // Stopped first, so the temporary file is sure to exist when the signal is handled.
        kill(process.processIdentifier, SIGSTOP)
        let sawTemporary = Self.names(in: directory).contains { $0.hasPrefix(".vectors.txt.tmp-") }
        kill(process.processIdentifier, SIGTERM)
        kill(process.processIdentifier, SIGCONT)
        Self.finish(process)
        #expect(writing && sawTemporary, "the run ended before writing was seen")
        #expect(process.terminationStatus == 143)
        #expect(Self.names(in: directory) == ["corpus.txt"])
    }

    /// A disk that fills up while writing: one line naming the file and the cause, a non-zero exit,
    /// and nothing left on the disk.
    @Test func fullDiskReportsOneLineAndLeavesNothing() throws {
        let directory = try temporaryDirectory()
        let input = try HostileInputTests.corpus(in: directory)
        let disk = try temporaryDirectory()
        guard mount("tmpfs", disk.path, "tmpfs", 0, "size=64k") == 0 else {
            try Test.cancel("mounting a small tmpfs is not permitted here (\(String(cString: strerror(errno))))")
        }
        defer { umount(disk.path) }
        let output = disk.appendingPathComponent("vectors.txt").path
        // 40 words of 300 dimensions in text: about 120 KB.
        let result = try runWord2Vec(["train", "--input", input, "--output", output, "--min-count", "1", "--dim", "300",
                                      "--quiet"])
        HostileInputTests.expectOneLineFailure(result, mentioning: "No space left on device")
        #expect(result.standardError.contains(output))
        #expect(Self.names(in: disk) == [])
        // The same disk takes a small output.
        let small = try runWord2Vec(["train", "--input", input, "--output", output, "--min-count", "1", "--dim", "5",
                                     "--quiet"])
        #expect(small.status == 0)
        #expect(Self.names(in: disk) == ["vectors.txt"])
    }
}
