import Foundation
import Testing
import Word2Vec
import Word2VecPlotting

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

    /// Seeded extremes of every drawing setting a library caller can give (the command line bounds
    /// them; `CommandLineFuzzTests` covers its flags): a canvas past Int's range used to trap. The
    /// SVG is always written, with one label per point and no non-finite number.
    @Test func drawingSettingsAtTheirExtremes() {
        var random = TestRandom(seed: 0x5EED_9107)
        let sizes: [Double] = [0, -1, 1, 13, 100, 960, 1e5, 9.3e18, 1e300, .infinity, .nan, .leastNonzeroMagnitude]
        let coordinates: [Double] = [0, 1, -1, 1e-300, 1e300, -1e300, .nan, .infinity, 3.4e38, -0.5]
        for index in 0..<300 {
            let count = Int.random(in: 0...6, using: &random)
            var plot = ScatterPlot(points: (0..<count).map { i in
                ScatterPlot.Point(label: "w\(i)", x: coordinates.randomElement(using: &random)!,
                                  y: coordinates.randomElement(using: &random)!, group: Bool.random(using: &random) ? "g" : nil)
            }, title: Bool.random(using: &random) ? "t" : nil)
            plot.width = sizes.randomElement(using: &random)!
            plot.height = sizes.randomElement(using: &random)!
            plot.fontSize = sizes.randomElement(using: &random)!
            plot.equalScales = Bool.random(using: &random)
            let svg = plot.svg()
            #expect(svg.components(separatedBy: "<text class=\"label\"").count - 1 == count, "case \(index)")
            #expect(!svg.contains("\"nan") && !svg.contains("\"inf") && !svg.contains("\"-inf"), "case \(index)")
        }
    }

    /// Seeded t-SNE settings around and past their bounds: each is refused by `validate` with a
    /// `Word2VecError` or gives one point per row.
    @Test func tsneSettings() throws {
        var random = TestRandom(seed: 0x5EED_75E)
        let rows: [[Float]] = (0..<6).map { i in (0..<4).map { Float(($0 + i) % 5) - 2 } }
        let numbers: [Double] = [0, -1, 1e-300, 0.5, 1, 2, 30, 1e6, 1e300, .infinity, .nan]
        let counts = [0, -1, 1, 2, 250, 1000, 100_000, 100_001, Int.max, Int.min]
        var ran = 0
        for index in 0..<200 {
            var configuration = TSNEConfiguration()
            configuration.perplexity = numbers.randomElement(using: &random)!
            configuration.iterations = counts.randomElement(using: &random)!
            configuration.learningRate = Bool.random(using: &random) ? nil : numbers.randomElement(using: &random)!
            configuration.earlyExaggeration = Bool.random(using: &random) ? 12 : numbers.randomElement(using: &random)!
            configuration.exaggerationIterations = counts.randomElement(using: &random)!
            configuration.seed = random.next()
            do {
                try configuration.validate()
                // Valid but long runs are left out: they are slow, not wrong.
                guard configuration.iterations <= 1000 else { continue }
                let points = try Projection.tsne(rows, configuration: configuration)
                #expect(points.count == rows.count && points.allSatisfy { $0.count == 2 }, "case \(index)")
                ran += 1
            } catch is Word2VecError {
            } catch {
                Issue.record("case \(index): threw \(error)")
            }
        }
        #expect(ran > 0)
    }

    @Test func wordGroupsReader() throws {
        let report = try FuzzHarness.run("word-groups", examples: Self.examples, read: { path in
            try WordGroupsFile.read(path: path)
        }, check: Self.soundness)
        ReaderFuzzTests.expectSound(report)
    }
}
