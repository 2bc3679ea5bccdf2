import Word2Vec

/// A labelled 2-D scatter plot of words, drawn as SVG: one marker and one label per point, points
/// coloured by group with a legend when any point has a group.
///
/// Data coordinates are scaled by one factor on both axes (distances in the picture stay
/// proportional to distances in the projection) and y grows upwards, as in a mathematical plot.
/// Labels are placed greedily: the most crowded points choose first, each among positions around
/// its marker (right, left, above, below, the diagonals, then the same farther out with a leader
/// line), taking the first that overlaps no label, marker or the border, or else the one that
/// overlaps least. Label widths are estimated from the characters (East Asian wide characters count
/// one em, others 0.62 em), so placement does not need the fonts.
///
/// ```swift
/// let rows = try Projection.rows(for: words, in: embeddings)
/// let xy = try Projection.pca(rows).points
/// let plot = ScatterPlot(points: zip(words, xy).map { .init(label: $0, x: $1[0], y: $1[1]) })
/// try plot.write(to: "words.svg")
/// ```
public struct ScatterPlot: Sendable {
    public struct Point: Sendable, Equatable {
        /// Shown next to the marker; any text (it is escaped for XML; characters XML cannot hold
        /// become U+FFFD).
        public var label: String
        /// Data coordinates; a value that is not finite is drawn as 0.
        public var x: Double
        public var y: Double
        /// Points with the same group share a colour and a legend entry; `nil` is drawn grey and
        /// listed as "other" when other points have groups.
        public var group: String?

        public init(label: String, x: Double, y: Double, group: String? = nil) {
            self.label = label
            self.x = x
            self.y = y
            self.group = group
        }
    }

    /// An axis-aligned rectangle in SVG user units (y grows downwards).
    public struct Box: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double

