extension Phrases {
    /// Writes every detected phrase of every pass (`phrases()`) as `phrase count score` lines, pass by
    /// pass, best first, atomically. Scores are printed with `%g`-like shortest round-trip digits.
    /// - Throws: `Word2VecError.unwritableFile`.
    public func writePhrases(to path: String) throws {
        let file = try AtomicFile(path: path)
        for phrase in phrases() {
            try file.write("\(phrase.phrase) \(phrase.count) \(phrase.score)\n")
        }
        try file.commit()
    }
}
