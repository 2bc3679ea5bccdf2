/// A consumer of a token stream. Phrase passes are chained as sinks (reader -> pass 1 -> pass 2 ->
/// counter or writer), so a corpus streams through all passes word by word in constant memory, however
/// long its lines are.
protocol TokenSink: AnyObject {
    /// A word; `bytes` is valid only during the call.
    func word(_ bytes: UnsafeBufferPointer<UInt8>) throws
    func endOfSentence() throws
    func endOfInput() throws
}

extension TokenSink {
    /// Streams a text into the sink: one `endOfSentence` per newline, then `endOfInput`. The path
    /// may be `-`, a pipe or a gzip file, as for `TextFileCorpus`.
    func consume(_ source: TextSource) throws {
        let reader = TokenReader(input: try source.open())
        while true {
            switch try reader.next() {
            case .word(let bytes): try word(bytes)
            case .endOfLine: try endOfSentence()
            case .endOfInput: try endOfInput(); return
            }
        }
    }

    /// Streams in-memory sentences into the sink, each followed by `endOfSentence`.
    func consume(sentences: [[String]]) throws {
        for sentence in sentences {
            for word in sentence {
                var word = word
                try word.withUTF8 { try self.word($0) }
            }
            try endOfSentence()
        }
        try endOfInput()
    }
}

/// What every pass of one configuration shares: which words are connectors and how long a phrase may
/// get.
struct PhraseRules: Sendable {
    let connectors: ByteStringTable
    let hasConnectors: Bool
    let delimiter: [UInt8]
    let threshold: Double
    /// No phrase token is longer than the corpus reader's word limit, so a phrased corpus reads back
    /// with exactly the tokens that were written.
    let maximumLength = TokenReader.maximumWordBytes

    init(_ configuration: PhraseConfiguration) {
        var connectors = ByteStringTable(minimumCapacity: max(configuration.connectorWords.count, 16))
        for word in configuration.connectorWords {
            var word = word
            _ = word.withUTF8 { connectors.insert($0) }
        }
        self.connectors = connectors
        hasConnectors = !configuration.connectorWords.isEmpty
        delimiter = Array(configuration.delimiter.utf8)
        threshold = configuration.threshold
    }

    @inline(__always)
    func isConnector(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        hasConnectors && connectors.id(of: bytes) != nil
    }
}

/// The first word of a possible phrase and the connector words after it, held until the next
/// non-connector word decides whether they join. `bytes` is the words separated by spaces, which is
/// the table key of the candidate so far.
struct PendingCandidate {
    private(set) var bytes: [UInt8] = []
    /// End offset in `bytes` of each held word.
    private(set) var ends: [Int] = []

    var isEmpty: Bool { ends.isEmpty }

    mutating func start(_ word: UnsafeBufferPointer<UInt8>) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: word)
        ends.removeAll(keepingCapacity: true)
        ends.append(bytes.count)
    }

    mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// The length of the phrase token the held words plus one more word of `length` bytes would make.
    @inline(__always)
    func joinedLength(adding length: Int, rules: PhraseRules) -> Int {
        // `bytes` has one space between held words; the phrase has a delimiter between all words.
        bytes.count - (ends.count - 1) + length + ends.count * rules.delimiter.count
    }

    /// Holds a connector word; false (and nothing held added) if the phrase would get too long, which
    /// also bounds the memory a run of connector words can take.
    mutating func appendConnector(_ word: UnsafeBufferPointer<UInt8>, rules: PhraseRules) -> Bool {
        guard joinedLength(adding: word.count, rules: rules) < rules.maximumLength else { return false }
        bytes.append(0x20)
        bytes.append(contentsOf: word)
        ends.append(bytes.count)
        return true
    }

    /// Writes the key of the candidate ending in `word` into `key`; false if too long to be a phrase.
    func key(ending word: UnsafeBufferPointer<UInt8>, into key: inout [UInt8], rules: PhraseRules) -> Bool {
        guard joinedLength(adding: word.count, rules: rules) <= rules.maximumLength else { return false }
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: bytes)
        key.append(0x20)
        key.append(contentsOf: word)
        return true
    }

    /// Calls `body` with each held word in order.
    func forEachWord(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { all in
            var start = 0
            for end in ends {
                try body(UnsafeBufferPointer(rebasing: all[start..<end]))
                start = end + 1
            }
        }
    }
}

/// Counts unigrams and candidates of the stream into a table (one learning pass).
///
/// As in gensim, a candidate is every non-connector word with the previous non-connector word of the
/// same sentence, with the connector words between them; connector words themselves are not counted.
/// Unlike the C tool, no candidate spans two lines.
final class PhraseCounter: TokenSink {
    // Hot per-token state of a class used from one thread: dynamic exclusivity checks on every access
    // cost about a tenth of the pass.
    @exclusivity(unchecked) private(set) var table: PhraseTable
    private let rules: PhraseRules
    @exclusivity(unchecked) private var pending = PendingCandidate()
    @exclusivity(unchecked) private var key: [UInt8] = []

