import Word2Vec

/// Facts about a corpus that make training learn little or something else than intended, found in
/// what counting its words already yields, told on stderr before the long work starts.
enum TrainingWarnings {
    /// The warnings for a corpus counted as `counts` that gave `vocabulary` under `configuration`.
    static func messages(
        counts: WordCounts, vocabulary: Vocabulary, configuration: TrainingConfiguration, source: String
    ) -> [String] {
        var messages: [String] = []
        let sentences = counts.sentenceCount
        // Context never crosses a line: a word alone on its line teaches nothing.
        if sentences > 0, counts.singleWordSentenceCount * 10 >= sentences * 9 {
            let share = percent(counts.singleWordSentenceCount, of: sentences)
            messages.append("\(share) of the lines of \(source) hold a single word, which has no context on its line; "
                + "put the words of a sentence on one line, separated by spaces")
        }
        if counts.tokenCount > 0, vocabulary.totalCount * 2 < counts.tokenCount {
            let kept = percent(vocabulary.totalCount, of: counts.tokenCount)
            let limits = "--min-count \(configuration.minCount)"
                + (configuration.maxVocabularySize.map { ", --max-vocab \($0)" } ?? "")
            messages.append("only \(vocabulary.count) of \(counts.distinctCount) distinct words, \(kept) of the "
                + "\(counts.tokenCount) words of \(source), are kept (\(limits)); the rest are skipped")
        }
        if counts.longestSentence > configuration.maxSentenceLength {
            messages.append("the longest line of \(source) has \(counts.longestSentence) words: lines are split "
                + "every \(configuration.maxSentenceLength) known words (--max-sentence-length) and no context "
                + "crosses a split")
        }
        return messages
    }

    static func report(counts: WordCounts, vocabulary: Vocabulary, configuration: TrainingConfiguration, source: String) {
        for message in messages(counts: counts, vocabulary: vocabulary, configuration: configuration, source: source)
            + encodingMessages(counts: counts, source: source) {
            Output.standardError("word2vec: warning: \(message)\n")
        }
    }

    /// A leading byte order mark and the first line with bytes that are not UTF-8, once each: both
    /// change words silently (the mark sticks to the first word, bad bytes become U+FFFD).
    static func encodingMessages(counts: WordCounts, source: String) -> [String] {
        var messages: [String] = []
        if counts.startsWithByteOrderMark {
            messages.append("\(source):1: starts with a byte order mark (U+FEFF), which became part of the first word; "
                + "save the text as UTF-8 without BOM")
        }
        if let offset = counts.firstInvalidUTF8Offset {
            let line = (try? TextPosition.line(ofByte: offset, inFileAt: source)).map { ":\($0)" } ?? ""
            messages.append("\(source)\(line): bytes that are not UTF-8 (the first such line); words with them were read "
                + "with U+FFFD in their place; convert the text to UTF-8 (e.g. iconv -f latin1 -t utf-8)")
        }
        return messages
    }

    private static func percent(_ part: Int, of whole: Int) -> String {
        let value = Double(part) * 100 / Double(whole)
        return value > 0 && value < 1 ? "<1%" : "\(Int(value.rounded()))%"
    }
}
