#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Phrases {
    /// Writes every detected phrase of every pass (`phrases()`) as `phrase<TAB>count<TAB>score`
    /// lines, pass by pass, best first, atomically; scores with six decimals (`%.6f`), as every
    /// score the tool prints.
    /// - Throws: `Word2VecError.unwritableFile`.
    public func writePhrases(to path: String) throws {
        let file = try AtomicFile(path: path)
        var digits = [CChar](repeating: 0, count: 400)
        for phrase in phrases() {
            let length = withVaList([phrase.score]) { vsnprintf(&digits, digits.count, "%.6f", $0) }
            let score = String(decoding: digits.prefix(max(0, min(Int(length), digits.count - 1))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            try file.write("\(phrase.phrase)\t\(phrase.count)\t\(score)\n")
        }
        try file.commit()
    }
}
