import Foundation
import Testing
import Word2Vec

/// Seeded fuzzing of command-line values: each case runs the `word2vec` executable with a valid
/// command and one to three options set to hostile values (overflowing integers, non-finite or
/// huge floats, negative, empty or non-numeric text). The process must end by itself with status 0,
/// or with a non-zero status and exactly one stderr line starting `word2vec: error:`; a signal (a
/// trap), a hang or a multi-line error is a finding. `WORD2VEC_FUZZ_CLI_CASES` sets the number of
/// cases (default 150; `Benchmarks/fuzz.sh` runs more). `WORD2VEC_FUZZ_CLI_LARGE=1` adds commands
/// on a text of 300,000 distinct words, whose slow cases get the allowance of `budget(for:)`.
@Suite struct CommandLineFuzzTests {
    static let values = [
        "0", "-1", "1", "2", "-0", "2147483648", "4294967297", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "1e30", "-1e30", "1e-300", "nan", "inf", "-inf", "", "abc", "0x10", "1.5",
        "65536", "3.4e38", " 5", "5 ", "--", "-",
    ]

    struct Command {
        var arguments: [String]
        var options: [String]
        /// Distinct words of the text the command reads, for its time budget.
        var distinctWords = 6
    }

    /// Distinct words of the large text (`WORD2VEC_FUZZ_CLI_LARGE`).
    static let largeTextWords = 300_000

    /// Seconds a case may run before it counts as hung. Most finish in well under a second; the
    /// base is 30 s for a loaded machine. Two kinds are slow by nature, not hung, and get more:
    /// - reading many distinct words (counting, phrases' pair table): 1 s per 10,000 words;
    /// - word classes (`train --classes K`, `classes --k K`): k-means costs words x K per
    ///   iteration; 300,000 words and 1,000 classes took 23 s of CPU, 7.7e-8 s per word and class,
    ///   allowed twice over: 1.5e-7 s.
    static func budget(for arguments: [String], distinctWords: Int) -> Double {
        var classes = 0
        for (flag, value) in zip(arguments, arguments.dropFirst()) where flag == "--classes" || flag == "--k" {
            classes = max(classes, min(Int(value) ?? 0, distinctWords))
        }
        return 30 + Double(distinctWords) / 10_000 + Double(distinctWords) * Double(classes) * 1.5e-7
    }

