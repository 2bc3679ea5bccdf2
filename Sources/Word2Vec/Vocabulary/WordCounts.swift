/// Occurrence counts of the distinct words of a corpus, gathered in one streaming pass.
///
/// Memory grows with the number of distinct words, not with the corpus length.
public struct WordCounts: Sendable {
    var table = ByteStringTable(minimumCapacity: 1 << 16)
    var counts: [Int] = []
    /// Number of word occurrences seen.
    public private(set) var tokenCount = 0
    /// Number of sentences (lines, or sequences given) seen.
    public private(set) var sentenceCount = 0

    public init() {}

    /// Number of distinct words.
    public var distinctCount: Int { counts.count }

    @inline(__always)
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        let (id, inserted) = table.insert(bytes)
        if inserted { counts.append(1) } else { counts[id] += 1 }
        tokenCount += 1
    }

    /// Counts one occurrence of `word`.
    public mutating func add(_ word: String) {
        var word = word
        word.withUTF8 { add($0) }
    }

    /// Counts every word of `sentence` and the sentence itself.
    public mutating func add<S: Sequence>(sentence: S) where S.Element == String {
        for word in sentence { add(word) }
        sentenceCount += 1
    }

    mutating func endSentence() { sentenceCount += 1 }

    /// The count of `word`, 0 if unseen.
    public func count(of word: String) -> Int {
        var word = word
        return word.withUTF8 { table.id(of: $0).map { counts[$0] } ?? 0 }
    }

    /// Counts the words of a whitespace-separated UTF-8 text file in one streaming pass.
    /// - Throws: `Word2VecError.unreadableFile` if the file cannot be read.
    public static func count(fileAt path: String) throws -> WordCounts {
        var counts = WordCounts()
        let reader = try TokenReader(path: path)
        var lineHasWords = false
        loop: while true {
            switch try reader.next() {
            case .word(let bytes):
                counts.add(bytes)
                lineHasWords = true
            case .endOfLine:
                if lineHasWords { counts.endSentence() }
                lineHasWords = false
            case .endOfInput:
                if lineHasWords { counts.endSentence() }
                break loop
            }
        }
        return counts
    }

    /// All (word, count) pairs, in no particular order.
    var entries: [(word: String, count: Int)] {
        (0..<counts.count).map { id in (String(decoding: table.key(id), as: UTF8.self), counts[id]) }
    }
}
