/// Something about a run's text or settings that makes training learn little, or something else
/// than intended, found in what the run computes anyway (the word counts, the trained model).
/// `TrainingSession` returns them as values; how to tell them is the caller's business. The
/// description names settings the library's way (`TrainingConfiguration.minCount`).
public enum TrainingWarning: Sendable, Equatable, CustomStringConvertible {
    /// Nine lines in ten or more hold a single word, which has no context on its line.
    case singleWordLines(source: String, percent: String)
    /// Under half of the text's words reach `minCount` (and fit `maxVocabularySize`).
    case mostWordsSkipped(source: String, kept: Int, distinct: Int, keptPercent: String, tokens: Int,
                          minCount: Int, maxVocabularySize: Int?)
    /// A line is longer than `maxSentenceLength`, so it is split and no context crosses the split.
    case longLines(source: String, longest: Int, maxSentenceLength: Int)
    /// The text starts with a byte order mark, which became part of the first word.
    case byteOrderMark(source: String)
    /// Bytes that are not UTF-8, read as U+FFFD, first on `line` (when it could be found).
    case invalidUTF8(source: String, line: Int?)
    /// Paragraph vectors: tags none of whose lines has a word of the vocabulary; their vectors are zero.
    case tagsWithoutWords(count: Int)
    /// PV-DBOW without `dbowWords` leaves the word vectors at their random start, and they are
    /// written to a file anyway.
    case untrainedWordVectors

    public var description: String {
        switch self {
        case let .singleWordLines(source, percent):
            "\(percent) of the lines of \(source) hold a single word, which has no context on its line; "
                + "put the words of a sentence on one line, separated by spaces"
        case let .mostWordsSkipped(source, kept, distinct, keptPercent, tokens, minCount, maxVocabularySize):
            "only \(kept) of \(distinct) distinct words, \(keptPercent) of the \(tokens) words of \(source), are kept "
                + "(TrainingConfiguration.minCount \(minCount)"
                + (maxVocabularySize.map { ", TrainingConfiguration.maxVocabularySize \($0)" } ?? "")
                + "); the rest are skipped"
        case let .longLines(source, longest, maxSentenceLength):
            "the longest line of \(source) has \(longest) words: lines are split every \(maxSentenceLength) known "
                + "words (TrainingConfiguration.maxSentenceLength) and no context crosses a split"
        case let .byteOrderMark(source):
            "\(source):1: starts with a byte order mark (U+FEFF), which became part of the first word; "
                + "save the text as UTF-8 without BOM"
        case let .invalidUTF8(source, line):
            "\(source)\(line.map { ":\($0)" } ?? ""): bytes that are not UTF-8 (the first such line); words with them "
                + "were read with U+FFFD in their place; convert the text to UTF-8 (e.g. iconv -f latin1 -t utf-8)"
        case let .tagsWithoutWords(count):
            "\(count) tags have no word of the vocabulary; their vectors are zero"
        case .untrainedWordVectors:
            "dbow without TrainingConfiguration.dbowWords does not train word vectors; the word vectors written "
                + "are their random start"
        }
    }

    /// Whether the warning is about the text (told before training starts) rather than the result.
    public var isAboutTheText: Bool {
        switch self {
        case .singleWordLines, .mostWordsSkipped, .longLines, .byteOrderMark, .invalidUTF8: true
        case .tagsWithoutWords, .untrainedWordVectors: false
        }
    }

    /// The warnings about a text counted as `counts` that gave `vocabulary` under `configuration`:
    /// the lines, the vocabulary, then the encoding. `source` reads the text again to find a line.
    static func counting(
        _ counts: WordCounts, vocabulary: Vocabulary, configuration: TrainingConfiguration, name: String,
        source: TextSource?
    ) -> [TrainingWarning] {
        var warnings: [TrainingWarning] = []
        let sentences = counts.sentenceCount
        // Context never crosses a line: a word alone on its line teaches nothing.
        if sentences > 0, counts.singleWordSentenceCount * 10 >= sentences * 9 {
            warnings.append(.singleWordLines(source: name, percent: percent(counts.singleWordSentenceCount, of: sentences)))
        }
        if counts.tokenCount > 0, vocabulary.totalCount * 2 < counts.tokenCount {
            warnings.append(.mostWordsSkipped(
                source: name, kept: vocabulary.count, distinct: counts.distinctCount,
                keptPercent: percent(vocabulary.totalCount, of: counts.tokenCount), tokens: counts.tokenCount,
                minCount: configuration.minCount, maxVocabularySize: configuration.maxVocabularySize))
        }
        if counts.longestSentence > configuration.maxSentenceLength {
            warnings.append(.longLines(
                source: name, longest: counts.longestSentence, maxSentenceLength: configuration.maxSentenceLength))
        }
        // Both change words silently: the mark sticks to the first word, bad bytes become U+FFFD.
        if counts.startsWithByteOrderMark { warnings.append(.byteOrderMark(source: name)) }
        if let offset = counts.firstInvalidUTF8Offset {
            warnings.append(.invalidUTF8(source: name, line: source.flatMap { try? TextPosition.line(ofByte: offset, in: $0) }))
        }
        return warnings
    }

    private static func percent(_ part: Int, of whole: Int) -> String {
        let value = Double(part) * 100 / Double(whole)
        return value > 0 && value < 1 ? "<1%" : "\(Int(value.rounded()))%"
    }
}
