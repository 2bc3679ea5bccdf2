import Foundation
import Testing
import Word2Vec

/// Runs one reader on many mutants of valid files and counts what happened.
///
/// A reader passes a case by returning (then `check` validates what it returned) or by throwing a
/// `Word2VecError`; any other error, or a failed `check`, is a finding. A trap ends the test process;
/// to make that case recoverable, each mutant is written to one file per reader before the reader
/// runs, and its index (with the counts so far) to a second file, so that `Benchmarks/fuzz.sh` can
/// report the crashing input and resume after it.
///
/// Environment (all optional): `WORD2VEC_FUZZ_CASES` cases per reader (default 600),
/// `WORD2VEC_FUZZ_SEED` (decimal or 0x hex), `WORD2VEC_FUZZ_START` the first case index,
/// `WORD2VEC_FUZZ_DIR` where the per-reader files go (default: a fresh temporary directory).
struct FuzzHarness {
    struct Report: CustomStringConvertible {
        var name: String
        var seed: UInt64
        var cases = 0
        var accepted = 0
        var rejected = 0
        /// (case index, what went wrong), at most the first 10.
        var findings: [(index: Int, problem: String)] = []
        var findingCount = 0

        var description: String {
            "fuzz \(name): \(cases) cases, \(accepted) accepted, \(rejected) rejected with Word2VecError, "
                + "\(findingCount) other outcomes, 0 crashes, seed 0x\(String(seed, radix: 16))"
                + findings.map { "\n  case \($0.index): \($0.problem)" }.joined()
        }
    }

    static let environment = ProcessInfo.processInfo.environment
    static let cases = environment["WORD2VEC_FUZZ_CASES"].flatMap { Int($0) } ?? 600
    static let start = environment["WORD2VEC_FUZZ_START"].flatMap { Int($0) } ?? 0
    static let seed: UInt64 = environment["WORD2VEC_FUZZ_SEED"].flatMap { text in
        text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    } ?? 0x5EED_0009

    /// Fuzzes `read` (which takes the path of the mutant) on mutants of `examples`. `check` inspects
    /// a successful result and returns a description of what is wrong with it, or `nil`.
    static func run<Result>(
        _ name: String, examples: [[UInt8]], extension fileExtension: String = "txt",
        read: (String) throws -> Result, check: (Result) -> String? = { _ in nil }
    ) throws -> Report {
        let directory: String
        if let given = environment["WORD2VEC_FUZZ_DIR"] {
            directory = given
        } else {
            directory = FileManager.default.temporaryDirectory.path + "/word2vec-fuzz-" + UUID().uuidString
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/\(name).\(fileExtension)"
        let indexPath = directory + "/\(name).index"
        try #require(FileManager.default.createFile(atPath: indexPath, contents: nil), "cannot create \(indexPath)")
        let indexFile = try FileHandle(forWritingTo: URL(fileURLWithPath: indexPath))
        defer {
            try? indexFile.close()
            if environment["WORD2VEC_FUZZ_DIR"] == nil { try? FileManager.default.removeItem(atPath: directory) }
        }

        let mutator = Mutator(examples: examples, seed: seed)
        var report = Report(name: name, seed: seed)
        func record(_ index: Int, _ problem: String) {
            report.findingCount += 1
            if report.findings.count < 10 { report.findings.append((index, problem)) }
        }
        for index in start..<(start + cases) {
            let bytes = mutator.mutant(index)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            try indexFile.seek(toOffset: 0)
            // The counts so far travel with the index, so that a script resuming after a crash
            // can add up the cases before it.
            indexFile.write(Data("\(index) \(report.accepted) \(report.rejected) \(report.findingCount)\n".utf8))
            report.cases += 1
            do {
                let result = try read(path)
                report.accepted += 1
                if let problem = check(result) { record(index, "accepted, but \(problem)") }
            } catch let error as Word2VecError {
                report.rejected += 1
                let message = "\(error)"
                if message.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    record(index, "error message is not one plain line: \(message.debugDescription)")
                }
            } catch {
                record(index, "threw \(type(of: error)): \(error)")
            }
        }
        print(report)
        return report
    }
}
