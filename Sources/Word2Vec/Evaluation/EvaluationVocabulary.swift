/// The words an evaluation may use, as gensim defines them: only the first `restrictTo` rows (the
/// most frequent words in a frequency-sorted file), looked up case-insensitively by default.
///
/// Case-insensitive lookup compares upper-cased words (Unicode full case mapping, as Python's
/// `str.upper()`); when several rows upper-case to the same key, the first (most frequent) row stands
/// for all of them, both as the query vector and as the answer.
struct EvaluationVocabulary {
    /// Number of rows taking part.
    let rows: Int
    let caseInsensitive: Bool
    private var table: ByteStringTable
    /// `firstRow[key]` is the first row whose word has that key.
    private(set) var firstRow: [Int] = []
    /// `keyOfRow[row]` for `row < rows`.
    private(set) var keyOfRow: [Int] = []

    /// O(rows * word length).
    init(words: [String], restrictTo: Int, caseInsensitive: Bool) {
        rows = min(words.count, max(0, restrictTo))
        self.caseInsensitive = caseInsensitive
        table = ByteStringTable(minimumCapacity: rows)
        keyOfRow.reserveCapacity(rows)
        for row in 0..<rows {
            var key = caseInsensitive ? words[row].uppercased() : words[row]
            let (id, inserted) = key.withUTF8 { table.insert($0) }
            if inserted { firstRow.append(row) }
            keyOfRow.append(id)
        }
    }

    /// The key of `word`, or `nil` if no row among the first `rows` has it. Expected O(length).
    func key(of word: String) -> Int? {
        var key = caseInsensitive ? word.uppercased() : word
        return key.withUTF8 { table.id(of: $0) }
    }
}
