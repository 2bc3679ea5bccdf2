import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Word2Vec

struct SentenceVectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentence-vector",
        abstract: "Print a vector per line of text, as fastText's print-sentence-vectors.",
        discussion: """
            For each input line, prints the mean of the unit vectors of its known words, values with \
            six decimals (%f) separated by spaces, one output line per input line. This is fastText's \
            sentence vector for an unsupervised model (without subwords) and gensim's \
            get_mean_vector(words) with its defaults. Unknown words are skipped; a line without any \
            known word (an empty line included) prints zeros, and the number of such lines is reported \
            once on stderr at the end. Words are separated by spaces and tabs.

            Examples:
              word2vec sentence-vector vectors.bin --input sentences.txt > sv.txt
              echo "the cat sat" | word2vec sentence-vector vectors.bin --json
            """
    )

    @OptionGroup var vectorFile: VectorFileOptions
    @Option(help: "Text to read, one sentence per line; - or none for standard input.") var input: String?
    @Flag(help: "Print JSON lines: {line, known, vector} per input line.") var json = false

    struct Result: Encodable {
        /// 1-based input line number.
        let line: Int
        /// Number of words of the line that have a vector.
        let known: Int
        let vector: [Float]
    }

    func run() throws {
        let index = try vectorFile.load()
        let zeros = [Float](repeating: 0, count: index.dimension)
        var lineNumber = 0
        var empty = 0
        try forEachLine(of: input ?? "-") { line in
            lineNumber += 1
            let known = splitWords(line).filter { index.embeddings.index(of: $0) != nil }
            if known.isEmpty { empty += 1 }
            let vector = known.isEmpty ? zeros : try index.meanVector(of: known)
            if json {
                try JSONOutput.print(Result(line: lineNumber, known: known.count, vector: vector))
            } else {
                Output.standardOutput(formatVector(vector) + "\n")
            }
        }
        if empty > 0 {
            Output.standardError("word2vec: \(empty) of \(lineNumber) lines had no known word; printed zeros for them\n")
        }
    }

    /// Calls `body` with each line of `path` (standard input for `-`) without its line ending, reading
    /// one line at a time so that input of any size streams through.
    private func forEachLine(of path: String, _ body: (String) throws -> Void) throws {
        // A stream of its own on descriptor 0: the C library's `stdin` global is shared mutable state
        // to Swift 6. Nothing else reads standard input in this command.
        guard let file = path == "-" ? fdopen(STDIN_FILENO, "r") : fopen(path, "r") else {
            throw Word2VecError.unreadableFile(path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(buffer) }
        while true {
            let length = getline(&buffer, &capacity, file)
            if length < 0 { break }
            var bytes = UnsafeRawBufferPointer(start: buffer, count: length)
            if bytes.last == UInt8(ascii: "\n") { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
            if bytes.last == UInt8(ascii: "\r") { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
            try body(String(decoding: bytes, as: UTF8.self))
        }
        if ferror(file) != 0 {
            throw Word2VecError.unreadableFile(path, reason: String(cString: strerror(errno)))
        }
    }
}
