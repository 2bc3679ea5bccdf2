import Synchronization

/// A training corpus of documents: each sentence belongs to a document carrying one or more tags,
/// and each tag has a document vector (see `DocumentMode`). Conforming types implement
/// `forEachDocument`; their sentences are its words without the tags.
public protocol DocumentCorpus: TrainingCorpus {
    /// The documents' tags. A file corpus learns them while counting, so this may cost one pass
    /// over the text when called before `countWords()`.
    func tags() throws -> DocumentTags
}

extension DocumentCorpus {
    public func forEachSentence(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        try forEachDocument(part: part, of: parts, vocabulary: vocabulary, maxLength: maxLength) { words, _ in
            try body(words)
        }
    }
}

/// A document: its words and its tags.
public struct TaggedDocument: Sendable, Equatable {
    public var words: [String]
    public var tags: [String]

    public init(words: [String], tags: [String]) {
        self.words = words
        self.tags = tags
    }
}

/// Documents held in memory.
public struct InMemoryDocumentCorpus: DocumentCorpus {
    public let documents: [TaggedDocument]
    private let tagTable: DocumentTags
    private let tagNumbers: [[Int32]]
    public var name: String { "the given documents" }
    public var repeatsItsPasses: Bool { true }

    /// - Throws: `Word2VecError.invalidOption` for a document without tags or a tag that could not
    ///   be written to a vector file (empty, or holding a space or a control byte).
    public init(documents: [TaggedDocument]) throws {
        var table = DocumentTags()
        var numbers: [[Int32]] = []
        for (index, document) in documents.enumerated() {
            guard !document.tags.isEmpty else {
                throw Word2VecError.invalidOption("document \(index)", "has no tags")
            }
            var own: [Int32] = []
            for tag in document.tags {
                let number = Int32(try table.insert(tag))
                if !own.contains(number) { own.append(number) }
            }
            numbers.append(own)
        }
        self.documents = documents
        tagTable = table
        tagNumbers = numbers
    }

    /// Documents tagged by their position: "0", "1", ...
    public init(texts: [[String]]) {
        // Decimal numbers are valid tags.
        try! self.init(documents: texts.enumerated().map { TaggedDocument(words: $0.element, tags: [String($0.offset)]) })
    }

    public func tags() throws -> DocumentTags { tagTable }

    public func countWords() throws -> WordCounts {
        var counts = WordCounts()
        for document in documents where !document.words.isEmpty { counts.add(sentence: document.words) }
        return counts
    }

    public func forEachDocument(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (_ words: UnsafeBufferPointer<Int32>, _ tags: UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        // Parts are runs of whole documents with about equal numbers of words.
        let total = documents.reduce(0) { $0 + $1.words.count }
        let first = total * part / parts
        let last = total * (part + 1) / parts
        var seen = 0
        var buffer: [Int32] = []
        buffer.reserveCapacity(min(maxLength, 1 << 16))
        for (document, tags) in zip(documents, tagNumbers) {
            let start = seen
            seen += document.words.count
            // A document belongs to the part in which its first word falls.
            if start < first { continue }
            if start >= last { break }
            buffer.removeAll(keepingCapacity: true)
            try tags.withUnsafeBufferPointer { tags in
                for word in document.words {
                    guard let index = vocabulary.index(of: word) else { continue }
                    buffer.append(Int32(index))
                    if buffer.count == maxLength {
                        try buffer.withUnsafeBufferPointer { try body($0, tags) }
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                if !buffer.isEmpty { try buffer.withUnsafeBufferPointer { try body($0, tags) } }
            }
        }
    }
}
