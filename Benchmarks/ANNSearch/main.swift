// In-process timing of similarity queries on one thread, for Benchmarks/ann.py: the library call
// that `similar` and `serve` make per query (`SimilarityIndex.mostSimilar(positive:top:using:)`),
// without the command line's reading and printing around it.
//
//   word2vec-ann-search MODEL QUERIES OUT_DIR [--efs 16,32,64] [--passes 3] [--exact N]
//
// QUERIES holds one row number per line; each query asks for the 10 nearest other rows of that row's
// word. For each ef, one untimed pass warms the caches and the search scratch, then `--passes` timed
// passes run over all queries; the rows found are written to OUT_DIR/ef-EF.txt (one query a line,
// row numbers separated by spaces). `--exact N` first times exact search on the first N queries, one
// pass without warm-up as it reads every row anyway (OUT_DIR/exact.txt). Standard output: one JSON
// object per line, {"method", "ef", "queries", "seconds": [...], "cpu_seconds": [...]}: the elapsed
// and the CPU time of each timed pass.
//
// Not a product: the package builds it with everything else, nothing links it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Word2Vec
import Word2VecQueries

func fail(_ message: String) -> Never {
    let line = "word2vec-ann-search: \(message)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(2)
}

/// Seconds on `clock`: CLOCK_MONOTONIC for elapsed time, CLOCK_PROCESS_CPUTIME_ID for this process's
/// CPU time (what a loaded machine distorts least; exact search runs on several threads).
func now(_ clock: clockid_t = CLOCK_MONOTONIC) -> Double {
    var time = timespec()
    clock_gettime(clock, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

func readLines(_ path: String) -> [String] {
    guard let file = fopen(path, "r") else { fail("cannot open \(path)") }
    defer { fclose(file) }
    var lines: [String] = []
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    while getline(&line, &capacity, file) > 0 {
        let text = String(cString: line!).trimmingSuffix("\n")
        if !text.isEmpty { lines.append(text) }
    }
    free(line)
    return lines
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}

func writeAnswers(_ answers: [[Neighbour]], to path: String) {
    guard let file = fopen(path, "w") else { fail("cannot write \(path)") }
    defer { fclose(file) }
    for found in answers { fputs(found.map { String($0.index) }.joined(separator: " ") + "\n", file) }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var options: [String: String] = [:]
while let at = arguments.firstIndex(where: { $0.hasPrefix("--") }) {
    guard at + 1 < arguments.count else { fail("\(arguments[at]) needs a value") }
    options[String(arguments[at].dropFirst(2))] = arguments[at + 1]
    arguments.removeSubrange(at...(at + 1))
}
guard arguments.count == 3 else { fail("usage: MODEL QUERIES OUT_DIR [--efs 16,32,64] [--passes 3] [--exact N]") }
let (modelPath, queriesPath, outDirectory) = (arguments[0], arguments[1], arguments[2])
func integer(_ text: some StringProtocol, _ option: String) -> Int {
    guard let value = Int(text), value >= 0 else { fail("--\(option) takes whole numbers, not '\(text)'") }
    return value
}
let efs = (options["efs"] ?? "16,32,64").split(separator: ",").map { integer($0, "efs") }
let passes = integer(options["passes"] ?? "3", "passes")
let exactQueries = integer(options["exact"] ?? "0", "exact")

do {
    let vectors = try SimilarityIndex.load(path: modelPath)
    let words = vectors.words
    let queries = readLines(queriesPath).map { line -> String in
        let row = integer(line, "queries' row")
        guard row < words.count else { fail("row \(row) is past the last of \(modelPath)") }
        return words[row]
    }
    guard !queries.isEmpty else { fail("no queries in \(queriesPath)") }

    func time(_ method: SearchMethod, _ queries: [String], name: String, ef: Int?, passes: Int, warmUp: Bool) throws {
        var answers = [[Neighbour]](repeating: [], count: queries.count)
        if warmUp {
            for (q, word) in queries.enumerated() { answers[q] = try vectors.mostSimilar(positive: [word], top: 10, using: method) }
        }
        var seconds: [Double] = [], cpuSeconds: [Double] = []
        for _ in 0..<passes {
            let (start, cpuStart) = (now(), now(CLOCK_PROCESS_CPUTIME_ID))
            for (q, word) in queries.enumerated() {
                answers[q] = try vectors.mostSimilar(positive: [word], top: 10, using: method)
            }
            cpuSeconds.append(now(CLOCK_PROCESS_CPUTIME_ID) - cpuStart)
            seconds.append(now() - start)
        }
        writeAnswers(answers, to: outDirectory + "/" + (ef.map { "ef-\($0)" } ?? name) + ".txt")
        print("{\"method\": \"\(name)\", \"ef\": \(ef.map(String.init) ?? "null"), \"queries\": \(queries.count), "
            + "\"seconds\": [\(seconds.map { String($0) }.joined(separator: ", "))], "
            + "\"cpu_seconds\": [\(cpuSeconds.map { String($0) }.joined(separator: ", "))]}")
        fflush(nil)
    }

    if exactQueries > 0 {
        try time(.exact, Array(queries.prefix(exactQueries)), name: "exact", ef: nil, passes: 1, warmUp: false)
    }
    let loaded = try IndexChoice.hnsw.method(for: vectors, path: modelPath)
    guard case let .approximate(index, _) = loaded else { fail("no index for \(modelPath)") }
    for ef in efs {
        try time(.approximate(index, ef: ef), queries, name: "hnsw", ef: ef, passes: passes, warmUp: true)
    }
} catch {
    fail("\(error)")
}
