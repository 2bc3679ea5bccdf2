/// A word-similarity test set: pairs of words with a human similarity judgement, as in WordSim-353
/// (`wordsim353.tsv`) or SimLex-999 (`simlex999.txt`).
public struct WordPairs: Sendable {
    public struct Pair: Sendable, Equatable {
        public var first: String
        public var second: String
        /// The human judgement.
        public var score: Double
        /// Line in the file (1-based), 0 for pairs not read from a file.
        public var line: Int

        public init(_ first: String, _ second: String, score: Double, line: Int = 0) {
            self.first = first
            self.second = second
            self.score = score
            self.line = line
        }
    }

    public var pairs: [Pair]
    /// Lines that are not comments and not `word<TAB>word<TAB>number` (a column header, for
    /// example); skipped, as gensim skips them.
    public var invalidLines: [Int]

    public init(pairs: [Pair], invalidLines: [Int] = []) {
        self.pairs = pairs
        self.invalidLines = invalidLines
    }

    /// Reads a test set the way gensim's `evaluate_word_pairs` does: lines starting with `#` are
    /// comments; every other line must split on tabs into exactly three fields, the last one a number
    /// as Python's `float()` reads it (surrounding whitespace allowed), or it is skipped. The words
    /// are taken as they are, spaces included. Line ends may be LF, CRLF or CR.
    ///
    /// - Throws: `Word2VecError.unreadableFile`, or `.malformedFile` for a line that is not UTF-8.
    public static func read(from path: String) throws -> WordPairs {
        var pairs: [Pair] = []
        var invalid: [Int] = []
        for (number, line) in try PythonText.lines(ofFile: path, universalNewlines: true) {
            if line.unicodeScalars.first == "#" { continue }
            let fields = PythonText.split(line, on: "\t")
            guard fields.count == 3, let score = PythonText.float(fields[2]) else {
                invalid.append(number)
                continue
            }
            pairs.append(Pair(fields[0], fields[1], score: score, line: number))
        }
        return WordPairs(pairs: pairs, invalidLines: invalid)
    }
}
