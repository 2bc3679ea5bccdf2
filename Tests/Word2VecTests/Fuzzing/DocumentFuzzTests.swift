import Testing
import Word2Vec

/// Seeded mutation fuzzing of the document reader (tag fields, line-number tags, parts): every
/// mutant is read into consistent documents or rejected with a `Word2VecError`.
@Suite struct DocumentFuzzTests {
    static let examples: [[UInt8]] = [
        Array("a b c\nx,y\ta b\n\nunknown words here\nx\tc c c c c d\n7\tb\n".utf8),
        Array("t1\tthe cat sat\r\nt2,t3\t\tdog ran\r\n\t\nlast line no newline".utf8),
        Array("\u{4E2D}\u{6587},tag\t\u{6C49}\u{5B57} text\nplain text only\n\n\n".utf8),
    ]

    /// Reads everything the corpus yields with `parts` parts and checks it against its own scan.
    static func readAll(_ path: String, parts: Int) throws -> String? {
        let corpus = DocumentFileCorpus(path: path, maxDistinctWords: WordCounts.minimumDistinctWordLimit)
        let counts = try corpus.countWords()
        let tags = try corpus.tags()
        let lines = try corpus.documentCount()
        let vocabulary = Vocabulary(counts: counts, minCount: 1)
        var words = 0
        for part in 0..<parts {
            try corpus.forEachDocument(part: part, of: parts, vocabulary: vocabulary, maxLength: 3) { sentence, tagNumbers in
                words += sentence.count
                if sentence.isEmpty || sentence.count > 3 { return }
                if tagNumbers.isEmpty || tagNumbers.contains(where: { $0 < 0 || Int($0) >= tags.count }) { words = -1 << 40 }
            }
        }
        if words != counts.tokenCount { return "read \(words) words, counted \(counts.tokenCount)" }
        if tags.count > lines + counts.tokenCount + 1_000 { return "\(tags.count) tags for \(lines) lines" }
        for tag in tags.all where tag.utf8.isEmpty || tag.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: ",") }) {
            return "tag \(tag.debugDescription) is empty or holds a space, comma or control byte"
        }
        return nil
    }

    @Test func documentReader() throws {
        let report = try FuzzHarness.run("documents", examples: Self.examples, read: { path in
            try Self.readAll(path, parts: 3)
        }, check: { $0 })
        ReaderFuzzTests.expectSound(report)
    }
}
