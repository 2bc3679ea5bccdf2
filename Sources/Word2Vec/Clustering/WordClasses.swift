/// Words grouped into classes by k-means over their vectors: the output of the original tool's
/// `-classes`.
public struct WordClasses: Sendable {
    /// The words, in the order of the embeddings they came from.
    public let words: [String]
    /// `classes[i]` is the class of `words[i]`, in `0..<configuration.clusters`.
    public let classes: [Int]
    /// The clustering behind the classes (centroids, objective per iteration).
    public let clustering: KMeansResult

    /// Clusters `embeddings` (see `KMeans`).
    /// - Throws: `Word2VecError.invalidOption` if the configuration does not fit the data.
    public init(embeddings: Embeddings, configuration: KMeansConfiguration) throws {
        clustering = try KMeans.cluster(embeddings.vectors, configuration: configuration)
        words = embeddings.words
        classes = clustering.assignments
    }

    /// Writes `word<TAB>class` lines in word order (the C tool's format, which separates by a
    /// space), atomically.
    public func write(to path: String) throws {
        try WordClassesWriter(path: path).write(self)
    }
}

/// A classes file claimed before a long computation and written after it: creating the writer fails
/// at once on an unwritable path, and nothing appears at `path` unless `write` completes.
public final class WordClassesWriter {
    private let file: AtomicFile

    public init(path: String) throws { file = try AtomicFile(path: path) }

    /// Writes `word<TAB>class` lines and moves the file into place. Call once.
    public func write(_ classes: WordClasses) throws {
        for (word, cluster) in zip(classes.words, classes.classes) {
            try file.write(word)
            try file.write("\t\(cluster)\n")
        }
        try file.commit()
    }
}
