import ArgumentParser
import Foundation
import Word2Vec

extension KMeansConfiguration.Initialization: ExpressibleByArgument {}

/// `word2vec classes`: k-means word classes for an existing vector file, as `train --classes` writes
/// them for freshly trained vectors.
struct ClassesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classes",
        abstract: "Group the words of a vector file into K classes by k-means ('word class' lines).",
        discussion: """
            Reads the word2vec text or binary format (detected automatically). Clusters by cosine \
            direction like the original tool's -classes: spherical k-means that never increases the \
            sum over words of |v| (1 - cos(v, centroid)).
            """
    )

    @Argument(help: "Vector file in the word2vec text or binary format.") var vectors: String
    @Option(name: .customLong("k"), help: "Number of classes.") var k: Int
    @Option(help: "Where to write 'word class' lines.") var output: String
    @Option(help: "Most k-means iterations (stops early when no word moves).") var iterations = 10
    @Option(name: .customLong("init"), help: "kmeans++ or round-robin (the C tool's start).")
    var initialization: KMeansConfiguration.Initialization = .kMeansPlusPlus
    @Option(help: "Seed of the k-means++ draws.") var seed: UInt64 = 1
    @Option(help: "Threads of the assignment step (default: CPU count).")
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "No progress output.") var quiet = false

    func run() throws {
        var configuration = KMeansConfiguration(clusters: k)
        configuration.maxIterations = iterations
        configuration.initialization = initialization
        configuration.seed = seed
        configuration.threads = threads
        try configuration.validate(points: max(k, 1), clustersOption: "--k")
        let writer = try WordClassesWriter(path: output)
        let embeddings = try VectorFileInput.read(vectors)
        try configuration.validate(points: embeddings.count, clustersOption: "--k")
        let classes = try WordClasses(embeddings: embeddings, configuration: configuration)
        try writer.write(classes)
        if !quiet { ClassesCommand.report(classes.clustering, output: output) }
    }

    /// One line on stderr: iterations and the objective's first and last values.
    static func report(_ result: KMeansResult, output: String) {
        let first = result.objectiveHistory.first ?? 0
        let text = String(
            format: "k-means: %d iteration%@, objective %.6g -> %.6g%@\nwrote %@\n",
            result.iterations, result.iterations == 1 ? "" : "s", first, result.objective,
            result.converged ? " (converged)" : "", output)
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// A minimal reader of word2vec vector files for `classes`, until the library has a full reader:
/// the header `count dimension`, then per word either the word and `dimension` numbers on a line
/// (text) or the word, a space and `dimension` little-endian float32 (binary). The format is detected
/// from the first entry. The whole file is read into memory.
enum VectorFileInput {
    static func read(_ path: String) throws -> Embeddings {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw Word2VecError.unreadableFile(path, reason: (error as NSError).localizedDescription)
        }
        let bytes = [UInt8](data)
        guard let headerEnd = bytes.firstIndex(of: 0x0A) else {
            throw Word2VecError.malformedFile(path, line: 1, "expected a 'count dimension' header line")
        }
        let header = String(decoding: bytes[..<headerEnd], as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard header.count == 2, let count = Int(header[0]), let dimension = Int(header[1]),
              count > 0, dimension > 0, dimension <= 100_000
        else {
            throw Word2VecError.malformedFile(
                path, line: 1, "expected a 'count dimension' header with positive numbers")
        }
        let body = headerEnd + 1
        let firstLineEnd = bytes[body...].firstIndex(of: 0x0A) ?? bytes.count
        let firstFields = String(decoding: bytes[body..<firstLineEnd], as: UTF8.self)
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        // Text if the first entry's second field is a number; the four raw bytes of a binary float
        // practically never read as one. (Binary writers differ in whether a newline follows a vector.)
        let isText = firstFields.count >= 2 && Float(firstFields[1]) != nil
        var words: [String] = []
        var values: [Float] = []
        words.reserveCapacity(count)
        values.reserveCapacity(count * dimension)
        if isText {
            try readText(bytes, from: body, path: path, count: count, dimension: dimension, &words, &values)
        } else {
            try readBinary(bytes, from: body, path: path, count: count, dimension: dimension, &words, &values)
        }
        let matrix = Matrix(rows: count, columns: dimension)
        values.withUnsafeBufferPointer { matrix.storage.update(from: $0.baseAddress!, count: values.count) }
        return try Embeddings(words: words, vectors: matrix)
    }

    private static func readText(
        _ bytes: [UInt8], from start: Int, path: String, count: Int, dimension: Int,
        _ words: inout [String], _ values: inout [Float]
    ) throws {
        var seen = Set<String>()
        var line = 1
        var position = start
        while words.count < count {
            guard position < bytes.count else {
                throw Word2VecError.malformedFile(path, line: line, "the header promises \(count) vectors, found \(words.count)")
            }
            line += 1
            let end = bytes[position...].firstIndex(of: 0x0A) ?? bytes.count
            let fields = String(decoding: bytes[position..<end], as: UTF8.self)
                .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            position = end + 1
            if fields.isEmpty { continue }
            guard fields.count == dimension + 1 else {
                throw Word2VecError.malformedFile(path, line: line, "expected a word and \(dimension) values, found \(fields.count - 1) values")
            }
            let word = String(fields[0])
            guard seen.insert(word).inserted else {
                throw Word2VecError.malformedFile(path, line: line, "word '\(word)' appears twice")
            }
            for field in fields.dropFirst() {
                guard let value = Float(field), value.isFinite else {
                    throw Word2VecError.malformedFile(path, line: line, "'\(field)' is not a finite number")
                }
                values.append(value)
            }
            words.append(word)
        }
    }

    private static func readBinary(
        _ bytes: [UInt8], from start: Int, path: String, count: Int, dimension: Int,
        _ words: inout [String], _ values: inout [Float]
    ) throws {
        var seen = Set<String>()
        var position = start
        let vectorBytes = dimension * MemoryLayout<Float>.size
        while words.count < count {
            while position < bytes.count && (bytes[position] == 0x0A || bytes[position] == 0x20) { position += 1 }
            let wordStart = position
            while position < bytes.count && bytes[position] != 0x20 { position += 1 }
            guard position < bytes.count, position > wordStart, position + 1 + vectorBytes <= bytes.count else {
                throw Word2VecError.malformedData(
                    path, offset: wordStart, "truncated: the header promises \(count) vectors, found \(words.count)")
            }
            let word = String(decoding: bytes[wordStart..<position], as: UTF8.self)
            guard seen.insert(word).inserted else {
                throw Word2VecError.malformedData(path, offset: wordStart, "word '\(word)' appears twice")
            }
            position += 1
            try bytes.withUnsafeBytes { raw in
                for j in 0..<dimension {
                    let bits = raw.loadUnaligned(fromByteOffset: position + 4 * j, as: UInt32.self)
                    let value = Float(bitPattern: UInt32(littleEndian: bits))
                    guard value.isFinite else {
                        throw Word2VecError.malformedData(path, offset: position + 4 * j, "value of '\(word)' is not finite")
                    }
                    values.append(value)
                }
            }
            position += vectorBytes
            words.append(word)
        }
    }
}