    init(configuration: PhraseConfiguration, rules: PhraseRules) {
        table = PhraseTable(configuration: configuration)
        self.rules = rules
    }

    func word(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        table.totalWords += 1
        if rules.isConnector(bytes) {
            if !pending.isEmpty && !pending.appendConnector(bytes, rules: rules) { pending.clear() }
            return
        }
        table.add(bytes)
        if !pending.isEmpty && pending.key(ending: bytes, into: &key, rules: rules) {
            key.withUnsafeBufferPointer { table.add($0) }
        }
        pending.start(bytes)
    }

    func endOfSentence() throws { pending.clear() }
    func endOfInput() throws { pending.clear() }
}

/// Applies one pass's table to the stream: left to right, a held word and the next non-connector word
/// (with the connector words between) become one token when their score exceeds the threshold. A
/// joined token never starts another phrase in the same pass (`a_b c` stays so even if `b c` scores),
/// as in `word2phrase` and gensim; the next pass, which sees `a_b` as one word, can extend it.
final class PhraseJoiner: TokenSink {
    private let table: PhraseTable
    private let rules: PhraseRules
    private let next: TokenSink
    private let minCount: Int
    @exclusivity(unchecked) private var pending = PendingCandidate()
    private var pendingCount = 0
    @exclusivity(unchecked) private var key: [UInt8] = []

    init(table: PhraseTable, rules: PhraseRules, next: TokenSink) {
        self.table = table
        self.rules = rules
        self.next = next
        minCount = max(table.configuration.minCount, 1)
    }

    func word(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if rules.isConnector(bytes) {
            if !pending.isEmpty {
                if pending.appendConnector(bytes, rules: rules) { return }
                try flush()
            }
            try next.word(bytes)
            return
        }
        let count = table.count(ofKey: bytes)
        if !pending.isEmpty {
            if pending.key(ending: bytes, into: &key, rules: rules) {
                let countAB = key.withUnsafeBufferPointer { table.count(ofKey: $0) }
                if countAB >= minCount,
                   let score = table.score(countA: pendingCount, countB: count, countAB: countAB),
                   score > rules.threshold {
                    try emitJoined()
                    pending.clear()
                    return
                }
            }
            try flush()
        }
        // A word too rare to start a phrase passes straight through; holding it would change nothing.
        if count >= minCount {
            pending.start(bytes)
            pendingCount = count
        } else {
            try next.word(bytes)
        }
    }

    /// Emits `key` with its separating spaces replaced by the delimiter.
    private func emitJoined() throws {
        if rules.delimiter.count == 1 {
            let delimiter = rules.delimiter[0]
            for i in key.indices where key[i] == 0x20 { key[i] = delimiter }
            try key.withUnsafeBufferPointer { try next.word($0) }
        } else {
            var joined: [UInt8] = []
            joined.reserveCapacity(key.count + 8)
            for byte in key {
                if byte == 0x20 { joined.append(contentsOf: rules.delimiter) } else { joined.append(byte) }
            }
            try joined.withUnsafeBufferPointer { try next.word($0) }
        }
    }

    private func flush() throws {
        try pending.forEachWord { try next.word($0) }
        pending.clear()
    }

    func endOfSentence() throws {
        try flush()
        try next.endOfSentence()
    }

    func endOfInput() throws {
        try flush()
        try next.endOfInput()
    }
}

/// Writes the stream as a corpus: words separated by single spaces, one line per sentence.
final class CorpusTextSink: TokenSink {
    private let file: AtomicFile
    private var lineHasWords = false

    init(file: AtomicFile) { self.file = file }

    func word(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if lineHasWords { try file.write(CollectionOfOne(0x20)) }
        try file.write(bytes)
        lineHasWords = true
    }

    func endOfSentence() throws {
        try file.write(CollectionOfOne(0x0A))
        lineHasWords = false
    }

    /// A last line without a newline gets one, so every output line ends in a newline.
    func endOfInput() throws {
        if lineHasWords { try endOfSentence() }
    }
}

/// Collects the stream as in-memory sentences.
final class SentenceCollector: TokenSink {
    private(set) var sentences: [[String]] = []
    private var current: [String] = []

    func word(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        current.append(String(decoding: bytes, as: UTF8.self))
    }

    func endOfSentence() throws {
        sentences.append(current)
        current.removeAll()
    }

    func endOfInput() throws {
        if !current.isEmpty { try endOfSentence() }
    }
}
