import Word2Vec

/// Files of item sequences (`items train --input`, `items evaluate --input`): one user's or
/// session's items per line, oldest first, separated by spaces or tabs.
public enum ItemSequences {
    /// Reads every non-blank line of `path` as one sequence.
    ///
    /// Lines end in LF or CRLF; a UTF-8 byte order mark at the start is ignored. Ids follow the rule
    /// of words in vector files (valid UTF-8, no ASCII control bytes), so that every item can get a
    /// vector. Time and memory O(file size).
    ///
    /// - Throws: `Word2VecError.unreadableFile`; `.malformedFile` naming the line of the first bad id.
    public static func read(path: String) throws -> [[String]] {
        try ReadableFile.withBytes(of: path) { bytes in
            let tab = UInt8(ascii: "\t"), space = UInt8(ascii: " ")
            var sequences: [[String]] = []
            try TextLines.forEach(in: bytes) { lineNumber, line in
                func failure(_ problem: String) -> Word2VecError { .malformedFile(path, line: lineNumber, problem) }
                var items: [String] = []
                var i = 0
                while i < line.count {
                    while i < line.count, line[i] == space || line[i] == tab { i += 1 }
                    let itemStart = i
                    while i < line.count, line[i] != space, line[i] != tab { i += 1 }
                    guard i > itemStart else { break }
                    items.append(try HistoriesFile.id(UnsafeBufferPointer(rebasing: line[itemStart..<i]), role: "item id", failure))
                }
                if !items.isEmpty { sequences.append(items) }
            }
            return sequences
        }
    }
}

extension TrainingConfiguration {
    /// Defaults for items, measured on MovieLens-100k with leave-last-out (`Benchmarks/items.py`;
    /// the figures are in `Benchmarks/README.md`). Against the text defaults: skip-gram, every item
    /// counts (an item seen once can still be recommended), nothing is subsampled (popular items are
    /// what users share, not noise words), the whole sequence is the context but each item is
    /// predicted from a sample of it, negative samples are drawn flatter than the counts, and small
    /// corpora get many passes.
    public static var items: TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.architecture = .skipGram
        configuration.minCount = 1
        configuration.sample = 0
        configuration.epochs = 15
        configuration.noiseExponent = -0.5
        // Every pair of a sequence made training quadratic in the history (minutes on
        // MovieLens-100k, whose histories are 202 ratings long weighted by length); 20 draws per
        // item are a tenth of those predictions, and the larger rate makes up for the smaller sum
        // of steps each row takes per pass (at 0.025 HR@10 fell to 0.08; at 0.25 with 10 draws
        // training collapsed).
        configuration.contextSamples = 20
        configuration.learningRate = 0.1
        // The C tool's annealed end: ending at 0.3 x the start (the text default) cost 0.9 points of
        // HR@10 on MovieLens-100k (window 20, 20 seeds: 0.1157 against 0.1245).
        configuration.finalLearningRateFraction = 1e-4
        configuration.useWholeSequenceWindow()
        return configuration
    }
}
