/// Everything that can go wrong with user input or files. Each case reads as one line that names the
/// file, line or option at fault.
public enum Word2VecError: Error, CustomStringConvertible, Equatable {
    case unreadableFile(String, reason: String)
    case unwritableFile(String, reason: String)
    case emptyCorpus(String)
    case noWordReachesMinCount(String, minCount: Int)
    case invalidOption(String, String)
    case malformedFile(String, line: Int, String)
    case malformedData(String, offset: Int, String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason): "cannot read '\(path)': \(reason)"
        case let .unwritableFile(path, reason): "cannot write '\(path)': \(reason)"
        case let .emptyCorpus(source): "\(source) contains no words"
        case let .noWordReachesMinCount(source, minCount):
            "no word in \(source) occurs at least \(minCount) times (--min-count \(minCount))"
        case let .invalidOption(name, problem): "\(name) \(problem)"
        case let .malformedFile(path, line, problem): "\(path):\(line): \(problem)"
        case let .malformedData(path, offset, problem): "\(path): at byte \(offset): \(problem)"
        }
    }
}
