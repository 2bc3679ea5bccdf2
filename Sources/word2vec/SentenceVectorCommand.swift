import ArgumentParser
import Word2Vec
import Word2VecQueries

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

    func run() throws {
        let index = try vectorFile.load()
        var lineNumber = 0
        var empty = 0
        // A line at a time, as it arrives: input of any size streams through, and a line typed at a
        // terminal is answered at once.
        try ReadableFile.forEachLine(of: input ?? "-") { _, bytes in
            lineNumber += 1
            let answer = try index.answer(SentenceVectorRequest(line: lineNumber, text: String(decoding: bytes, as: UTF8.self)))
            if answer.known == 0 { empty += 1 }
            if json {
                try JSONOutput.print(answer)
            } else {
                Output.standardOutput(formatVector(answer.vector) + "\n")
            }
        }
        if empty > 0 {
            Output.standardError("word2vec: \(empty) of \(lineNumber) lines had no known word; printed zeros for them\n")
        }
    }
}
