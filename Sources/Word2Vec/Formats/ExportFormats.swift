#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Layouts that other tools read, written by `word2vec convert`.
extension Embeddings {
    /// Writes the two files of the TensorBoard Embedding Projector into `directory` (created if
    /// missing): `vectors.tsv`, one row of tab-separated values per word, and `metadata.tsv`, one word
    /// per line (a single column, so without a header line, as the projector expects). Each file
    /// appears complete or not at all.
    public func writeProjector(to directory: String) throws {
        try Self.makeDirectory(directory)
        let vectorsFile = try AtomicFile(path: directory + "/vectors.tsv")
        let metadataFile = try AtomicFile(path: directory + "/metadata.tsv")
        for row in 0..<count {
            let values = vectors.pointer(row: row)
            try vectorsFile.withBuffer { buffer in
                for d in 0..<dimension {
                    if d > 0 { buffer.append(0x09) }
                    FixedPointFormatter.append(values[d], to: &buffer)
                }
                buffer.append(0x0A)
            }
            try metadataFile.write(words[row])
            try metadataFile.write(CollectionOfOne(0x0A))
        }
        try vectorsFile.commit()
        try metadataFile.commit()
    }

    /// Writes `vectors.npy` (NumPy format 1.0, little-endian float32, shape `(count, dimension)`, rows in
    /// this order) and `vocab.txt` (`word<TAB>count` lines when `counts` is given, else `word` lines) into
    /// `directory` (created if missing). `numpy.load` reads the matrix, also memory-mapped.
    public func writeNumPy(to directory: String, counts: [Int]? = nil) throws {
        precondition(counts == nil || counts!.count == count, "one count per word")
        try Self.makeDirectory(directory)
        let matrixFile = try AtomicFile(path: directory + "/vectors.npy")
        var header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': (\(count), \(dimension)), }".utf8)
        // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64 and
        // ended by a newline, so that the data start aligned.
        let padded = (10 + header.count + 1 + 63) / 64 * 64 - 10
        header += Array(repeating: 0x20, count: padded - header.count - 1) + [0x0A]
        try matrixFile.write([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(padded & 0xFF), UInt8(padded >> 8)])
        try matrixFile.write(header)
        for row in 0..<count {
            try matrixFile.write(floats: vectors.pointer(row: row), count: dimension)
        }
        let vocabularyFile = try AtomicFile(path: directory + "/vocab.txt")
        for row in 0..<count {
            try vocabularyFile.write(counts.map { "\(words[row])\t\($0[row])\n" } ?? "\(words[row])\n")
        }
        try matrixFile.commit()
        try vocabularyFile.commit()
    }

    static func makeDirectory(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw Word2VecError.unwritableFile(path, reason: "exists and is not a directory")
            }
            return
        }
        guard mkdir(path, 0o755) == 0 else {
            throw Word2VecError.unwritableFile(path, reason: String(cString: strerror(errno)))
        }
    }
}

extension Model {
    /// A query-only model holding `embeddings` (for example read from a word2vec file), so that they
    /// can be saved as a model file and memory-mapped by later queries. Counts are unknown (stored as
    /// 0) and there are no output weights, so the model cannot be resumed or updated.
    public convenience init(embeddings: Embeddings) {
        var configuration = TrainingConfiguration()
        configuration.dimension = embeddings.dimension
        configuration.minCount = 1
        configuration.threads = 1
        let words = embeddings.words
        let vocabulary = try! Vocabulary(sortedWords: words, counts: Array(repeating: 0, count: words.count)) { _ in
            .emptyCorpus("")  // Embeddings never hold a word twice.
        }
        var state = TrainingState(
            epochs: 1, wordsPerEpoch: 0, initialLearningRate: configuration.initialLearningRate,
            corpusName: "", corpusBytes: -1, generation: 1)
        state.epoch = 1
        self.init(
            vocabulary: vocabulary, configuration: configuration,
            inputs: InputLayer(words: embeddings.vectors, padding: nil),
            outputs: [], state: state)
    }

    /// Whether the model has the output weights that `Trainer.resume` and `Trainer.update` need
    /// (false for a model made from word vectors alone).
    public var isTrainable: Bool { !outputs.isEmpty }
}
