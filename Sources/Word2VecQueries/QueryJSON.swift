#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Word2Vec

/// The one JSON encoding of query answers: the command line's `--json` lines and the server's
/// response bodies are the same bytes for the same query, so a script can move between them.
///
/// Compact, keys sorted, slashes unescaped. Non-finite numbers cannot occur in valid JSON; the
/// answers encode undefined coefficients as `null` themselves, and this strategy only guards the rest.
public enum QueryJSON {
    /// Encodes `value` as one line of JSON, without a trailing newline.
    public static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encodeBytes(value), as: UTF8.self)
    }

    /// Encodes `value` as the UTF-8 bytes of one line of JSON, without a trailing newline.
    public static func encodeBytes(_ value: some Encodable) throws -> [UInt8] {
        Array(try makeEncoder().encode(value))
    }

    /// Encodes each value as one line of JSON, each followed by a newline (JSON lines), with one
    /// encoder for all of them: for many small answers, making an encoder per line would cost
    /// more than answering.
    public static func encodeLines<Value: Encodable>(_ values: some Sequence<Value>) throws -> [UInt8] {
        let encoder = makeEncoder()
        var bytes: [UInt8] = []
        for value in values {
            bytes += try encoder.encode(value)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    private static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }
}

/// A neighbour as every ranking answer lists it (`similar`, `analogy`, `doc2vec similar`,
/// `items recommend`, `doesnt-match`): `word` is the key of the row (a word, tag or item).
public struct NeighbourRecord: Encodable, Sendable {
    public let word: String
    public let index: Int
    public let score: Float

    public init(_ neighbour: Neighbour) {
        word = neighbour.word
        index = neighbour.index
        score = neighbour.score
    }
}

extension Embeddings {
    /// The query words outside the vocabulary, which a subword model answered from their n-grams,
    /// or `nil` when there are none: the `oov` field of the answers (absent for whole-word vectors,
    /// whose unknown words are errors instead).
    public func outOfVocabulary(_ words: [String]) -> [String]? {
        let outside = words.filter { index(of: $0) == nil }
        return outside.isEmpty ? nil : outside
    }
}
