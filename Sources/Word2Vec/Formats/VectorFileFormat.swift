#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The layouts of word vector files, read by `Embeddings.load` and written by `Embeddings.write`:
/// the original word2vec tool's two (also read and written by gensim and fastText, whose `.vec` is
/// the text form) and GloVe's.
///
/// - `text`: a header line `count dimension`, then per line a word and its values, separated by
///   spaces (tabs too when reading): the C tool's `-binary 0`, gensim's `binary=False`.
/// - `binary`: the same header, then per entry the word, one space and `dimension` little-endian
///   32-bit floats, and a newline (optional when reading: gensim writes none).
/// - `headerless`: the text lines without the header line (GloVe's layout).
///
/// Reading can also detect the layout from the start of the file: pass `nil` to
/// `Embeddings.load(path:format:limit:)`.
public enum VectorFileFormat: String, Sendable, CaseIterable {
    case text
    case binary
    case headerless
}

extension Embeddings {
    /// Writes the vectors in `format` (text values as `%f`, each followed by a space, as the
    /// original tool writes them), atomically: the file appears complete or not at all.
    ///
    /// Every word must be readable back by `Embeddings.load`: not empty, and without a space or an
    /// ASCII control byte (0x00-0x1F, 0x7F), which the layouts use as separators or a terminal would
    /// act on. Invalid UTF-8 cannot occur, since words are Swift strings. (A `.headerless` file of
    /// no vectors is empty, which `load` refuses: nothing in it gives the dimension.)
    /// - Throws: `Word2VecError.unwritableFile` naming the first word that breaks the rule (checked
    ///   before anything is written) or the system's reason.
    public func write(to path: String, format: VectorFileFormat) throws {
        try EmbeddingsWriter(path: path, format: format).write(self)
    }

    func write(to file: AtomicFile, format: VectorFileFormat) throws {
        for (index, word) in words.enumerated() {
            if let problem = WordSpelling.problem(word) {
                throw Word2VecError.unwritableFile(
                    file.path,
                    reason: "word \(index + 1) \(WordSpelling.quoted(word)) \(problem), which a vector file cannot hold")
            }
        }
        if format != .headerless { try file.write("\(count) \(dimension)\n") }
        for (row, word) in words.enumerated() {
            try file.write(word)
            try file.write(CollectionOfOne(0x20))
            let values = vectors.pointer(row: row)
            switch format {
            case .binary:
                try file.write(floats: values, count: dimension)
            case .text, .headerless:
                try file.withBuffer { buffer in
                    for i in 0..<dimension {
                        FixedPointFormatter.append(values[i], to: &buffer)
                        buffer.append(0x20)
                    }
                }
            }
            try file.write(CollectionOfOne(0x0A))
        }
    }
}

/// A vector file claimed before a long computation and written after it: creating the writer fails
/// at once on an unwritable path, and nothing appears at `path` unless `write` completes.
public final class EmbeddingsWriter {
    private let file: AtomicFile
    public let format: VectorFileFormat

    public init(path: String, format: VectorFileFormat) throws {
        file = try AtomicFile(path: path)
        self.format = format
    }

    /// Writes `embeddings` and moves the file into place. Call once.
    /// - Throws: see `Embeddings.write(to:format:)`; nothing appears at the path then.
    public func write(_ embeddings: Embeddings) throws {
        try embeddings.write(to: file, format: format)
        try file.commit()
    }
}

/// `printf("%f")` for floats, without the cost of `printf`.
enum FixedPointFormatter {
    /// Appends `value` with exactly six decimals, rounded as `printf` rounds (to nearest, ties to
    /// even). A float times 10^6 is exact in a double (24-bit mantissa times 5^6 < 2^38), so rounding
    /// the product gives the same digits as rounding the exact decimal expansion.
    static func append(_ value: Float, to buffer: inout [UInt8]) {
        let scaled = (Double(value) * 1_000_000).rounded(.toNearestOrEven)
        guard value.isFinite, abs(scaled) < 9e15 else {
            // Huge or non-finite: rare enough for the C library's exact (and slow) conversion.
            var text = [CChar](repeating: 0, count: 64)
            let length = withVaList([Double(value)]) { vsnprintf(&text, text.count, "%f", $0) }
            buffer.append(contentsOf: text.prefix(Int(length)).map { UInt8(bitPattern: $0) })
            return
        }
        if value.sign == .minus { buffer.append(UInt8(ascii: "-")) }
        let magnitude = UInt64(abs(scaled))
        buffer.append(contentsOf: String(magnitude / 1_000_000).utf8)
        buffer.append(UInt8(ascii: "."))
        var fraction = magnitude % 1_000_000
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { digits in
            for i in stride(from: 5, through: 0, by: -1) {
                digits[i] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
            }
            buffer.append(contentsOf: digits)
        }
    }
}
