import Foundation
import Testing
import Word2Vec
import Word2VecTokenization

/// Seeded mutation fuzzing of the ICU segmenter (and of `icu-merged`'s joining) on mutated UTF-8
/// (see `FuzzHarness`): every mutant is segmented into well-formed lines of words, or refused with
/// a `Word2VecError` (binary data).
@Suite struct TokenizerFuzzTests {
    static let examples: [[UInt8]] = [
        Array("我爱北京天安门。\n今天天气很好，我们去Apple Store买iPhone 15吧！\n".utf8),
        Array("東京都に住んでいます。私はラーメンが好きです。\r\n価格：１２３円\n\n".utf8),
        Array("doc1,doc2\t自然语言处理\tmore\nplain line 𠀋 emoji 😀 الكلمة".utf8),
    ]

    struct Outcome {
        var input: [UInt8]
        var output: [UInt8]
    }

    static func segmented(_ path: String, keepsTags: Bool) throws -> Outcome {
        let output = path + ".out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let segmenter = TextSegmenter(tokenizer: .icu, threads: 2, keepsTagField: keepsTags)
        try segmenter.segment(fileAt: path, writingTo: CorpusFileWriter(path: output))
        return Outcome(
            input: Array(try Data(contentsOf: URL(fileURLWithPath: path))),
            output: Array(try Data(contentsOf: URL(fileURLWithPath: output))))
    }

    /// Lines as readers count them: one per newline, and an unterminated last one if not empty.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        bytes.count { $0 == 0x0A } + (bytes.last.map { $0 != 0x0A } ?? false ? 1 : 0)
    }

    /// One output line per input line (an unterminated last line that gives no word becomes an
    /// empty line with its newline); words separated by single spaces, none empty; valid UTF-8
    /// outside tag fields.
    static func soundness(_ outcome: Outcome, keepsTags: Bool) -> String? {
        let (linesIn, linesOut) = (lineCount(outcome.input), lineCount(outcome.output))
        guard linesIn == linesOut else { return "\(linesIn) lines in, \(linesOut) out" }
        let outputLines = outcome.output.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (number, line) in outputLines.enumerated() {
            var words = line[...]
            if keepsTags, let tab = line.firstIndex(of: 0x09) { words = line[(tab + 1)...] }
            if words.first == 0x20 || words.last == 0x20 { return "line \(number + 1) starts or ends with a space" }
            if words.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "line \(number + 1) holds a control byte" }
            if zip(words, words.dropFirst()).contains(where: { $0 == 0x20 && $1 == 0x20 }) { return "line \(number + 1) has an empty word" }
            if String(validating: words, as: UTF8.self) == nil { return "line \(number + 1) is not UTF-8" }
        }
        return nil
    }

    @Test func icuSegmentation() throws {
        let report = try FuzzHarness.run("tokenize-icu", examples: Self.examples, read: { try Self.segmented($0, keepsTags: false) },
                                         check: { Self.soundness($0, keepsTags: false) })
        #expect(report.findingCount == 0, "\(report)")
        #expect(report.accepted > 0, "\(report)")
    }

    /// `icu-merged` on the same mutants: sound lines, and each line holds ICU's pieces with some
    /// spaces removed (joining never moves, drops or invents text).
    @Test func icuMergedSegmentation() throws {
        // Pairs repeated often enough to be joined.
        let repeated = Array(String(repeating: "t\t龘靐甲乙丙１９９８年\n北京龘靐人\n", count: 6).utf8)
        let report = try FuzzHarness.run("tokenize-merged", examples: Self.examples + [repeated], read: { path -> (Outcome, [UInt8]) in
            let output = path + ".merged"
            defer { try? FileManager.default.removeItem(atPath: output) }
            try TextSegmenter(tokenizer: .icuMerged, threads: 2, keepsTagField: true)
                .segment(fileAt: path, writingTo: CorpusFileWriter(path: output))
            return (try Self.segmented(path, keepsTags: true), Array(try Data(contentsOf: URL(fileURLWithPath: output))))
        }, check: { result in
            let (icu, merged) = result
            if let problem = Self.soundness(Outcome(input: icu.input, output: merged), keepsTags: true) { return problem }
            let icuLines = icu.output.split(separator: 0x0A, omittingEmptySubsequences: false)
            let mergedLines = merged.split(separator: 0x0A, omittingEmptySubsequences: false)
            for (number, (a, b)) in zip(icuLines, mergedLines).enumerated() {
                let tab = a.firstIndex(of: 0x09).map { $0 - a.startIndex + 1 } ?? 0
                guard a.prefix(tab).elementsEqual(b.prefix(tab)),
                      a.dropFirst(tab).filter({ $0 != 0x20 }) == b.dropFirst(tab).filter({ $0 != 0x20 }),
                      b.dropFirst(tab).filter({ $0 == 0x20 }).count <= a.dropFirst(tab).filter({ $0 == 0x20 }).count
                else { return "line \(number + 1) is not ICU's pieces joined" }
            }
            return nil
        })
        #expect(report.findingCount == 0, "\(report)")
        #expect(report.accepted > 0, "\(report)")
    }

    @Test func icuSegmentationKeepingTags() throws {
        let report = try FuzzHarness.run("tokenize-tags", examples: Self.examples, read: { try Self.segmented($0, keepsTags: true) },
                                         check: { Self.soundness($0, keepsTags: true) })
        #expect(report.findingCount == 0, "\(report)")
        #expect(report.accepted > 0, "\(report)")
    }
}
