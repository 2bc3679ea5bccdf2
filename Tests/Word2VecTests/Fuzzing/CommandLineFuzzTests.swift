import Foundation
import Testing
import Word2Vec

/// Seeded fuzzing of command-line values: each case runs the `word2vec` executable with a valid
/// command and one to three options set to hostile values (overflowing integers, non-finite or
/// huge floats, negative, empty or non-numeric text). The process must end by itself with status 0,
/// or with a non-zero status and exactly one stderr line starting `word2vec: error:`; a signal (a
/// trap), a hang or a multi-line error is a finding. `WORD2VEC_FUZZ_CLI_CASES` sets the number of
/// cases (default 150; `Benchmarks/fuzz.sh` runs more).
@Suite struct CommandLineFuzzTests {
    static let values = [
        "0", "-1", "1", "2", "-0", "2147483648", "4294967297", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "1e30", "-1e30", "1e-300", "nan", "inf", "-inf", "", "abc", "0x10", "1.5",
        "65536", "3.4e38", " 5", "5 ", "--", "-",
    ]

    struct Command {
        var arguments: [String]
        var options: [String]
    }

    static func commands(_ directory: String) -> [Command] {
        let text = directory + "/text.txt", vectors = directory + "/v.txt", out = directory + "/out"
        return [
            Command(arguments: ["train", "--input", text, "--output", out, "--min-count", "1", "--epochs", "1", "--quiet"],
                    options: ["--dim", "--window", "--negative", "--sample", "--min-count", "--max-vocab", "--epochs",
                              "--alpha", "--threads", "--seed", "--ns-exponent", "--max-sentence-length",
                              "--max-distinct-words", "--classes", "--checkpoint-every"]),
            Command(arguments: ["similar", vectors, "a"], options: ["--top", "--limit"]),
            Command(arguments: ["analogy", vectors, "a", "b", "c"], options: ["--top", "--limit"]),
            Command(arguments: ["classes", vectors, "--output", out, "--quiet"], options: ["--k", "--iterations", "--seed", "--threads"]),
            Command(arguments: ["phrases", "--input", text, "--output", out], options: ["--threshold", "--min-count", "--passes", "--max-vocab"]),
            Command(arguments: ["evaluate", "analogies", vectors, directory + "/q.txt"], options: ["--restrict", "--limit"]),
            // Other tools' spellings, rewritten before parsing.
            Command(arguments: ["skipgram", "-input", text, "-output", out, "-minCount", "1", "-epoch", "1", "-verbose", "0"],
                    options: ["-dim", "-ws", "-lr", "-neg", "-thread", "-loss", "-minn", "-t", "-lrUpdateRate", "-bucket"]),
            Command(arguments: ["train", "--input", text, "--output", out, "--min_count", "1", "--iter", "1", "--quiet"],
                    options: ["--vector-size", "--sg", "--workers", "--min-alpha", "--hs", "--cbow-mean", "--max-final-vocab",
                              "--window", "-size", "-cbow"]),
            Command(arguments: ["-train", text, "-output", out, "-min-count", "1", "-iter", "1", "-debug", "0"],
                    options: ["-size", "-cbow", "-hs", "-binary", "-alpha", "-threads", "--window"]),
        ]
    }

    @Test func hostileOptionValues() throws {
        let directory = try temporaryDirectory().path
        try writeFile(URL(fileURLWithPath: directory + "/text.txt"), "a b c d a b c d e f\nb c a d e f a b\nnew york is a b c\n")
        try writeFile(URL(fileURLWithPath: directory + "/v.txt"), "6 3\na 1 0 0\nb 0 1 0\nc 0 0 1\nd 1 1 0\ne 0 1 1\nf 1 0 1\n")
        try writeFile(URL(fileURLWithPath: directory + "/q.txt"), ": s\na b c d\n")
        let executable = try #require(word2vecExecutable())
        let cases = ProcessInfo.processInfo.environment["WORD2VEC_FUZZ_CLI_CASES"].flatMap { Int($0) } ?? 150
        var random = TestRandom(seed: 0x5EED_C11)
        let commands = Self.commands(directory)
        var findings: [String] = []
        var outcomes = (ok: 0, rejected: 0)
        for index in 0..<cases {
            let command = commands.randomElement(using: &random)!
            var arguments = command.arguments
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                arguments += [command.options.randomElement(using: &random)!, Self.values.randomElement(using: &random)!]
            }
            let (reason, status, error) = try Self.run(executable, arguments, timeout: 30)
            let lines = error.split(separator: "\n", omittingEmptySubsequences: true)
            if reason != .exit {
                findings.append("case \(index) \(arguments.dropFirst()): killed by signal \(status)")
            } else if status == 0 {
                outcomes.ok += 1
            } else if lines.count == 1, lines[0].hasPrefix("word2vec: error:") {
                outcomes.rejected += 1
            } else {
                findings.append("case \(index) \(arguments.dropFirst()): status \(status), stderr \(error.prefix(300).debugDescription)")
            }
        }
        print("fuzz command-line: \(cases) cases, \(outcomes.ok) ran, \(outcomes.rejected) rejected, \(findings.count) findings")
        #expect(findings.isEmpty, "\(findings.prefix(5).joined(separator: "\n"))")
        #expect(outcomes.rejected > 0)
    }

    /// Runs `executable`, killing it after `timeout` seconds (reported as a signal).
    static func run(_ executable: URL, _ arguments: [String], timeout: Double)
        throws -> (Process.TerminationReason, Int32, String)
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var error = Data()
        let reader = errorPipe.fileHandleForReading
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        error = reader.readDataToEndOfFile()
        return (process.terminationReason, process.terminationStatus, String(decoding: error, as: UTF8.self))
    }
}
