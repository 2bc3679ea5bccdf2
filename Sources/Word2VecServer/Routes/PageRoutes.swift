import Hummingbird
import Synchronization
import Word2Vec
import Word2VecPlotting
import Word2VecQueries

/// The web page (`GET /`, `/page.js`, `/page.css`) and the two JSON routes only it needs:
/// completion (`GET /v1/complete`) and the 2-D map of a neighbourhood (`GET /v1/map`).
///
/// The page's files are compiled into the binary (`Page/`, embedded by SwiftPM), so the server
/// needs no file beside it and the page no network: a content security policy of `'self'` makes
/// the browser refuse anything from elsewhere.
func addPageRoutes(to router: Router<BasicRequestContext>, shelf: ModelShelf, limits: ServerLimits) {
    let completions = CompletionIndexes()
    router.get("/") { _, _ in PageFiles.page(models: shelf.names.compactMap { shelf.model(named: $0) }) }
    router.get("/page.js") { _, _ in PageFiles.file(PackageResources.page_js, type: "text/javascript; charset=utf-8") }
    router.get("/page.css") { _, _ in PageFiles.file(PackageResources.page_css, type: "text/css; charset=utf-8") }
    router.get("/v1/complete") { request, _ in
        try JSONResponse.ok(try completeRoute(request, try model(for: request, shelf), limits, completions))
    }
    router.get("/v1/map") { request, _ in
        try JSONResponse.ok(try mapRoute(request, try model(for: request, shelf), limits))
    }
}

enum PageFiles {
    static let policy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"

    /// `index.html` with the served models described in it, so that the page knows them without a
    /// request of its own. The description changes with a reload (generation, row count), so the
    /// page is built per request; it is a few kilobytes.
    static func page(models: [ServedModel]) -> Response {
        let description = PageModels(models: models.map(PageModels.Model.init))
        var json = (try? QueryJSON.encode(description)) ?? #"{"models":[]}"#
        // Inside <script> the text must not close the element: `<` occurs only in strings, where
        // \u003c is the same character.
        json = json.replacing("<", with: "\\u003c")
        let html = template.replacing("<!--CONFIG-->", with: json)
        return file(Array(html.utf8), type: "text/html; charset=utf-8")
    }

    static let template = String(decoding: PackageResources.index_html, as: UTF8.self)

    static func file(_ bytes: [UInt8], type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "no-cache", .contentSecurityPolicy: policy],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// What the page is told of the served models: the first answers requests that name none.
struct PageModels: Encodable {
    struct Model: Encodable {
        let name: String
        let rows: Int
        let dimension: Int
        let generation: Int
        let subwords: Bool

        init(_ model: ServedModel) {
            name = model.name
            rows = model.vectors.count
            dimension = model.vectors.dimension
            generation = model.generation
            subwords = model.vectors.embeddings.hasSubwords
        }
    }
    let models: [Model]
}

// MARK: - Completion

/// `GET /v1/complete?prefix=p&top=N`: the `top` words that start with `prefix` (byte for byte, as
/// typed), most frequent first (lowest row first, the order of every vocabulary this tool writes).
struct CompletionAnswer: Encodable, Sendable {
    let prefix: String
    let words: [String]
}

func completeRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits, _ indexes: CompletionIndexes) throws -> CompletionAnswer {
    let fields = QueryParameters(request, limits)
    let prefix = fields.string("prefix") ?? ""
    let top = try fields.integer("top", default: 10, in: 1...min(limits.maximumTop, 100))!
    let words = model.vectors.words
    guard !prefix.isEmpty else { return CompletionAnswer(prefix: prefix, words: Array(words.prefix(top))) }
    let rows = indexes.index(for: model).rows(startingWith: Array(prefix.utf8), in: words, top: top)
    return CompletionAnswer(prefix: prefix, words: rows.map { words[$0] })
}

/// The rows of a vocabulary sorted by their words' UTF-8 bytes: the words with a prefix are one
/// run, found by binary search, so a keystroke costs O(log n + run) rather than a scan of every word.
struct CompletionIndex: Sendable {
    let sorted: [Int32]

    init(_ words: [String]) {
        sorted = (0..<Int32(words.count)).sorted { words[Int($0)].utf8.lexicographicallyPrecedes(words[Int($1)].utf8) }
    }

