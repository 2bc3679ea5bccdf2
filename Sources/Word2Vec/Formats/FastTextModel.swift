/// fastText's binary model (`fasttext skipgram|cbow ... -output m` writes `m.bin`), format version
/// 12 as fastText 0.9 writes it. All numbers are little-endian; the layout is fastText's
/// `FastText::saveModel`:
///
/// ```
/// int32 magic 793712314, int32 version 12
/// args:  int32 dim, ws, epoch, minCount, neg, wordNgrams, loss (1 hs, 2 ns, 3 softmax, 4 ova),
///        model (1 cbow, 2 sg, 3 sup), bucket, minn, maxn, lrUpdateRate; float64 t
/// dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidx_size (-1 unless pruned);
///        size x (NUL-terminated word, int64 count, int8 type 0 word / 1 label);
///        pruneidx_size x (int32, int32)
/// uint8 quant_input; input matrix: int64 m (nwords + bucket), int64 n (dim), m x n float32
/// uint8 qout; output matrix: int64 m (nwords), int64 n, m x n float32
/// ```
///
/// Only word-vector models are read: supervised ones (labels) and quantized ones (`.ftz`, whose
/// matrices are product-quantized codes) are refused by name.
enum FastTextFile {
    static let magic: UInt32 = 793_712_314
    static let version: UInt32 = 12
    /// fastText's end-of-line token, a vocabulary word that has no n-grams of its own.
    static let endOfSentence = "</s>"

    /// Whether the file at `path` starts with fastText's magic number. False for unreadable or short
    /// files and standard input.
    static func hasMagic(_ path: String) -> Bool {
        ReadableFile.starts(path, with: withUnsafeBytes(of: magic.littleEndian) { Array($0) })
    }
}

extension Model {
    /// Whether `path` names a fastText binary model (by its magic number; nothing else is checked).
    public static func isFastTextModel(atPath path: String) -> Bool { FastTextFile.hasMagic(path) }

    /// Opens a fastText binary model (`.bin`, format version 12: fastText 0.9, and the models
    /// published at fasttext.cc) as a model of this library.
    ///
    /// Every word's vector is fastText's `getWordVector`: with subwords (`maxn > 0`) the mean of the
    /// word's row and its character n-grams' rows, and a word outside the vocabulary gets the mean of
    /// its n-grams' rows, as `fasttext print-word-vectors` prints them. The vocabulary keeps the
    /// file's order (row `i` is word `i`), `</s>` included.
    ///
    /// The configuration takes fastText's architecture, dimension, window, epochs, minCount, loss
    /// (`ns` with its `neg`, `hs`, `softmax`), sample `t` and `minn`/`maxn`/`bucket`; the model is
    /// complete (`state.isComplete`). With `mode == .everything` the output matrix of negative
    /// sampling or softmax becomes the model's output layer, so the model can be updated. fastText's
    /// hierarchical-softmax tree is not this library's, so an `hs` model has no output layer: it
    /// answers queries and converts, but cannot be trained further.
    ///
    /// Every count and size is checked against the file's length before anything is allocated, and
    /// every value against what fastText writes (counts in descending order, finite floats).
    ///
    /// - Throws: `Word2VecError.malformedData` naming the file and byte offset: not a fastText model,
    ///   another format version, a supervised model, a quantized model (`.ftz`), loss `ova`, a word
    ///   that is not valid UTF-8 or holds a space or control byte, a word twice, truncation, sizes
    ///   that disagree; `.unreadableFile`.
    /// - Complexity: O(file size): the file is memory-mapped and the matrices copied out of it once
    ///   (fastText's rows follow variable-length words, so they are not aligned for use in place);
    ///   with `.vectors` or `.queries` the output matrix is not read. Memory: the input matrix,
    ///   `(words + bucket) x dim` floats (800 MB for fastText's 2,000,000 buckets at dim 100), plus the
    ///   output matrix with `.everything`.
    public convenience init(fastTextModelAt path: String, for mode: LoadingMode = .everything) throws {
        let file = try MappedFile(path: path)
        var reader = FastTextReader(path: path, bytes: UnsafeRawPointer(file.base), size: file.size, mode: mode)
        let parts = try withExtendedLifetime(file) { try reader.read() }
        self.init(
            vocabulary: parts.vocabulary, configuration: parts.configuration,
            inputs: InputLayer(words: parts.words, padding: nil, subwords: parts.subwords),
            outputs: parts.outputs, state: parts.state)
    }
}

