import Foundation
import Testing
import Word2VecPlotting

/// The line chart of benchmark series: round ticks that cover the data, points placed on the axes'
/// scales, escaped names, well-formed SVG.
@Suite struct LineChartTests {
    /// The numbers of attribute `name` of every `<element ...>` in `svg`, in order.
    static func attributes(_ name: String, of element: String, in svg: String) -> [Double] {
        svg.components(separatedBy: "<\(element) ").dropFirst().compactMap { tail in
            guard let start = tail.range(of: " \(name)=\"") ?? tail.range(of: "\(name)=\"") else { return nil }
            return Double(tail[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    @Test func ticksAreRoundEvenlySpacedAndCoverTheRange() {
        var random = TestRandom(seed: 7)
        for _ in 0..<500 {
            let scale = [1e-3, 0.1, 1, 37, 1e4][Int(random.next() % 5)]
            let a = (Double(random.next() % 10_000) / 100 - 50) * scale
            let b = a + Double(random.next() % 10_000) / 100 * scale
            let ticks = LineChart.ticks(from: a, to: b)
            #expect(ticks.count >= 2 && ticks.count <= 12, "\(a)...\(b): \(ticks)")
            #expect(ticks.first! <= a + 1e-9 * max(1, abs(a)) && ticks.last! >= b - 1e-9 * max(1, abs(b)), "\(a)...\(b): \(ticks)")
            let step = ticks[1] - ticks[0]
            for (x, y) in zip(ticks, ticks.dropFirst()) { #expect(abs((y - x) - step) <= 1e-9 * max(1, abs(step) * 1e3)) }
            // The step is 1, 2 or 5 times a power of ten.
            let mantissa = step / pow(10, floor(log10(step)))
            #expect([1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-6 }, "step \(step)")
        }
        // A single value still gets an axis around it.
        let flat = LineChart.ticks(from: 3, to: 3)
        #expect(flat.first! < 3 && flat.last! > 3)
    }

    @Test func pointsLandOnTheAxesScales() throws {
        var chart = LineChart(title: "accuracy & time", xTitle: "wall time (s)", yTitle: "analogy (%)")
        chart.series = [
            .init(name: "ours <fast>", points: [.init(x: 10, y: 20, label: "1"), .init(x: 30, y: 35, label: "3"), .init(x: 50, y: 40, label: "5")]),
            .init(name: "peer", points: [.init(x: 40, y: 30), .init(x: .nan, y: 1), .init(x: 90, y: 38)]),
        ]
        chart.guides = [.init(axis: .x, value: 90, label: "peer, 5 epochs"), .init(axis: .y, value: 42, label: "+2")]
        let svg = chart.svg()
        #expect(try !PlotTests.texts(in: svg).isEmpty)
        #expect(svg.contains("ours &lt;fast&gt;") && svg.contains("accuracy &amp; time"))
        #expect(svg.components(separatedBy: "<polyline class=\"series\"").count - 1 == 2)

        // Five finite points, in series order: x maps increasing to the right, y upwards.
        let cx = Self.attributes("cx", of: "circle", in: svg), cy = Self.attributes("cy", of: "circle", in: svg)
        let data: [(Double, Double)] = [(10, 20), (30, 35), (50, 40), (40, 30), (90, 38)]
        try #require(cx.count == data.count && cy.count == data.count)
        for i in data.indices {
            for j in data.indices where data[i].0 < data[j].0 { #expect(cx[i] < cx[j]) }
            for j in data.indices where data[i].1 < data[j].1 { #expect(cy[i] > cy[j]) }
        }
        // Linear: equal steps in data are equal steps in the picture.
        #expect(abs((cx[1] - cx[0]) - (cx[2] - cx[1])) < 0.02)
        // Inside the frame (the first rect after the grid), which the ticks span.
        let rects = Self.attributes("x", of: "rect", in: svg), widths = Self.attributes("width", of: "rect", in: svg)
        let frameX = rects[1], frameWidth = widths[1]
        for x in cx { #expect(x >= frameX && x <= frameX + frameWidth) }
        let ticks = try PlotTests.texts(in: svg)["tick"] ?? []
        #expect(ticks.contains("0") || ticks.contains("10"))
        #expect(ticks.contains("100") || ticks.contains("90"))
    }

    @Test func writesAtomically() throws {
        let directory = TestDirectory()
        let path = directory.path + "/chart.svg"
        try LineChart(xTitle: "x", yTitle: "y").write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("</svg>\n"))
        #expect(throws: (any Error).self) { try LineChart(xTitle: "x", yTitle: "y").write(to: directory.path + "/missing/dir/c.svg") }
    }
}
