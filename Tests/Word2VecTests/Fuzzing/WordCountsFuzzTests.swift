import Foundation
import Testing
import Word2Vec

/// `WordCounts(serialized:source:)` reads what another rank of a data-parallel run sent: it must
/// accept a mutant only if it reads back to the same bytes, and otherwise reject it with a
/// `Word2VecError`.
@Suite struct WordCountsFuzzTests {
    static var examples: [[UInt8]] {
        var small = WordCounts()
        for word in ["the", "of", "the", "é", "naïve", "the", "of", "x"] { small.add(word) }
        var numbers = WordCounts()
        for i in 0..<40 { numbers.add("w\(i % 13)") }
        return [small.serialized(), numbers.serialized(), WordCounts().serialized()]
    }

    @Test func serializedCounts() throws {
        let report = try FuzzHarness.run("word-counts", examples: Self.examples, extension: "counts", read: { path in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            return (bytes, try WordCounts(serialized: bytes, source: path))
        }, check: { bytes, counts in
            counts.serialized() == bytes ? nil : "it does not serialize back to the same bytes"
        })
        ReaderFuzzTests.expectSound(report)
    }
}