/// The parser behind `Model(fastTextModelAt:)`: a bounds-checked cursor over the mapped file.
struct FastTextReader {
    let path: String
    let bytes: UnsafeRawPointer
    let size: Int
    let mode: Model.LoadingMode
    private var cursor = 0

    struct Parts {
        var configuration: TrainingConfiguration
        var vocabulary: Vocabulary
        var words: Matrix
        var subwords: SubwordRows?
        var outputs: [OutputLayer]
        var state: TrainingState
    }

    init(path: String, bytes: UnsafeRawPointer, size: Int, mode: Model.LoadingMode) {
        self.path = path
        self.bytes = bytes
        self.size = size
        self.mode = mode
    }

    private func fail(_ offset: Int, _ problem: String) -> Word2VecError {
        .malformedData(path, offset: offset, problem)
    }

    private mutating func take(_ count: Int, _ what: String) throws -> Int {
        guard count <= size - cursor else {
            throw fail(cursor, "fastText model is truncated: \(what) needs \(count) bytes, \(size - cursor) remain")
        }
        defer { cursor += count }
        return cursor
    }

    private mutating func int32(_ what: String) throws -> Int {
        Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(4, what), as: Int32.self)))
    }

    private mutating func int64(_ what: String) throws -> Int {
        Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(8, what), as: Int64.self)))
    }

    private mutating func flag(_ what: String) throws -> Bool {
        let at = try take(1, what)
        let value = bytes.load(fromByteOffset: at, as: UInt8.self)
        guard value <= 1 else { throw fail(at, "\(what) is \(value), not a bool (0 or 1)") }
        return value == 1
    }

    mutating func read() throws -> Parts {
        guard size >= 4, UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)) == FastTextFile.magic else {
            throw fail(0, "not a fastText model (no magic number 793712314)")
        }
        cursor = 4
        let version = try int32("the version")
        guard version == FastTextFile.version else {
            throw fail(4, "fastText model format version \(version); this build reads version 12 (fastText 0.9)")
        }

        // Args, in fastText's order.
        let argsAt = cursor
        let dimension = try int32("dim"), window = try int32("ws"), epochs = try int32("epoch")
        let minCount = try int32("minCount"), negatives = try int32("neg")
        _ = try int32("wordNgrams")  // Used by supervised models only.
        let lossAt = cursor
        let loss = try int32("loss")
        let modelAt = cursor
        let architecture = try int32("model")
        let buckets = try int32("bucket"), minn = try int32("minn"), maxn = try int32("maxn")
        _ = try int32("lrUpdateRate")
        let sample = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(8, "t"), as: UInt64.self)))
        guard architecture == 1 || architecture == 2 else {
            throw fail(modelAt, architecture == 3
                ? "a supervised fastText model (classifier): only word-vector models (cbow, skipgram) are read"
                : "unknown fastText model kind \(architecture)")
        }
        let objective: TrainingConfiguration.Loss
        switch loss {
        case 1: objective = .hierarchicalSoftmax
        case 2: objective = .negativeSampling(negatives: negatives)
        case 3: objective = .softmax
        case 4: throw fail(lossAt, "fastText loss ova (one-vs-all) is not supported")
        default: throw fail(lossAt, "unknown fastText loss \(loss)")
        }
        guard dimension >= 1, dimension <= Embeddings.maximumDimension else {
            throw fail(argsAt, "fastText dim \(dimension) is out of range (1...\(Embeddings.maximumDimension))")
        }
        guard buckets >= 0 else { throw fail(argsAt, "fastText bucket \(buckets) is negative") }
        // fastText computes no n-gram when maxn is 0 (or below minn); minn 0 counts from 1.
        let nGrams = maxn >= 1 && minn <= maxn
            ? CharacterNGrams(minLength: max(minn, 1), maxLength: maxn, buckets: buckets) : nil
        if nGrams != nil, buckets == 0 { throw fail(argsAt, "fastText model has n-grams (maxn \(maxn)) but no buckets") }

        // Dictionary.
        let dictionaryAt = cursor
        let wordCount = try int32("size"), nwords = try int32("nwords"), nlabels = try int32("nlabels")
        _ = try int64("ntokens")
        let pruneAt = cursor
        let pruned = try int64("pruneidx_size")
        guard nlabels == 0 else {
            throw fail(dictionaryAt, "a supervised fastText model (\(nlabels) labels): only word-vector models are read")
        }
        guard nwords >= 1, wordCount == nwords else {
            throw fail(dictionaryAt, "fastText dictionary size \(wordCount) with \(nwords) words is inconsistent")
        }
        guard pruned == -1 else {
            throw fail(pruneAt, "a pruned (quantized, .ftz) fastText model: quantized models are not supported; use the .bin it was made from")
        }
        // An entry takes at least a byte of word, its NUL, a count and a type.
        guard nwords <= (size - cursor) / 11 else {
            throw fail(dictionaryAt, "fastText dictionary announces \(nwords) words, more than the \(size - cursor) bytes left can hold")
        }
        var words: [String] = []
        var counts: [Int] = []
        words.reserveCapacity(nwords)
        counts.reserveCapacity(nwords)
        var total = 0
        for i in 0..<nwords {
            let at = cursor
            let remaining = UnsafeRawBufferPointer(start: bytes + cursor, count: size - cursor)
            guard let end = remaining.firstIndex(of: 0) else {
                throw fail(at, "fastText model is truncated in word \(i) (no NUL after it)")
            }
            let spelling = Array(remaining[..<end])
            cursor += end + 1
            guard let word = ModelFileReader.validWord(spelling[...]) else {
                throw fail(at, "fastText word \(i) is not valid UTF-8 without spaces or control bytes")
            }
            let count = try int64("a word count")
            let typeAt = try take(1, "a word type")
            guard bytes.load(fromByteOffset: typeAt, as: UInt8.self) == 0 else {
                throw fail(typeAt, "fastText word \(i) is not of type word (0)")
            }
            guard count >= 1, counts.last.map({ count <= $0 }) ?? true else {
                throw fail(at, "fastText word \(i) has count \(count): counts must be at least 1 and in descending order")
            }
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow, sum <= 1 << 62 else { throw fail(at, "fastText word counts add up beyond 2^62") }
            total = sum
            words.append(word)
            counts.append(count)
        }
        let vocabulary = try Vocabulary(sortedWords: words, counts: counts) { duplicate in
            fail(dictionaryAt, "fastText word '\(duplicate)' appears twice in the dictionary")
        }

        // Input matrix: the words' rows, then the buckets'.
        let quantAt = cursor
        guard try !flag("quant_input") else {
            throw fail(quantAt, "a quantized fastText model (.ftz): quantized models are not supported; use the .bin it was made from")
        }
        let (inputAt, inputRows) = try matrixHeader(rows: nwords + buckets, dimension: dimension, "input")
        let bucketRows = nGrams == nil ? 0 : buckets
        // Without n-grams fastText never reads the bucket rows, so they are not copied.
        let input = try copy(at: inputAt, rows: nwords + bucketRows, dimension: dimension, "input")
        cursor = inputAt + inputRows * dimension * 4
        _ = try flag("qout")
        let (outputAt, _) = try matrixHeader(rows: nwords, dimension: dimension, "output")
        cursor = outputAt + nwords * dimension * 4
        guard cursor == size else {
            throw fail(cursor, "fastText model has \(size - cursor) unexpected bytes after its output matrix")
        }

        let wordRows = Matrix(rows: nwords, columns: dimension, borrowing: input.storage, owner: input)
        let subwords = nGrams.map { nGrams in
            SubwordRows(
                nGrams: nGrams,
                buckets: Matrix(rows: buckets, columns: dimension, borrowing: input.pointer(row: nwords), owner: input),
                words: words)
        }
        var outputs: [OutputLayer] = []
        // fastText's tree is built differently from this library's Huffman tree, so hs rows would
        // mean other nodes here: an hs model loads without its output layer.
        if mode == .everything, objective != .hierarchicalSoftmax {
            let kind: OutputLayer.Kind = objective == .softmax ? .softmax : .negativeSampling
            outputs.append(OutputLayer(kind, weights: try copy(at: outputAt, rows: nwords, dimension: dimension, "output")))
        }

        var configuration = TrainingConfiguration()
        configuration.architecture = architecture == 1 ? .cbow : .skipGram
        configuration.dimension = dimension
        configuration.window = window
        configuration.epochs = epochs
        // fastText keeps every word at minCount 0; here that is minCount 1.
        configuration.minCount = max(minCount, 1)
        configuration.loss = objective
        configuration.sample = sample
        configuration.subwords = nGrams
        configuration.allowLargeSoftmax = objective == .softmax
        do {
            try configuration.validate()
        } catch let error as Word2VecError {
            throw fail(argsAt, "fastText arguments out of range: \(error)")
        }
        var state = TrainingState(
            epochs: epochs, wordsPerEpoch: total, initialLearningRate: configuration.initialLearningRate,
            corpusName: "", corpusBytes: -1)
        state.epoch = epochs
        let (processed, overflow) = total.multipliedReportingOverflow(by: epochs)
        state.processedWords = overflow ? Int.max : processed
        return Parts(
            configuration: configuration, vocabulary: vocabulary, words: wordRows, subwords: subwords,
            outputs: outputs, state: state)
    }

    /// Reads a matrix's `m` and `n`, checks them against `rows x dimension` and the bytes left, and
    /// returns where its floats start and its rows.
    private mutating func matrixHeader(rows: Int, dimension: Int, _ name: String) throws -> (Int, Int) {
        let at = cursor
        let m = try int64("the \(name) matrix's rows"), n = try int64("the \(name) matrix's columns")
        guard m == rows, n == dimension else {
            throw fail(at, "fastText \(name) matrix is \(m) x \(n), expected \(rows) x \(dimension)")
        }
        // rows <= 2^31 + 2^31 and dimension <= 2^24, so the product cannot overflow.
        guard rows * dimension <= (size - cursor) / 4 else {
            throw fail(at, "fastText model is truncated: the \(name) matrix needs \(rows * dimension * 4) bytes, \(size - cursor) remain")
        }
        return (cursor, m)
    }

    /// The first `rows` rows of the float32 matrix at `offset` (checked by `matrixHeader`), copied
    /// into aligned memory; every value must be finite.
    private func copy(at offset: Int, rows: Int, dimension: Int, _ name: String) throws -> Matrix {
        let matrix = Matrix(rows: rows, columns: dimension)
        let count = rows * dimension
        UnsafeMutableRawPointer(matrix.storage).copyMemory(from: bytes + offset, byteCount: count * 4)
        #if _endian(big)
        for i in 0..<count { matrix.storage[i] = Float(bitPattern: UInt32(littleEndian: matrix.storage[i].bitPattern)) }
        #endif
        for i in 0..<count where !matrix.storage[i].isFinite {
            throw fail(offset + 4 * i, "fastText \(name) matrix row \(i / dimension) holds a value that is not finite")
        }
        return matrix
    }
}
