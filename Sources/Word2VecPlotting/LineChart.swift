import Word2Vec

/// A chart of named series of (x, y) points drawn as SVG: axes with round-number ticks and titles,
/// each series a coloured line through its points in order with a marker and an optional label at
/// each point, dashed guide lines at chosen values, and a legend.
///
/// Made for measurements against a peer, such as accuracy against training time for several tools
/// (`Benchmarks/frontier.py`): unlike `ScatterPlot`, whose two axes are one projection and share a
/// scale, each axis here has its own unit, scale and ticks.
///
/// ```swift
/// var chart = LineChart(xTitle: "wall time (s)", yTitle: "analogy accuracy (%)")
/// chart.series = [.init(name: "ours", points: [.init(x: 20, y: 31.5, label: "3")])]
/// try chart.write(to: "frontier.svg")
/// ```
///
/// Non-finite coordinates are left out. Drawing is O(points + ticks).
public struct LineChart: Sendable {
    public struct Point: Sendable, Equatable, Codable {
        public var x: Double
        public var y: Double
        /// Drawn beside the marker when set (for example the epochs of a run).
        public var label: String?

        public init(x: Double, y: Double, label: String? = nil) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    public struct Series: Sendable, Equatable, Codable {
        public var name: String
        /// Joined in this order.
        public var points: [Point]

        public init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    /// A dashed line across the plot at `value` on one axis, with its label at the end.
    public struct Guide: Sendable, Equatable, Codable {
        public enum Axis: String, Sendable, Codable { case x, y }
        public var axis: Axis
        public var value: Double
        public var label: String

        public init(axis: Axis, value: Double, label: String) {
            self.axis = axis
            self.value = value
            self.label = label
        }
    }

    public var series: [Series] = []
    public var guides: [Guide] = []
    public var title: String?
    public var xTitle: String
    public var yTitle: String
    public var width = 800.0
    public var height = 560.0
    public var fontSize = 13.0

    public init(title: String? = nil, xTitle: String, yTitle: String) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
    }

