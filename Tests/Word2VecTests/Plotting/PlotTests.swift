import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Word2Vec
import Word2VecPlotting

/// Projections (PCA, t-SNE), the SVG scatter plot, the word-group reader and `word2vec plot`.
@Suite struct PlotTests {
    let directory = TestDirectory()

    // MARK: Helpers

    static func gaussian(_ random: inout TestRandom) -> Double {
        let u = (Double(random.next() >> 11) + 0.5) / 9_007_199_254_740_992
        let v = Double(random.next() >> 11) / 9_007_199_254_740_992
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// Two orthonormal vectors of dimension `d`.
    static func orthonormalPair(_ d: Int, _ random: inout TestRandom) -> ([Double], [Double]) {
        var a = (0..<d).map { _ in gaussian(&random) }
        var b = (0..<d).map { _ in gaussian(&random) }
        let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
        a = a.map { $0 / na }
        let projection = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        b = zip(a, b).map { $1 - projection * $0 }
        let nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return (a, b.map { $0 / nb })
    }

    static func dot(_ x: [Double], _ y: [Double]) -> Double { zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } }

    static func distance(_ x: [Double], _ y: [Double]) -> Double {
        zip(x, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }

    /// Points `offset + 3 s a + t b` for standard normal s, t: a plane whose main direction is `a`.
    static func planePoints(count: Int, dimension: Int, seed: UInt64) -> (rows: [[Float]], a: [Double], b: [Double]) {
        var random = TestRandom(seed: seed)
        let (a, b) = orthonormalPair(dimension, &random)
        let offset = (0..<dimension).map { _ in gaussian(&random) * 5 }
        let rows = (0..<count).map { _ -> [Float] in
            let s = gaussian(&random) * 3, t = gaussian(&random)
            return (0..<dimension).map { Float(offset[$0] + s * a[$0] + t * b[$0]) }
        }
        return (rows, a, b)
    }

    /// Checks that the 2-D points are an isometric copy of `rows` (which lie on a plane).
    static func expectIsometric(_ points: [[Double]], _ rows: [[Float]]) {
        var worst = 0.0
        for i in rows.indices {
            for j in rows.indices where j > i {
                let original = distance(rows[i].map(Double.init), rows[j].map(Double.init))
                worst = max(worst, abs(distance(points[i], points[j]) - original) / max(original, 1e-9))
            }
        }
        #expect(worst < 1e-4, "largest relative distance error \(worst)")
    }

    // MARK: PCA

    @Test func pcaRecoversThePlaneOfPointsOnAPlane() throws {
        let (rows, a, b) = Self.planePoints(count: 60, dimension: 12, seed: 11)
        let result = try Projection.pca(rows, components: 3)
        // The two axes lie in span(a, b), the first mostly along a (3 times the spread of b).
        for axis in result.components.prefix(2) {
            let inPlane = Self.dot(axis, a) * Self.dot(axis, a) + Self.dot(axis, b) * Self.dot(axis, b)
            #expect(abs(inPlane - 1) < 1e-6, "axis in plane: \(inPlane)")
        }
        #expect(abs(Self.dot(result.components[0], a)) > 0.9, "first axis \(Self.dot(result.components[0], a))")
        #expect(abs(Self.dot(result.components[0], result.components[1])) < 1e-9)
        // The variances are the eigenvalues of the sample covariance in the plane's own coordinates.
        let mean = (0..<12).map { k in rows.reduce(0.0) { $0 + Double($1[k]) } / Double(rows.count) }
        let st = rows.map { row in
            let centred = zip(row, mean).map { Double($0) - $1 }
            return (Self.dot(centred, a), Self.dot(centred, b))
        }
        let n = Double(rows.count)
        let ss = st.reduce(0) { $0 + $1.0 * $1.0 } / n, tt = st.reduce(0) { $0 + $1.1 * $1.1 } / n
        let stc = st.reduce(0) { $0 + $1.0 * $1.1 } / n
        let root = (((ss - tt) / 2) * ((ss - tt) / 2) + stc * stc).squareRoot()
        #expect(abs(result.variances[0] - ((ss + tt) / 2 + root)) < 1e-4 * result.variances[0], "\(result.variances)")
        #expect(abs(result.variances[1] - ((ss + tt) / 2 - root)) < 1e-4 * result.variances[0], "\(result.variances)")
        // Nothing is left outside the plane.
        #expect(result.variances[2] < result.variances[1] * 1e-8, "\(result.variances)")
        #expect(result.points.allSatisfy { abs($0[2]) < 1e-4 })
        Self.expectIsometric(result.points.map { Array($0.prefix(2)) }, rows)
        for component in result.components { #expect(abs(Self.dot(component, component) - 1) < 1e-9) }
    }

    @Test func pcaOfFewerRowsThanDimensionsUsesTheSamePlane() throws {
        let (rows, a, b) = Self.planePoints(count: 7, dimension: 40, seed: 12)
        let result = try Projection.pca(rows)
        Self.expectIsometric(result.points, rows)
        // The two axes span the plane: each lies in span(a, b).
        for axis in result.components {
            let inPlane = Self.dot(axis, a) * Self.dot(axis, a) + Self.dot(axis, b) * Self.dot(axis, b)
            #expect(abs(inPlane - 1) < 1e-6, "axis in plane: \(inPlane)")
        }
    }

    @Test func pcaDoesNotDependOnRowOrder() throws {
        for (count, dimension) in [(30, 5), (4, 9)] {
            let (rows, _, _) = Self.planePoints(count: count, dimension: dimension, seed: 13)
            let forward = try Projection.pca(rows).points
            let backward = try Projection.pca(rows.reversed()).points
            for (p, q) in zip(forward, backward.reversed()) {
                #expect(abs(p[0] - q[0]) < 1e-6 && abs(p[1] - q[1]) < 1e-6, "\(p) vs \(q)")
            }
        }
    }

    @Test func pcaRejectsUnusableInput() {
        #expect(word2VecError { _ = try Projection.pca([]) } != nil)
        #expect(word2VecError { _ = try Projection.pca([[1, 2], [3]]) } != nil)
        #expect(word2VecError { _ = try Projection.pca([[1, .nan], [3, 4]]) } != nil)
        #expect(word2VecError { _ = try Projection.pca([[1, 2]], components: 3) } != nil)
        // A single point or identical points have no spread: coordinates are all zero, not NaN.
        let flat = try? Projection.pca([[1, 2, 3], [1, 2, 3]])
        #expect(flat?.points.allSatisfy { $0.allSatisfy { $0 == 0 } } == true)
    }

    // MARK: t-SNE

    /// `clusters` groups of `size` points around far-apart centres in 20 dimensions.
    static func clusteredRows(clusters: Int, size: Int, seed: UInt64) -> [[Float]] {
        var random = TestRandom(seed: seed)
        let centres = (0..<clusters).map { _ in (0..<20).map { _ in gaussian(&random) * 10 } }
        return (0..<(clusters * size)).map { i in centres[i / size].map { Float($0 + gaussian(&random) * 0.5) } }
    }

    @Test func tsneKeepsWellSeparatedClustersApart() throws {
        let size = 25
        let rows = Self.clusteredRows(clusters: 3, size: size, seed: 21)
        var configuration = TSNEConfiguration()
        configuration.perplexity = 10
        configuration.iterations = 600
        let points = try Projection.tsne(rows, configuration: configuration)
        #expect(points.count == rows.count && points.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isFinite) })
        // Every point's nearest neighbour in the plane is from its own cluster.
        for i in points.indices {
            let nearest = points.indices.filter { $0 != i }.min { Self.distance(points[i], points[$0]) < Self.distance(points[i], points[$1]) }!
            #expect(nearest / size == i / size, "point \(i)'s nearest neighbour \(nearest) is in another cluster")
        }
        // The gap between two clusters is wider than either cluster.
        for c in 0..<3 {
            for e in (c + 1)..<3 {
                var gap = Double.infinity
                for i in (c * size)..<((c + 1) * size) {
                    for j in (e * size)..<((e + 1) * size) { gap = min(gap, Self.distance(points[i], points[j])) }
                }
                let diameter = [c, e].map { k in
                    var largest = 0.0
                    for i in (k * size)..<((k + 1) * size) {
                        for j in (k * size)..<((k + 1) * size) { largest = max(largest, Self.distance(points[i], points[j])) }
                    }
                    return largest
                }.max()!
                #expect(gap > diameter * 0.5, "clusters \(c) and \(e): gap \(gap), diameter \(diameter)")
            }
        }
    }

    @Test func tsneKeepsNeighbourhoods() throws {
        // A 9 x 9 grid on a plane inside 10 dimensions: each point's nearest neighbours are clear.
        var random = TestRandom(seed: 23)
        let (a, b) = Self.orthonormalPair(10, &random)
        let rows = (0..<81).map { index -> [Float] in
            let s = Double(index % 9), t = Double(index / 9)
            return (0..<10).map { Float(s * a[$0] + t * b[$0] + Self.gaussian(&random) * 0.05) }
        }
        var configuration = TSNEConfiguration()
        configuration.perplexity = 8
        configuration.iterations = 600
        let points = try Projection.tsne(rows, configuration: configuration)
        let k = 4
        func neighbours(_ i: Int, _ distance: (Int, Int) -> Double) -> Set<Int> {
            Set(rows.indices.filter { $0 != i }.sorted { distance(i, $0) < distance(i, $1) }.prefix(k))
        }
        var kept = 0
        for i in rows.indices {
            let before = neighbours(i) { Self.distance(rows[$0].map(Double.init), rows[$1].map(Double.init)) }
            let after = neighbours(i) { Self.distance(points[$0], points[$1]) }
            kept += before.intersection(after).count
        }
        let share = Double(kept) / Double(k * rows.count)
        #expect(share > 0.7, "\(share) of the \(k) nearest neighbours kept")
    }

    @Test func tsneIsReproducibleFromItsSeed() throws {
        let rows = Self.clusteredRows(clusters: 2, size: 12, seed: 22)
        var configuration = TSNEConfiguration()
        configuration.iterations = 300
        configuration.seed = 5
        let first = try Projection.tsne(rows, configuration: configuration)
        let again = try Projection.tsne(rows, configuration: configuration)
        #expect(first == again)
        configuration.seed = 6
        #expect(try Projection.tsne(rows, configuration: configuration) != first)
        configuration.initialization = .pca
        let fromPCA = try Projection.tsne(rows, configuration: configuration)
        configuration.seed = 7
        #expect(try Projection.tsne(rows, configuration: configuration) == fromPCA)
    }

    @Test func tsneHandlesTinyInputsAndRejectsBadSettings() throws {
        #expect(try Projection.tsne([[1, 2]]) == [[0, 0]])
        let two = try Projection.tsne([[0, 0], [1, 1]])
        #expect(two.count == 2 && Self.distance(two[0], two[1]) > 0)
        let duplicates = try Projection.tsne([[Float]](repeating: [1, 2, 3], count: 6))
        #expect(duplicates.allSatisfy { $0.allSatisfy(\.isFinite) })
        var configuration = TSNEConfiguration()
        configuration.perplexity = 0
        #expect(word2VecError { _ = try Projection.tsne([[1], [2]], configuration: configuration) } != nil)
        configuration = TSNEConfiguration()
        configuration.iterations = 0
        #expect(word2VecError { _ = try Projection.tsne([[1], [2]], configuration: configuration) } != nil)
    }

    // MARK: SVG

    /// Parses `svg` as XML and returns the text of each element with the given class, by class.
    static func texts(in svg: String) throws -> [String: [String]] {
        #if canImport(FoundationXML)
        final class Collector: NSObject, XMLParserDelegate {
            var texts: [String: [String]] = [:]
            var current: String?
            var buffer = ""
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if name == "text" { current = attributes["class"] ?? ""; buffer = "" }
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { if current != nil { buffer += string } }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if name == "text", let current { texts[current, default: []].append(buffer) }
                if name == "text" { current = nil }
            }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        let parsed = parser.parse()
        try #require(parsed, "not well-formed XML: \(String(describing: parser.parserError))")
        return collector.texts
        #else
        return [:]
        #endif
    }

    @Test func svgIsWellFormedWithOneLabelPerWordInOrder() throws {
        let labels = ["king", "東京", "北京", "ソウル", "a<b&c\"d'e", "naïve", "😀", "x]]>y"]
        let points = labels.enumerated().map { index, label in
            ScatterPlot.Point(label: label, x: Double(index % 3), y: Double(index / 3), group: index < 3 ? "first" : index < 6 ? "second" : nil)
        }
        let svg = ScatterPlot(points: points, title: "words & <things>").svg()
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        #expect(svg.contains("Noto Sans CJK"))
        #expect(svg.components(separatedBy: "<text class=\"label\"").count - 1 == labels.count)
        #expect(svg.contains("東京") && svg.contains("ソウル"))
        #if canImport(FoundationXML)
        let texts = try Self.texts(in: svg)
        #expect(texts["label"] == labels)
        #expect(texts["legend"] == ["first", "second", "other"])
        #expect(texts["title"] == ["words & <things>"])
        #endif
    }

    @Test func escapingKeepsXMLValid() throws {
        let nasty = "a\u{01}b\u{FFFE}c&<>"
        #expect(ScatterPlot.escaped(nasty) == "a\u{FFFD}b\u{FFFD}c&amp;&lt;&gt;")
        #if canImport(FoundationXML)
        let texts = try Self.texts(in: ScatterPlot(points: [.init(label: nasty, x: 0, y: 0)]).svg())
        #expect(texts["label"] == ["a\u{FFFD}b\u{FFFD}c&<>"])
        #endif
    }

    @Test func labelsDoNotOverlapWhenThereIsRoom() {
        // Points closer together than their labels are long: side-by-side labels would collide.
        var points = (0..<12).map { ScatterPlot.Point(label: "longerlabel\($0)", x: Double($0), y: 0) }
        // And a small clump.
        points += (0..<6).map { ScatterPlot.Point(label: "clump\($0)", x: 5 + 0.05 * Double($0 % 3), y: 3 + 0.05 * Double($0 / 3)) }
        let plot = ScatterPlot(points: points)
        let layout = plot.layout()
        #expect(layout.overlappingLabels == 0)
        for i in layout.labels.indices {
            for j in layout.labels.indices where j > i {
                #expect(layout.labels[i].overlap(layout.labels[j]) == 0, "labels \(i) and \(j) overlap")
            }
            let box = layout.labels[i]
            #expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= plot.width && box.y + box.height <= plot.height)
        }
        // Each label stays near its marker.
        for (box, marker) in zip(layout.labels, layout.markers) {
            let dx = max(box.x - marker.x, 0, marker.x - (box.x + box.width))
            let dy = max(box.y - marker.y, 0, marker.y - (box.y + box.height))
            #expect((dx * dx + dy * dy).squareRoot() < plot.fontSize * 4)
        }
    }

    @Test func writeIsAtomicAndRefusesADirectory() throws {
        let path = directory.path + "/plot.svg"
        let plot = ScatterPlot(points: [.init(label: "a", x: 0, y: 0), .init(label: "b", x: 1, y: 1)])
        try plot.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == plot.svg())
        #expect(word2VecError { try plot.write(to: directory.path) } == .unwritableFile(directory.path, reason: "is a directory"))
    }

    // MARK: Groups file

    @Test func groupsFileReadsPairsWithSpacesInGroups() throws {
        let path = directory.file("groups.txt", "\u{FEFF}paris\tcapital city\r\n\n  berlin capital city  \nfrance country\nparis capital city\n東京 首都")
        let groups = try WordGroupsFile.read(path: path)
        #expect(groups.words == ["paris", "berlin", "france", "東京"])
        #expect(groups.groups == ["capital city", "capital city", "country", "首都"])
        #expect(groups.names == ["capital city", "country", "首都"])
        #expect(groups.group(of: "france") == "country" && groups.group(of: "rome") == nil)
        #expect(try WordGroupsFile.read(path: directory.file("empty.txt", "")).words.isEmpty)
    }

    @Test func groupsFileErrorsNameTheLine() {
        func error(_ text: String) -> Word2VecError? {
            let path = directory.file("bad.txt", text)
            return word2VecError { _ = try WordGroupsFile.read(path: path) }
        }
        let path = directory.path + "/bad.txt"
        #expect(error("a x\nlonely\n") == .malformedFile(path, line: 2, "'lonely' has no group ('word group' expected)"))
        #expect(error("a x\n\nb y\na z\n") == .malformedFile(path, line: 4, "'a' is in group 'x' on line 1"))
        #expect(error("a x\nb \u{01}y\n") == .malformedFile(path, line: 2, "holds the control byte \\x01"))
        let invalid = directory.file("bad.txt", bytes: Array("a x\nb ".utf8) + [0xFF, 0x0A])
        #expect(word2VecError { _ = try WordGroupsFile.read(path: invalid) } == .malformedFile(path, line: 2, "is not valid UTF-8"))
        #expect(word2VecError { _ = try WordGroupsFile.read(path: directory.path + "/missing") } != nil)
    }

    // MARK: Command line

    var vectors: String {
        directory.file("v.txt", """
            8 3
            king 1 0.2 0
            queen 0.9 0.3 0.1
            man 0.2 1 0
            woman 0.1 0.9 0.2
            東京 0 0.1 1
            paris 0.1 0 0.9
            apple -1 0 0
            pear -0.9 0.1 0

            """)
    }

    @Test func plotCommandWritesOneLabelPerWord() throws {
        let output = directory.path + "/out.svg"
        for method in ["pca", "tsne"] {
            let run = try runWord2Vec(["plot", vectors, "--words", "king,queen,東京,paris,king", "--method", method, "--seed", "3", "--output", output])
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.standardError.contains("plotted 4 words"))
            let svg = try String(contentsOfFile: output, encoding: .utf8)
            #if canImport(FoundationXML)
            #expect(try Self.texts(in: svg)["label"] == ["king", "queen", "東京", "paris"])
            #endif
        }
        let groups = directory.file("g.txt", "king royal\nqueen royal\napple fruit\npear fruit\nunicorn myth\n")
        let top = try runWord2Vec(["plot", vectors, "--top", "6", "--groups", groups, "--output", output, "--quiet"])
        #expect(top.status == 0 && top.standardError.isEmpty, "\(top.standardError)")
        #if canImport(FoundationXML)
        let texts = try Self.texts(in: try String(contentsOfFile: output, encoding: .utf8))
        #expect(texts["label"] == ["king", "queen", "man", "woman", "東京", "paris"])
        #expect(texts["legend"] == ["royal", "other"])
        #endif
        let skipped = try runWord2Vec(["plot", vectors, "--groups", groups, "--skip-unknown", "--output", output])
        #expect(skipped.status == 0, "\(skipped.standardError)")
        #expect(skipped.standardError.contains("warning: left out 1 word not in the vectors: 'unicorn'"))
    }

