/// Translates the original C tool's command line (`-train F -output F -size 200 -cbow 1 ...`) into
/// this tool's `train` command, so existing scripts keep working unchanged.
enum LegacyArguments {
    struct Failure: Error { let message: String }

    /// C flags whose value carries over as the value of one of our options.
    static let renamed: [String: String] = [
        "-train": "--input", "-output": "--output", "-size": "--dim", "-window": "--window",
        "-sample": "--sample", "-negative": "--negative", "-iter": "--epochs", "-threads": "--threads",
        "-min-count": "--min-count", "-alpha": "--alpha", "-save-vocab": "--save-vocab",
        "-read-vocab": "--read-vocab", "-classes": "--classes",
    ]
    /// C flags that take 0 or 1 and become one of our boolean flags or a choice.
    static let switches: Set<String> = ["-hs", "-binary", "-cbow", "-debug"]

    /// `arguments` unchanged unless they start with a C-style flag, else the equivalent `train` call.
    static func translate(_ arguments: [String]) throws -> [String] {
        guard let first = arguments.first, renamed[first] != nil || switches.contains(first) else {
            return arguments
        }
        var result = ["train"]
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            guard renamed[flag] != nil || switches.contains(flag) else {
                throw Failure(message: "unknown option '\(flag)' (original word2vec spelling)")
            }
            guard index + 1 < arguments.count else { throw Failure(message: "option '\(flag)' needs a value") }
            let value = arguments[index + 1]
            index += 2
            if let ours = renamed[flag] {
                result += [ours, value]
                continue
            }
            guard let number = Int(value) else {
                throw Failure(message: "option '\(flag)' takes an integer, got '\(value)'")
            }
            switch flag {
            case "-hs": if number != 0 { result.append("--hs") }
            case "-binary": if number != 0 { result.append("--binary") }
            case "-cbow": result += ["--model", number != 0 ? "cbow" : "skipgram"]
            default: if number == 0 { result.append("--quiet") }  // -debug
            }
        }
        return result
    }
}
