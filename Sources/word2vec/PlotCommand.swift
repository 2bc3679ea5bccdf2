import Foundation
import ArgumentParser
import Word2Vec
import Word2VecPlotting

extension TSNEConfiguration.Initialization: ExpressibleByArgument {}

/// `word2vec plot`: a labelled 2-D picture of some words (PCA or t-SNE), as SVG.
struct PlotCommand: ParsableCommand {
    enum Method: String, ExpressibleByArgument, CaseIterable { case pca, tsne }

    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a labelled 2-D projection (PCA or t-SNE) of some words as SVG.",
        discussion: """
            The words are given by --words, by --top (the first N words of the file, the most \
            frequent in a frequency-sorted one), or by the words of a --groups file. Vectors are \
            scaled to unit length first (cosine geometry, as the queries use). --groups FILE holds \
            'word group' lines (the group is the rest of the line); points are coloured by group, with \
            a legend, and words without a group are grey. A word that is not in the vectors is an \
            error naming it, unless --skip-unknown leaves it out with a warning.

            PCA is exact and needs no seed. t-SNE is exact (O(N^2) per iteration, at most 5000 words) \
            and gives the same picture for the same --seed.

            Labels in Chinese, Japanese or Korean need a CJK font where the SVG is viewed; plot \
            warns when it finds none on this machine (Debian and Ubuntu: fonts-noto-cjk). t-SNE \
            pictures fill the canvas (each axis scaled on its own); PCA keeps one scale for both.

            Examples:
              word2vec plot v.bin --words king,queen,man,woman --output family.svg
              word2vec plot v.bin --groups capitals.txt --method tsne --output c.svg
              word2vec plot v.bin --top 300 --method tsne --perplexity 20 --output t.svg
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Option(help: ArgumentHelp("Comma-separated words to plot.", valueName: "w1,w2,..."))
    var words: String?
    @Option(help: ArgumentHelp("Plot the first N words of the file.", valueName: "N"))
    var top: Int?
    @Option(help: ArgumentHelp("'word group' lines: colours points, with a legend; alone, also chooses the words.", valueName: "file"))
    var groups: String?
    @Option(help: "Projection: pca or tsne.") var method: Method = .pca
    @Option(help: "Seed of t-SNE's random start.") var seed: UInt64 = 1
    @Option(help: "t-SNE perplexity (effective neighbours; at most (N-1)/3 is used).") var perplexity: Double = 30
    @Option(help: "t-SNE gradient steps.") var iterations: Int = 1000
    @Option(name: .customLong("init"), help: "t-SNE start: random (from --seed) or pca.")
    var initialization: TSNEConfiguration.Initialization = .random
    @Option(help: "Title drawn above the plot.") var title: String?
    @Option(help: "Picture width in pixels.") var width: Int = 960
    @Option(help: "Picture height in pixels.") var height: Int = 720
    @Option(help: "Label font size in pixels.") var fontSize: Double = 13
    @Flag(help: "Leave out words that are not in the vectors (with a warning) rather than failing.")
    var skipUnknown = false
    @Option(help: "Where to write the SVG (- for standard output).") var output: String
    @Flag(help: "No summary line on stderr.") var quiet = false

    func validate() throws {
        let sources = [words != nil, top != nil].filter { $0 }.count
        if sources > 1 { throw ValidationError("give either --words or --top, not both") }
        if sources == 0 && groups == nil { throw ValidationError("give the words to plot: --words, --top or --groups") }
        try validatePositive(top, "--top")
        // Far beyond any screen or print, and small enough that every coordinate stays exact.
        for (flag, value) in [("--width", width), ("--height", height)] where value < 100 || value > Self.largestCanvas {
            throw ValidationError("\(flag) must be between 100 and \(Self.largestCanvas) (got \(value))")
        }
        if !(fontSize.isFinite && fontSize > 0 && fontSize <= Self.largestFontSize) {
            throw ValidationError("--font-size must be a positive number of at most \(Int(Self.largestFontSize))")
        }
        try ErrorMessages.validating { try tsneConfiguration.validate() }
    }

    static let largestCanvas = 100_000
    static let largestFontSize = 1000.0

    var tsneConfiguration: TSNEConfiguration {
        var tsne = TSNEConfiguration()
        tsne.seed = seed
        tsne.perplexity = perplexity
        tsne.iterations = iterations
        tsne.initialization = initialization
        return tsne
    }

    func run() throws {
        let tsne = tsneConfiguration
        try OutputChecks.refuseOverwriting(
            inputs: [("vectors", input.vectors), ("--groups", groups)], outputs: [("--output", output)])
        let writer = try SVGWriter(path: output)
        let wordGroups = try groups.map { try WordGroupsFile.read(path: $0) }
        let index = try input.load()
        let embeddings = index.embeddings

        var chosen: [String]
        if let words {
            chosen = words.split(separator: ",", omittingEmptySubsequences: true).map(String.init)
            if chosen.isEmpty { throw Word2VecError.invalidOption("--words", "names no word") }
        } else if let top {
            chosen = Array(embeddings.words.prefix(top))
        } else {
            chosen = wordGroups?.words ?? []
            if chosen.isEmpty { throw Word2VecError.invalidOption("--groups", "file '\(groups ?? "")' lists no word") }
        }
        var seen = Set<[UInt8]>()
        chosen = chosen.filter { seen.insert(Array($0.utf8)).inserted }
        if skipUnknown {
            let unknown = chosen.filter { embeddings.index(of: $0) == nil }
            if !unknown.isEmpty {
                let names = unknown.prefix(5).map { "'" + printable($0) + "'" }.joined(separator: ", ") + (unknown.count > 5 ? " and \(unknown.count - 5) more" : "")
                Output.standardError("word2vec: warning: left out \(unknown.count) word\(unknown.count == 1 ? "" : "s") not in the vectors: \(names)\n")
                chosen = chosen.filter { embeddings.index(of: $0) != nil }
            }
            if chosen.isEmpty { throw Word2VecError.invalidOption("plot", "has no word left to draw") }
        }
        let rows = try Projection.rows(for: chosen, in: embeddings)
        let coordinates: [[Double]] = switch method {
        case .pca: try Projection.pca(rows, components: min(2, embeddings.dimension)).points
        case .tsne: try Projection.tsne(rows, configuration: tsne)
        }

        var groupOf: [[UInt8]: String] = [:]
        if let wordGroups {
            for (word, group) in zip(wordGroups.words, wordGroups.groups) { groupOf[Array(word.utf8)] = group }
        }
        let points = zip(chosen, coordinates).map { word, xy in
            ScatterPlot.Point(label: word, x: xy[0], y: xy.count > 1 ? xy[1] : 0, group: groupOf[Array(word.utf8)])
        }
        var plot = ScatterPlot(points: points, title: title)
        plot.width = Double(width)
        plot.height = Double(height)
        plot.fontSize = fontSize
        plot.equalScales = method == .pca
        let layout = try writer.write(plot)
        if !quiet, chosen.contains(where: FontCheck.needsCJKFont), !FontCheck.cjkFontInstalled() {
            Output.standardError("word2vec: warning: the labels hold Chinese, Japanese or Korean characters and no CJK font was found here, so viewers on this machine draw them as boxes; install one (Debian and Ubuntu: apt install fonts-noto-cjk)\n")
        }
        if !quiet {
            let overlapping = layout.overlappingLabels
            let note = overlapping > 0
                ? ", \(overlapping) label\(overlapping == 1 ? "" : "s") overlapping (a larger --width and --height or a smaller --font-size leave more room)" : ""
            Output.standardError("plotted \(chosen.count) word\(chosen.count == 1 ? "" : "s") by \(method == .pca ? "PCA" : "t-SNE")\(note)\nwrote \(displayName(output))\n")
        }
    }
}

/// `text` with control characters shown as `?`, so that a warning stays one plain line.
private func printable(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) ? "?" : $0 }))
}

/// Whether a CJK font is installed where fontconfig looks, by file name: the default font list of
/// the SVG names such fonts, and without one every viewer on this machine draws boxes.
enum FontCheck {
    /// Han, kana, Hangul and their punctuation and full-width forms.
    static func needsCJKFont(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            let v = scalar.value
            return (0x1100...0x11FF).contains(v) || (0x2E80...0x9FFF).contains(v) || (0xAC00...0xD7AF).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFFEF).contains(v) || (0x20000...0x3FFFF).contains(v)
        }
    }

    /// Parts of the file names of common fonts with CJK glyphs, lowercased.
    static let cjkFontNames = [
        "cjk", "sourcehan", "source-han", "wqy", "wenquanyi", "droidsansfallback", "ukai", "uming", "arphic",
        "ipag", "ipam", "ipaex", "takao", "vl-gothic", "nanum", "unfonts", "baekmuk", "hanazono", "unifont",
        "notosanssc", "notosanstc", "notosansjp", "notosanskr", "notoserifsc", "notoserifjp",
        "hiragino", "pingfang", "msyh", "simsun", "simhei", "yugoth", "meiryo", "msgothic", "malgun", "arialuni",
    ]

    /// Looks through the font folders fontconfig reads by default: `fonts` under `$XDG_DATA_HOME`
    /// (or `~/.local/share`) and under each of `$XDG_DATA_DIRS` (or `/usr/local/share:/usr/share`),
    /// and `~/.fonts`.
    static func cjkFontInstalled() -> Bool {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        let dataDirs = environment["XDG_DATA_DIRS"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/local/share:/usr/share"
        var folders = [dataHome + "/fonts", home + "/.fonts"]
        folders += dataDirs.split(separator: ":").map { $0 + "/fonts" }
        for folder in folders {
            guard let files = FileManager.default.enumerator(atPath: folder) else { continue }
            for case let file as String in files {
                let name = (file as NSString).lastPathComponent.lowercased()
                if cjkFontNames.contains(where: { name.contains($0) }) { return true }
            }
        }
        return false
    }
}