    /// Huge sizes trapped converting coordinates to Int (SIGILL, nothing on stderr); t-SNE's step
    /// count had no upper bound.
    @Test(arguments: [
        ["--width", "9223372036854775807"], ["--height", "9223372036854775807"], ["--width", "100001"],
        ["--font-size", "1e300"], ["--font-size", "1001"], ["--iterations", "9223372036854775807"],
        ["--method", "tsne", "--iterations", "100001"], ["--perplexity", "nan"],
    ])
    func plotOptionsAreBounded(option: [String]) throws {
        let output = directory.path + "/big.svg"
        let run = try runWord2Vec(["plot", vectors, "--words", "king,queen,man", "--output", output] + option)
        CommandLineSurfaceTests.expectFailure(run, status: 64, mentions: option[option.count - 2])
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func largestSizesStillDraw() throws {
        let output = directory.path + "/large.svg"
        let run = try runWord2Vec(["plot", vectors, "--words", "king,queen,man", "--output", output, "--width", "100000",
                                   "--height", "100000", "--font-size", "1000", "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        // A library caller may ask for any canvas: coordinates past Int's range are still written.
        var plot = ScatterPlot(points: [.init(label: "a", x: 0, y: 0), .init(label: "b", x: 1, y: 1)])
        plot.width = 1e300
        plot.height = 9.3e18
        plot.fontSize = 1e300
        #expect(plot.svg().contains("<text class=\"label\""))
    }

    /// t-SNE's round clouds filled only the middle of a wide canvas: its axes are scaled apart.
    @Test func tsnePicturesFillTheCanvas() throws {
        let points = (0..<40).map { i in
            ScatterPlot.Point(label: "p\(i)", x: cos(Double(i) * 0.157), y: sin(Double(i) * 0.157))
        }
        var plot = ScatterPlot(points: points)
        func spans(_ layout: ScatterPlot.Layout) -> (Double, Double) {
            let xs = layout.markers.map(\.x), ys = layout.markers.map(\.y)
            return (xs.max()! - xs.min()!, ys.max()! - ys.min()!)
        }
        let (equalX, equalY) = spans(plot.layout())
        #expect(equalX < 0.8 * plot.width && abs(equalX / equalY - 1) < 0.01, "\(equalX) x \(equalY)")
        plot.equalScales = false
        let (x, y) = spans(plot.layout())
        #expect(x > 0.8 * plot.width && y > 0.8 * plot.height, "\(x) x \(y)")
        let output = directory.path + "/tsne.svg"
        let run = try runWord2Vec(["plot", vectors, "--top", "8", "--method", "tsne", "--perplexity", "2", "--output", output, "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        let circles = try String(contentsOfFile: output, encoding: .utf8).split(separator: "<circle").dropFirst()
            .map { $0.split(separator: "\"") }
        let xs = circles.compactMap { Double($0[1]) }, ys = circles.compactMap { Double($0[3]) }
        // Both axes nearly span the canvas (less the margins for labels); one scale fills only one.
        #expect(xs.count == 8 && ys.count == 8)
        #expect(xs.max()! - xs.min()! > 0.9 * 960 && ys.max()! - ys.min()! > 0.9 * 720, "\(xs) \(ys)")
    }

    /// Without a CJK font on the machine, Chinese labels are drawn as boxes: say so, and name the
    /// package. Fonts are looked for where fontconfig looks, so a test can point it at a folder.
    @Test func cjkLabelsWithoutACJKFontWarnNamingThePackage() throws {
        let output = directory.path + "/cjk.svg"
        let home = directory.path + "/home", share = directory.path + "/share"
        try FileManager.default.createDirectory(atPath: share + "/fonts/truetype/dejavu", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: share + "/fonts/truetype/dejavu/DejaVuSans.ttf", contents: Data())
        let environment = ["HOME": home, "XDG_DATA_HOME": home + "/.local/share", "XDG_DATA_DIRS": share]
        let arguments = ["plot", vectors, "--words", "king,東京,paris", "--output", output]
        let bare = try runWord2Vec(arguments, environment: environment)
        #expect(bare.status == 0, "\(bare.standardError)")
        #expect(bare.standardError.contains("fonts-noto-cjk"), "\(bare.standardError)")
        #expect(try runWord2Vec(["plot", vectors, "--words", "king,paris", "--output", output], environment: environment)
            .standardError.contains("fonts-noto-cjk") == false)
        try FileManager.default.createDirectory(atPath: share + "/fonts/opentype/noto", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: share + "/fonts/opentype/noto/NotoSansCJK-Regular.ttc", contents: Data())
        let installed = try runWord2Vec(arguments, environment: environment)
        #expect(installed.status == 0 && !installed.standardError.contains("fonts-noto-cjk"), "\(installed.standardError)")
    }

    @Test func plotCommandFailuresAreOneLineAndLeaveNoOutput() throws {
        let output = directory.path + "/none.svg"
        let unknown = try runWord2Vec(["plot", vectors, "--words", "king,unicorn,dragon", "--output", output])
        CommandLineSurfaceTests.expectFailure(unknown, status: 1, mentions: "words 'unicorn', 'dragon' are not in the vocabulary")
        let groups = directory.file("g.txt", "king royal\nqueen\n")
        let badGroups = try runWord2Vec(["plot", vectors, "--groups", groups, "--output", output])
        CommandLineSurfaceTests.expectFailure(badGroups, status: 65, mentions: "g.txt:2: 'queen' has no group")
        let both = try runWord2Vec(["plot", vectors, "--words", "king", "--top", "3", "--output", output])
        CommandLineSurfaceTests.expectFailure(both, status: 64, mentions: "either --words or --top")
        let none = try runWord2Vec(["plot", vectors, "--output", output])
        CommandLineSurfaceTests.expectFailure(none, status: 64, mentions: "--words, --top or --groups")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