    static func commands(_ directory: String) -> [Command] {
        let text = directory + "/text.txt", vectors = directory + "/v.txt", out = directory + "/out"
        let sessions = directory + "/sessions.txt"
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
            // Every option of plot, by each projection.
            Command(arguments: ["plot", vectors, "--words", "a,b,c,d", "--output", out + ".svg", "--quiet"],
                    options: ["--width", "--height", "--font-size", "--iterations", "--perplexity", "--seed", "--top"]),
            Command(arguments: ["plot", vectors, "--top", "6", "--method", "tsne", "--output", out + ".svg", "--quiet"],
                    options: ["--width", "--height", "--font-size", "--iterations", "--perplexity", "--seed", "--top"]),
            // Items: the cut-offs and the numbers of the training they run.
            Command(arguments: ["items", "evaluate", "--input", sessions, "--dim", "4", "--epochs", "1", "--threads", "1", "--quiet"],
                    options: ["--top", "--recent", "--half-life", "--ns-exponent", "--window", "--negative", "--epochs", "--dim"]),
            Command(arguments: ["items", "recommend", vectors, "--history", "a,b"], options: ["--top", "--recent", "--half-life"]),
            Command(arguments: ["items", "train", "--input", sessions, "--output", out, "--epochs", "1", "--quiet"],
                    options: ["--ns-exponent", "--dim", "--window", "--negative", "--sample", "--alpha", "--min-count"]),
            Command(arguments: ["doc2vec", "similar", directory + "/docs.model", "--text", "a b"], options: ["--top"]),
        ]
    }

    /// Commands on a text of `largeTextWords` distinct words.
    static func largeCommands(_ directory: String) -> [Command] {
        let text = directory + "/large.txt", out = directory + "/out-large"
        return [
            Command(arguments: ["phrases", "--input", text, "--output", out], options: ["--threshold", "--min-count", "--max-vocab"],
                    distinctWords: largeTextWords),
            Command(arguments: ["train", "--input", text, "--output", out, "--min-count", "1", "--epochs", "1", "--dim", "8",
                                "--classes", "1000", "--quiet"],
                    options: ["--window", "--negative", "--threads"], distinctWords: largeTextWords),
        ]
    }

    /// 23 s of CPU measured for classes on the large text with 1,000 classes: the allowance must
    /// cover it with room, while ordinary cases keep the base.
    @Test func slowButFiniteCasesGetALargerBudget() {
        let classes = ["train", "--input", "large.txt", "--classes", "1000"]
        #expect(Self.budget(for: classes, distinctWords: Self.largeTextWords) >= 2 * 23 + 30)
        #expect(Self.budget(for: ["phrases", "--input", "large.txt"], distinctWords: Self.largeTextWords) >= 50)
        #expect(Self.budget(for: ["classes", "v.txt", "--k", "9223372036854775807"], distinctWords: 6) < 31)
        #expect(Self.budget(for: ["similar", "v.txt", "a"], distinctWords: 6) < 31)
    }

    @Test func hostileOptionValues() throws {
        let directory = try temporaryDirectory().path
        try writeFile(URL(fileURLWithPath: directory + "/text.txt"), "a b c d a b c d e f\nb c a d e f a b\nnew york is a b c\n")
        try writeFile(URL(fileURLWithPath: directory + "/v.txt"), "6 3\na 1 0 0\nb 0 1 0\nc 0 0 1\nd 1 1 0\ne 0 1 1\nf 1 0 1\n")
        try writeFile(URL(fileURLWithPath: directory + "/q.txt"), ": s\na b c d\n")
        try writeFile(URL(fileURLWithPath: directory + "/sessions.txt"), String(repeating: "a b c d\nb c e\nc a e f d\n", count: 4))
        try writeFile(URL(fileURLWithPath: directory + "/docs.txt"), String(repeating: "d1\ta b c d\nd2\tb c e f\n", count: 5))
        let documents = try runWord2Vec(["doc2vec", "train", "--input", directory + "/docs.txt", "--save-model", directory + "/docs.model",
                                         "--min-count", "1", "--dim", "4", "--epochs", "1", "--quiet"])
        #expect(documents.status == 0, "\(documents.standardError)")
        let environment = ProcessInfo.processInfo.environment
        var commands = Self.commands(directory)
        if environment["WORD2VEC_FUZZ_CLI_LARGE"] == "1" {
            let words = (0..<Self.largeTextWords).map { "w\($0)" }
            var text = ""
            for line in stride(from: 0, to: words.count, by: 20) { text += words[line..<min(line + 20, words.count)].joined(separator: " ") + "\n" }
            try writeFile(URL(fileURLWithPath: directory + "/large.txt"), text)
            commands += Self.largeCommands(directory)
        }
        let executable = try #require(word2vecExecutable())
        let cases = environment["WORD2VEC_FUZZ_CLI_CASES"].flatMap { Int($0) } ?? 150
        var random = TestRandom(seed: 0x5EED_C11)
        var findings: [String] = []
        var outcomes = (ok: 0, rejected: 0)
        for index in 0..<cases {
            let command = commands.randomElement(using: &random)!
            var arguments = command.arguments
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                arguments += [command.options.randomElement(using: &random)!, Self.values.randomElement(using: &random)!]
            }
            let budget = Self.budget(for: arguments, distinctWords: command.distinctWords)
            let (reason, status, error) = try Self.run(executable, arguments, timeout: budget)
            let lines = error.split(separator: "\n", omittingEmptySubsequences: true)
            if reason != .exit {
                findings.append("case \(index) \(arguments.dropFirst()): killed by signal \(status) (budget \(Int(budget)) s)")
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