    /// The `top` lowest rows among the words that start with `prefix`, in increasing order.
    func rows(startingWith prefix: [UInt8], in words: [String], top: Int) -> [Int] {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if words[Int(sorted[middle])].utf8.lexicographicallyPrecedes(prefix) { low = middle + 1 } else { high = middle }
        }
        // A run can hold most of the vocabulary (a one-letter prefix); keeping the `top` lowest rows
        // seen so far bounds the work per word to a comparison with the largest kept.
        var kept: [Int] = []
        var position = low
        while position < sorted.count, words[Int(sorted[position])].utf8.starts(with: prefix) {
            let row = Int(sorted[position])
            if kept.count < top {
                kept.insert(row, at: kept.firstIndex { $0 > row } ?? kept.endIndex)
            } else if row < kept[top - 1] {
                kept.removeLast()
                kept.insert(row, at: kept.firstIndex { $0 > row } ?? kept.endIndex)
            }
            position += 1
        }
        return kept
    }
}

/// One completion index per served model, built at its first completion request and rebuilt when
/// a reload puts a new generation on the shelf.
final class CompletionIndexes: Sendable {
    private let built = Mutex<[String: (generation: Int, index: CompletionIndex)]>([:])

    func index(for model: ServedModel) -> CompletionIndex {
        if let entry = built.withLock({ $0[model.name] }), entry.generation == model.generation { return entry.index }
        // Sorted outside the lock: two first requests may both sort, but no request waits on another's sort.
        let index = CompletionIndex(model.vectors.words)
        built.withLock { $0[model.name] = (model.generation, index) }
        return index
    }
}

// MARK: - Map

/// `GET /v1/map?word=w&top=N&method=pca|tsne`: `word` and its `top` nearest words projected to two
/// coordinates (Word2VecPlotting: PCA of the unit vectors by default, or t-SNE) and laid out as
/// `word2vec plot` lays out its SVG (labels placed to avoid each other), in SVG units of a
/// `width` x `height` canvas. The first point is `word` itself, without a score.
struct MapAnswer: Encodable, Sendable {
    struct Label: Encodable, Sendable {
        let x, y, width, height: Double
        let anchor: String
        /// The label sits away from its marker, joined to it by a line.
        let leader: Bool
    }

    struct Point: Encodable, Sendable {
        let word: String
        let score: Float?
        let x, y: Double
        let label: Label
    }

    let word: String
    let method: String
    let width: Double
    let height: Double
    let fontSize: Double
    let points: [Point]
}

/// The most points a map request may ask for: exact t-SNE costs O(points^2) per step.
let maximumMapNeighbours = 100

func mapRoute(_ request: Request, _ model: ServedModel, _ limits: ServerLimits) throws -> MapAnswer {
    let fields = QueryParameters(request, limits)
    guard let word = fields.string("word"), !word.isEmpty else {
        throw RequestError.badField("word", "give the word whose neighbourhood to map (word=w)")
    }
    let top = try fields.integer("top", default: 12, in: 1...min(limits.maximumTop, maximumMapNeighbours))!
    let method = fields.string("method") ?? "pca"
    guard method == "pca" || method == "tsne" else {
        throw RequestError.badField("method", "must be pca or tsne (got '\(method)')")
    }
    let embeddings = model.vectors.embeddings
    let neighbours = try model.vectors.mostSimilar(positive: [word], top: top)
    // The query word's own vector too: a subword model answers a word outside its vocabulary.
    let rows = try ([word] + neighbours.map(\.word)).map { unit(try embeddings.vector(for: $0)) }
    let coordinates: [[Double]]
    if method == "tsne" {
        coordinates = try Projection.tsne(rows)
    } else {
        let components = min(2, embeddings.dimension)
        coordinates = try Projection.pca(rows, components: components).points.map { components == 2 ? $0 : $0 + [0] }
    }
    let scores: [Float?] = [nil] + neighbours.map(\.score)
    let labels = [word] + neighbours.map(\.word)
    var plot = ScatterPlot(points: zip(labels, coordinates).map { .init(label: $0, x: $1[0], y: $1[1]) })
    plot.width = 640
    plot.height = 440
    plot.equalScales = method == "pca"
    let layout = plot.layout()
    let points = labels.indices.map { i in
        let box = layout.labels[i]
        return MapAnswer.Point(
            word: labels[i], score: scores[i], x: rounded(layout.markers[i].x), y: rounded(layout.markers[i].y),
            label: .init(
                x: rounded(box.x), y: rounded(box.y), width: rounded(box.width), height: rounded(box.height),
                anchor: layout.anchors[i].rawValue, leader: layout.leaders[i]))
    }
    return MapAnswer(word: word, method: method, width: plot.width, height: plot.height, fontSize: plot.fontSize, points: points)
}

/// `row` scaled to length 1 (the geometry of cosine similarity, which the neighbours were ranked by).
private func unit(_ row: [Float]) -> [Float] {
    let length = Float(row.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
    return length > 0 ? row.map { $0 / length } : row
}

/// Hundredths of an SVG unit: finer than any screen shows, and the answer stays short.
private func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