        public init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }

        /// Whether `other` lies wholly inside.
        public func contains(_ other: Box) -> Bool {
            other.x >= x && other.y >= y && other.x + other.width <= x + width && other.y + other.height <= y + height
        }

        /// The area shared with `other`, 0 when they do not overlap.
        public func overlap(_ other: Box) -> Double {
            let w = min(x + width, other.x + other.width) - max(x, other.x)
            let h = min(y + height, other.y + other.height) - max(y, other.y)
            return w > 0 && h > 0 ? w * h : 0
        }
    }

    /// Where everything goes, in SVG user units.
    public struct Layout: Sendable {
        /// Marker centres, one per point in order.
        public var markers: [(x: Double, y: Double)]
        /// Estimated label boxes, one per point in order.
        public var labels: [Box]
        /// How each label is anchored: its text starts at, is centred on, or ends at the box edge.
        public var anchors: [Anchor]
        /// Whether a label sits away from its marker and is joined to it by a line.
        public var leaders: [Bool]
        /// Legend entries in order of first appearance (empty when no point has a group).
        public var legend: [String]
        /// Labels that could not be placed without overlapping another label or marker.
        public var overlappingLabels: Int
    }

    public enum Anchor: String, Sendable { case start, middle, end }

    public var points: [Point]
    /// Drawn centred above the plot when set.
    public var title: String?
    public var width: Double = 960
    public var height: Double = 720
    /// Label size in SVG user units (pixels when the SVG is shown at its size).
    public var fontSize: Double = 13
    /// One scale for both axes, so that distances in the picture stay proportional. Off, each axis
    /// fills the data area: for t-SNE, whose distances mean little beyond neighbourhoods and whose
    /// roughly round clouds would otherwise leave the sides of a wide canvas empty.
    public var equalScales = true
    /// CSS font families, first choice first; the default ends with fonts that hold Chinese,
    /// Japanese and Korean glyphs and with the generic `sans-serif`.
    public var fontFamilies: [String] = ScatterPlot.defaultFontFamilies

    public static let defaultFontFamilies = [
        "DejaVu Sans", "Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC",
        "Source Han Sans", "WenQuanYi Micro Hei", "Hiragino Sans", "PingFang SC", "Microsoft YaHei",
        "Yu Gothic", "Arial Unicode MS", "sans-serif",
    ]

    /// Colours of the first ten groups (further groups repeat them): distinct hues that stay apart
    /// for the common forms of colour blindness.
    public static let palette = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
        "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf",
    ]
    static let otherColour = "#8c8c8c"
    static let otherGroup = "other"

    public init(points: [Point], title: String? = nil) {
        self.points = points
        self.title = title
    }

    /// The estimated width of `text` at `fontSize`.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        var ems = 0.0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || v >= 0x20000
            if (0x0300...0x036F).contains(v) || (0x200B...0x200F).contains(v) { continue }  // combining, zero width
            ems += wide ? 1.0 : (v >= 0x41 && v <= 0x5A ? 0.7 : 0.62)
        }
        return ems * fontSize
    }

    /// The width kept on the right for the legend: its longest entry, a marker and margins.
    private func legendWidth(_ legend: [String]) -> Double {
        legend.isEmpty ? 0 : min(width / 3, (legend.map { Self.textWidth($0, fontSize: fontSize) }.max() ?? 0) + 40)
    }

    /// Places markers, labels and the legend. O(n^2) in the number of points, a few dozen candidate
    /// positions per label.
    public func layout() -> Layout {
        let n = points.count
        let markerRadius = 3.5
        let lineHeight = fontSize * 1.2
        let xs = points.map { $0.x.isFinite ? $0.x : 0 }
        let ys = points.map { $0.y.isFinite ? $0.y : 0 }
        let labelWidths = points.map { Self.textWidth($0.label, fontSize: fontSize) }

        var legend: [String] = []
        if points.contains(where: { $0.group != nil }) {
            var seen = Set<String>()
            for point in points {
                let name = point.group ?? Self.otherGroup
                if seen.insert(name).inserted { legend.append(name) }
            }
            // "other" reads best last.
            if let other = legend.firstIndex(of: Self.otherGroup), points.contains(where: { $0.group == nil }) {
                legend.append(legend.remove(at: other))
            }
        }
        let legendWidth = legendWidth(legend)

        // The data area leaves room for labels beside the outermost markers.
        let widest = min(labelWidths.max() ?? 0, width / 4)
        let top = (title == nil ? 0 : lineHeight * 1.6) + lineHeight + 8
        let area = Box(x: widest / 2 + 16, y: top, width: max(width - legendWidth - widest - 32, 10), height: max(height - top - lineHeight - 16, 10))
        let minX = xs.min() ?? 0, maxX = xs.max() ?? 0, minY = ys.min() ?? 0, maxY = ys.max() ?? 0
        let spanX = maxX - minX, spanY = maxY - minY
        var scaleX = spanX > 0 ? area.width / spanX : .infinity, scaleY = spanY > 0 ? area.height / spanY : .infinity
        if equalScales { (scaleX, scaleY) = (min(scaleX, scaleY), min(scaleX, scaleY)) }
        // A flat axis (or no extent at all) keeps the other's scale, or 1.
        if !scaleX.isFinite { scaleX = scaleY.isFinite ? scaleY : 1 }
        if !scaleY.isFinite { scaleY = scaleX }
        let centreX = (minX + maxX) / 2, centreY = (minY + maxY) / 2
        let markers = (0..<n).map { i in
            (x: area.x + area.width / 2 + (xs[i] - centreX) * scaleX, y: area.y + area.height / 2 - (ys[i] - centreY) * scaleY)
        }

        let frame = Box(x: 0, y: title == nil ? 0 : lineHeight * 1.6, width: width - legendWidth, height: height - (title == nil ? 0 : lineHeight * 1.6))
        let markerBoxes = markers.map { Box(x: $0.x - markerRadius, y: $0.y - markerRadius, width: 2 * markerRadius, height: 2 * markerRadius) }
        // Crowded points choose first: their few good positions would otherwise be taken.
        let reach = fontSize * 4
        let crowding = (0..<n).map { i in
            (0..<n).reduce(0) { count, j in
                let dx = markers[i].x - markers[j].x, dy = markers[i].y - markers[j].y
                return count + (j != i && dx * dx + dy * dy < reach * reach ? 1 : 0)
            }
        }
        let order = (0..<n).sorted { crowding[$0] > crowding[$1] || (crowding[$0] == crowding[$1] && $0 < $1) }

        var labels = [Box](repeating: Box(x: 0, y: 0, width: 0, height: 0), count: n)
        var anchors = [Anchor](repeating: .start, count: n)
        var leaders = [Bool](repeating: false, count: n)
        var placed: [Box] = []
        var overlapping = 0
        // Directions in order of preference: right, left, above, below, then the diagonals.
        let directions: [(dx: Double, dy: Double)] = [(1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1)]
        let distances = [markerRadius + 2, markerRadius + fontSize * 1.2, markerRadius + fontSize * 2.6]
        for i in order {
            let w = labelWidths[i], h = fontSize
            let (px, py) = markers[i]
            var best: (cost: Double, box: Box, anchor: Anchor, ring: Int)? = nil
            search: for (ring, distance) in distances.enumerated() {
                for (k, direction) in directions.enumerated() {
                    let diagonal = direction.dx != 0 && direction.dy != 0
                    let reachX = diagonal ? distance * 0.8 : distance, reachY = diagonal ? distance * 0.6 : distance
                    let bx: Double, anchor: Anchor
                    switch direction.dx {
                    case 1: bx = px + reachX; anchor = .start
                    case -1: bx = px - reachX - w; anchor = .end
                    default: bx = px - w / 2; anchor = .middle
                    }
                    let by: Double
                    switch direction.dy {
                    case -1: by = py - reachY - h
                    case 1: by = py + reachY
                    default: by = py - h / 2
                    }
                    let box = Box(x: bx, y: by, width: w, height: h)
                    var cost = 0.0
                    for other in placed { cost += box.overlap(other) }
                    for (j, marker) in markerBoxes.enumerated() where j != i { cost += box.overlap(marker) * 2 }
                    if !frame.contains(box) { cost += max(box.width * box.height - box.overlap(frame), 1) * 4 }
                    if cost == 0 {
                        best = (0, box, anchor, ring)
                        break search
                    }
                    let ranked = cost + Double(ring) * 0.5 + Double(k) * 0.01
                    if best == nil || ranked < best!.cost { best = (ranked, box, anchor, ring) }
                }
            }
            let chosen = best!
            if chosen.cost > 0 { overlapping += 1 }
            labels[i] = chosen.box
            anchors[i] = chosen.anchor
            leaders[i] = chosen.ring > 0
            placed.append(chosen.box)
        }
        return Layout(markers: markers, labels: labels, anchors: anchors, leaders: leaders, legend: legend, overlappingLabels: overlapping)
    }

    /// The plot as a standalone SVG 1.1 document (UTF-8). Labels are `<text class="label">`
    /// elements in point order, legend entries `<text class="legend">`, the title `<text class="title">`.
    public func svg() -> String { svg(layout: layout()) }

    func svg(layout: Layout) -> String {
        let colours = Dictionary(uniqueKeysWithValues: layout.legend.enumerated().map { index, name in
            (name, name == Self.otherGroup && points.contains { $0.group == nil } ? Self.otherColour : Self.palette[index % Self.palette.count])
        })
        func colour(_ point: Point) -> String {
            layout.legend.isEmpty ? "#1f5fa8" : colours[point.group ?? Self.otherGroup] ?? Self.otherColour
        }
        let families = fontFamilies.map { family in
            let generic = ["serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"].contains(family)
            return generic ? family : "'" + family.replacingAll("'", with: "") + "'"
        }.joined(separator: ", ")

        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"#ffffff\"/>\n"
        out += "<g font-family=\"\(Self.escaped(families))\" font-size=\"\(Self.number(fontSize))\">\n"
        if let title {
            out += "<text class=\"title\" x=\"\(Self.number(width / 2))\" y=\"\(Self.number(fontSize * 1.5))\" text-anchor=\"middle\" font-size=\"\(Self.number(fontSize * 1.3))\" fill=\"#222222\">\(Self.escaped(title))</text>\n"
        }
        out += "<g class=\"leaders\" stroke=\"#9a9a9a\" stroke-width=\"0.7\">\n"
        for i in points.indices where layout.leaders[i] {
            let box = layout.labels[i]
            let marker = layout.markers[i]
            let tx = min(max(marker.x, box.x), box.x + box.width), ty = min(max(marker.y, box.y), box.y + box.height)
            out += "<line x1=\"\(Self.number(marker.x))\" y1=\"\(Self.number(marker.y))\" x2=\"\(Self.number(tx))\" y2=\"\(Self.number(ty))\"/>\n"
        }
        out += "</g>\n<g class=\"markers\" stroke=\"#ffffff\" stroke-width=\"0.8\">\n"
        for (i, point) in points.enumerated() {
            out += "<circle cx=\"\(Self.number(layout.markers[i].x))\" cy=\"\(Self.number(layout.markers[i].y))\" r=\"3.5\" fill=\"\(colour(point))\"/>\n"
        }
        // A white outline painted under each glyph keeps labels readable over lines and markers.
        out += "</g>\n<g class=\"labels\" fill=\"#1a1a1a\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">\n"
        for (i, point) in points.enumerated() {
            let box = layout.labels[i]
            let x: Double = switch layout.anchors[i] {
            case .start: box.x
            case .middle: box.x + box.width / 2
            case .end: box.x + box.width
            }
            let baseline = box.y + fontSize * 0.8
            out += "<text class=\"label\" x=\"\(Self.number(x))\" y=\"\(Self.number(baseline))\" text-anchor=\"\(layout.anchors[i].rawValue)\">\(Self.escaped(point.label))</text>\n"
        }
        out += "</g>\n"
        if !layout.legend.isEmpty {
            let left = width - legendWidth(layout.legend) + 8
            let step = fontSize * 1.5
            let legendTop = (title == nil ? 0 : fontSize * 2) + 16
            out += "<g class=\"legend\">\n"
            out += "<rect x=\"\(Self.number(left - 6))\" y=\"\(Self.number(legendTop - step / 2 - 4))\" width=\"\(Self.number(width - left - 2))\" height=\"\(Self.number(step * Double(layout.legend.count) + 8))\" fill=\"#ffffff\" stroke=\"#cccccc\"/>\n"
            for (index, name) in layout.legend.enumerated() {
                let y = legendTop + Double(index) * step
                out += "<circle cx=\"\(Self.number(left + 6))\" cy=\"\(Self.number(y))\" r=\"5\" fill=\"\(colours[name] ?? Self.otherColour)\"/>\n"
                out += "<text class=\"legend\" x=\"\(Self.number(left + 18))\" y=\"\(Self.number(y + fontSize * 0.35))\" fill=\"#1a1a1a\">\(Self.escaped(name))</text>\n"
            }
            out += "</g>\n"
        }
        out += "</g>\n</svg>\n"
        return out
    }

    /// Writes `svg()` to `path` atomically (`-` is standard output).
    /// - Throws: `Word2VecError.unwritableFile`.
    public func write(to path: String) throws {
        try SVGWriter(path: path).write(self)
    }

    /// A coordinate with at most two decimals, in the plain notation SVG readers all accept.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        // Beyond what an Int holds (a library caller's huge canvas); SVG numbers may have exponents.
        guard rounded.isFinite else { return "0" }
        guard abs(rounded) < 1e15 else { return "\(rounded)" }
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        let whole = Int(rounded.magnitude)
        let hundredths = Int(((rounded.magnitude - Double(whole)) * 100).rounded())
        let fraction = hundredths < 10 ? "0\(hundredths)" : "\(hundredths)"
        return (rounded < 0 ? "-" : "") + "\(whole)." + (fraction.hasSuffix("0") ? String(fraction.dropLast()) : fraction)
    }

    /// `text` for XML character data or a quoted attribute: markup characters as entities, and
    /// characters XML 1.0 cannot contain (controls other than tab and line ends, U+FFFE, U+FFFF) as
    /// U+FFFD.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out += "&#\(scalar.value);"
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// An SVG file claimed before a long computation and written after it: creating the writer fails at
/// once on an unwritable path, and nothing appears at `path` unless `write` completes.
public final class SVGWriter {
    private let file: AtomicFile

    /// - Throws: `Word2VecError.unwritableFile` with the system's reason.
    public init(path: String) throws { file = try AtomicFile(path: path) }

    /// Writes the plot and moves the file into place. Call once.
    /// - Returns: the layout drawn (how many labels overlap, for a report).
    @discardableResult
    public func write(_ plot: ScatterPlot) throws -> ScatterPlot.Layout {
        let layout = plot.layout()
        try write(svg: plot.svg(layout: layout))
        return layout
    }

    /// Writes an SVG document and moves the file into place. Call once.
    public func write(svg document: String) throws {
        try file.write(document)
        try file.commit()
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
