import Testing
import Word2Vec

/// Seeded mutation fuzzing of the `word group` reader of `word2vec plot --groups` (see
/// `FuzzHarness`): every mutant is read into sound groups or rejected with a `Word2VecError`, and
/// what is read draws as well-formed SVG.
@Suite struct PlotFuzzTests {
    static let examples: [[UInt8]] = [
        Array("paris capital\nberlin capital\nfrance country\ngermany country\n".utf8),
        Array("\u{FEFF}東京\t首都\r\n\r\n  北京   首都 city \r\nソウル 首都".utf8),
        Array("king royal family\nqueen royal family\nking royal family\napple fruit\n".utf8),
    ]

    static func soundness(_ groups: WordGroups) -> String? {
        guard groups.words.count == groups.groups.count else { return "\(groups.words.count) words, \(groups.groups.count) groups" }
        if Set(groups.words.map { Array($0.utf8) }).count != groups.words.count { return "a word appears twice" }
        for word in groups.words where word.isEmpty || word.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 < 0x20 || $0 == 0x7F }) {
            return "word \(word.debugDescription) is empty or holds a space or control byte"
        }
        for group in groups.groups {
            if group.isEmpty || group.utf8.first == 0x20 || group.utf8.last == 0x20 || group.utf8.first == 0x09 || group.utf8.last == 0x09 {
                return "group \(group.debugDescription) is empty or not trimmed"
            }
            if group.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) { return "group \(group.debugDescription) holds a control byte" }
        }
        let points = groups.words.enumerated().map { ScatterPlot.Point(label: $1, x: Double($0), y: Double($0 % 3), group: groups.groups[$0]) }
        let svg = ScatterPlot(points: points).svg()
        if svg.components(separatedBy: "<text class=\"label\"").count - 1 != groups.words.count { return "the SVG does not hold one label per word" }
        if svg.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) { return "the SVG holds a raw control character" }
        return nil
    }

    @Test func wordGroupsReader() throws {
        let report = try FuzzHarness.run("word-groups", examples: Self.examples, read: { path in
            try WordGroupsFile.read(path: path)
        }, check: Self.soundness)
        ReaderFuzzTests.expectSound(report)
    }
}
