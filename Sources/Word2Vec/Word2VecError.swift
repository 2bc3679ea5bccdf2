/// Everything that can go wrong with user input or files. Each case reads as one line that names the
/// file, line, word or setting at fault.
///
/// Switch on the case to react to a kind of failure (a command-line tool maps them to exit
/// statuses); the description is for people and may be reworded between versions. Descriptions
/// name settings the way Swift code does (`TrainingConfiguration.minCount`), never a command-line
/// flag: a command-line client renames them (see `invalidConfiguration`).
public enum Word2VecError: Error, CustomStringConvertible, Equatable {
    /// A file cannot be opened or read (missing, a directory, not text, an I/O error).
    case unreadableFile(String, reason: String)
    /// A file cannot be created or written (no directory, no permission, disk full).
    case unwritableFile(String, reason: String)
    /// A corpus, named by its `name`, holds no word at all.
    case emptyCorpus(String)
    /// A corpus holds words, but none occurs `minCount` times.
    case noWordReachesMinCount(String, minCount: Int)
    /// An argument of a call (or an input that is not a file) is out of range or inconsistent; the
    /// first value names it, the second says what is wrong.
    case invalidOption(String, String)
    /// A setting of a configuration value (`TrainingConfiguration`, `PhraseConfiguration`, ...) is
    /// out of range or contradicts another. `setting` is `Type.property`; `problem` completes the
    /// sentence and refers to other settings by their `Type.property` names too, so that a client
    /// can replace every such name with its own spelling.
    case invalidConfiguration(setting: String, problem: String)
    /// A text file is malformed at a line (1-based).
    case malformedFile(String, line: Int, String)
    /// A binary file is malformed at a byte offset.
    case malformedData(String, offset: Int, String)
    /// A word asked about is not in the vocabulary.
    case unknownWord(String)
    /// Several words asked about are not in the vocabulary (in the order asked).
    case unknownWords([String])
    /// A vector given to a query has `actual` components where the embeddings have `expected`.
    case dimensionMismatch(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason): "cannot read '\(WordSpelling.shownPath(path))': \(reason)"
        case let .unwritableFile(path, reason): "cannot write '\(WordSpelling.shownPath(path))': \(reason)"
        case let .emptyCorpus(source): "\(WordSpelling.shownPath(source)) contains no words"
        case let .noWordReachesMinCount(source, minCount):
            "no word in \(WordSpelling.shownPath(source)) occurs at least \(minCount) times (the minimum count)"
        case let .invalidOption(name, problem): "\(name) \(problem)"
        case let .invalidConfiguration(setting, problem): "\(setting) \(problem)"
        case let .malformedFile(path, line, problem): "\(WordSpelling.shownPath(path)):\(line): \(problem)"
        case let .malformedData(path, offset, problem): "\(WordSpelling.shownPath(path)): at byte \(offset): \(problem)"
        case let .unknownWord(word): "word \(WordSpelling.quoted(word)) is not in the vocabulary"
        case let .unknownWords(words) where words.count == 1: Self.unknownWord(words[0]).description
        case let .unknownWords(words):
            "words \(Self.list(words)) are not in the vocabulary"
        case let .dimensionMismatch(expected, actual):
            "the vector has \(actual) components, the embeddings \(expected)"
        }
    }

    /// Words or settings for one line: the first five, then how many more.
    static func list(_ words: [String]) -> String {
        var names = words.prefix(5).map(WordSpelling.quoted).joined(separator: ", ")
        if words.count > 5 { names += " and \(words.count - 5) more" }
        return names
    }
}
