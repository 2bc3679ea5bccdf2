import ArgumentParser
import Word2Vec
import Word2VecQueries

struct VectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vector",
        abstract: "Print the vectors of words, as fastText's print-word-vectors.",
        discussion: """
            Prints 'word v1 v2 ...' per known word, the raw (not normalised) values with six decimals \
            (%f), as in a word2vec text vectors file, so that lines can be pasted into one. (fastText \
            prints five significant digits.) Without words, reads words from standard input, separated \
            by spaces, tabs or newlines; with --json, one object per input line. A model trained with \
            subwords (--minn/--maxn) or a fastText .bin builds the vector of a word outside its \
            vocabulary from the word's character n-grams, as fastText does ("oov": true in JSON). Other \
            unknown words have no vector: the known words are printed, then the unknown ones are named \
            in one error line and the exit status is 1.

            Examples:
              word2vec vector vectors.bin king queen
              cut -f1 words.tsv | word2vec vector vectors.bin --json
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Argument(help: "Words to print; none to read them from standard input.") var words: [String] = []
    @Flag(help: "Print JSON: {dimension, unknown, vectors: [{vector, word, oov (only when true)}]}, one object per input line (or for the arguments).")
    var json = false

    func run() throws {
        // Raw rows only: no similarity index, whose unit rows would cost a pass over the whole file.
        let embeddings = try input.loadEmbeddings()
        var unknown: [String] = []
        // A line at a time: memory stays flat for long word lists, and JSON gets one object per line.
        func answer(_ queries: [String]) throws {
            let answer = try embeddings.answer(VectorRequest(words: queries))
            unknown += answer.unknown
            if json {
                try JSONOutput.print(answer)
            } else {
                for entry in answer.vectors {
                    Output.standardOutput(entry.word + " " + formatVector(entry.vector) + "\n")
                }
            }
        }
        if words.isEmpty {
            while let line = readLine(strippingNewline: true) { try answer(splitWords(line)) }
        } else {
            try answer(words)
        }
        if !unknown.isEmpty { throw Word2VecError.unknownWords(unknown) }
    }
}

/// Splits a query line into words at spaces, tabs and carriage returns.
func splitWords(_ line: String) -> [String] {
    QueryWords.split(line)
}

/// The values as `%f` separated by single spaces, the word2vec text format's digits.
func formatVector(_ values: [Float]) -> String {
    values.map { String(cFormat: "%f", Double($0)) }.joined(separator: " ")
}