    /// About `count` (at least two) evenly spaced round numbers (1, 2 or 5 times a power of ten
    /// apart) from the first at or below `low` to the first at or above `high`. A zero-width range
    /// is widened by one unit on each side.
    public static func ticks(from low: Double, to high: Double, count: Int = 6) -> [Double] {
        guard low.isFinite, high.isFinite else { return [0, 1] }
        var (low, high) = (min(low, high), max(low, high))
        if high - low < 1e-12 * max(1, abs(low)) { (low, high) = (low - 1, high + 1) }
        let raw = (high - low) / Double(max(count - 1, 1))
        let power = Double.pow10(raw.log10Floor)
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// The chart as a standalone SVG 1.1 document: series lines `<polyline class="series">` in
    /// order, markers `<circle>`, point labels `<text class="point">`, tick labels `<text
    /// class="tick">`, legend entries `<text class="legend">`.
    public func svg() -> String {
        typealias S = ScatterPlot
        let finite = series.map { $0.points.filter { $0.x.isFinite && $0.y.isFinite } }
        let all = finite.joined()
        let guideXs = guides.filter { $0.axis == .x && $0.value.isFinite }.map(\.value)
        let guideYs = guides.filter { $0.axis == .y && $0.value.isFinite }.map(\.value)
        let xTicks = Self.ticks(from: (all.map(\.x) + guideXs).min() ?? 0, to: (all.map(\.x) + guideXs).max() ?? 1)
        let yTicks = Self.ticks(from: (all.map(\.y) + guideYs).min() ?? 0, to: (all.map(\.y) + guideYs).max() ?? 1)
        let (x0, x1, y0, y1) = (xTicks.first!, xTicks.last!, yTicks.first!, yTicks.last!)

        let legendWidth = series.isEmpty ? 0 : min(width / 3, (series.map { S.textWidth($0.name, fontSize: fontSize) }.max() ?? 0) + 40)
        let tickWidth = yTicks.map { S.textWidth(Self.label($0), fontSize: fontSize) }.max() ?? 0
        let top = (title == nil ? 0 : fontSize * 2.2) + fontSize
        let left = fontSize * 2.4 + tickWidth + 8
        let area = S.Box(x: left, y: top, width: max(width - left - legendWidth - 24, 10), height: max(height - top - fontSize * 4, 10))
        func px(_ x: Double) -> Double { area.x + (x - x0) / (x1 - x0) * area.width }
        func py(_ y: Double) -> Double { area.y + area.height - (y - y0) / (y1 - y0) * area.height }
        let n = S.number

        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>\n"
        out += "<g font-family=\"'DejaVu Sans', 'Noto Sans', sans-serif\" font-size=\"\(n(fontSize))\" fill=\"#1a1a1a\">\n"
        if let title {
            out += "<text class=\"title\" x=\"\(n(width / 2))\" y=\"\(n(fontSize * 1.5))\" text-anchor=\"middle\" font-size=\"\(n(fontSize * 1.3))\">\(S.escaped(title))</text>\n"
        }
        // Grid and ticks first, so that everything else is drawn over them.
        out += "<g class=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"1\">\n"
        for x in xTicks { out += "<line x1=\"\(n(px(x)))\" y1=\"\(n(area.y))\" x2=\"\(n(px(x)))\" y2=\"\(n(area.y + area.height))\"/>\n" }
        for y in yTicks { out += "<line x1=\"\(n(area.x))\" y1=\"\(n(py(y)))\" x2=\"\(n(area.x + area.width))\" y2=\"\(n(py(y)))\"/>\n" }
        out += "</g>\n<rect x=\"\(n(area.x))\" y=\"\(n(area.y))\" width=\"\(n(area.width))\" height=\"\(n(area.height))\" fill=\"none\" stroke=\"#555555\"/>\n"
        for x in xTicks {
            out += "<text class=\"tick\" x=\"\(n(px(x)))\" y=\"\(n(area.y + area.height + fontSize * 1.3))\" text-anchor=\"middle\">\(Self.label(x))</text>\n"
        }
        for y in yTicks {
            out += "<text class=\"tick\" x=\"\(n(area.x - 6))\" y=\"\(n(py(y) + fontSize * 0.35))\" text-anchor=\"end\">\(Self.label(y))</text>\n"
        }
        out += "<text class=\"axis\" x=\"\(n(area.x + area.width / 2))\" y=\"\(n(area.y + area.height + fontSize * 2.9))\" text-anchor=\"middle\">\(S.escaped(xTitle))</text>\n"
        let yTitleX = fontSize * 1.2, yTitleY = area.y + area.height / 2
        out += "<text class=\"axis\" x=\"\(n(yTitleX))\" y=\"\(n(yTitleY))\" text-anchor=\"middle\" transform=\"rotate(-90 \(n(yTitleX)) \(n(yTitleY)))\">\(S.escaped(yTitle))</text>\n"

        out += "<g class=\"guides\" stroke=\"#777777\" stroke-width=\"1\" stroke-dasharray=\"5 4\">\n"
        var guideLabels = ""
        for guide in guides where guide.value.isFinite {
            switch guide.axis {
            case .x:
                out += "<line x1=\"\(n(px(guide.value)))\" y1=\"\(n(area.y))\" x2=\"\(n(px(guide.value)))\" y2=\"\(n(area.y + area.height))\"/>\n"
                guideLabels += "<text class=\"guide\" x=\"\(n(px(guide.value) + 4))\" y=\"\(n(area.y + fontSize))\">\(S.escaped(guide.label))</text>\n"
            case .y:
                out += "<line x1=\"\(n(area.x))\" y1=\"\(n(py(guide.value)))\" x2=\"\(n(area.x + area.width))\" y2=\"\(n(py(guide.value)))\"/>\n"
                guideLabels += "<text class=\"guide\" x=\"\(n(area.x + area.width - 4))\" y=\"\(n(py(guide.value) - 4))\" text-anchor=\"end\">\(S.escaped(guide.label))</text>\n"
            }
        }
        out += "</g>\n<g fill=\"#555555\">\n" + guideLabels + "</g>\n"

        for (index, points) in finite.enumerated() {
            let colour = S.palette[index % S.palette.count]
            let path = points.map { "\(n(px($0.x))),\(n(py($0.y)))" }.joined(separator: " ")
            out += "<polyline class=\"series\" points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            for point in points {
                out += "<circle cx=\"\(n(px(point.x)))\" cy=\"\(n(py(point.y)))\" r=\"3.5\" fill=\"\(colour)\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>\n"
                if let label = point.label {
                    out += "<text class=\"point\" x=\"\(n(px(point.x) + 5))\" y=\"\(n(py(point.y) - 5))\" font-size=\"\(n(fontSize * 0.85))\" fill=\"\(colour)\">\(S.escaped(label))</text>\n"
                }
            }
        }
        if !series.isEmpty {
            let legendLeft = width - legendWidth + 8, step = fontSize * 1.5
            out += "<g class=\"legend\">\n"
            for (index, entry) in series.enumerated() {
                let y = area.y + fontSize + Double(index) * step
                out += "<line x1=\"\(n(legendLeft - 4))\" y1=\"\(n(y))\" x2=\"\(n(legendLeft + 14))\" y2=\"\(n(y))\" stroke=\"\(S.palette[index % S.palette.count])\" stroke-width=\"3\"/>\n"
                out += "<text class=\"legend\" x=\"\(n(legendLeft + 20))\" y=\"\(n(y + fontSize * 0.35))\">\(S.escaped(entry.name))</text>\n"
            }
            out += "</g>\n"
        }
        out += "</g>\n</svg>\n"
        return out
    }

    /// Writes `svg()` to `path` atomically (`-` is standard output).
    /// - Throws: `Word2VecError.unwritableFile`.
    public func write(to path: String) throws {
        try SVGWriter(path: path).write(svg: svg())
    }

    /// A tick value as people write it: no trailing zeros, at most four decimals.
    static func label(_ value: Double) -> String {
        let rounded = (value * 10_000).rounded() / 10_000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        var text = String(rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}

extension Double {
    /// The exponent of the largest power of ten at or below a positive finite value.
    fileprivate var log10Floor: Int {
        var exponent = 0
        var value = self
        while value >= 10 { value /= 10; exponent += 1 }
        while value < 1 && value > 0 { value *= 10; exponent -= 1 }
        return exponent
    }

    fileprivate static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}
