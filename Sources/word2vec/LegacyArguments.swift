import Word2Vec

/// Rewrites the spellings users of other tools already type into this tool's own, before parsing:
///
/// - the original C tool's command line (`word2vec -train F -output F -size 200 -cbow 1 ...`, also
///   with double dashes: `--train F --size 200`) becomes a `train` call;
/// - fastText's command form (`word2vec skipgram|cbow -input F -output P -dim 100 ...`) becomes a
///   `train` call that writes `P.vec` and the model `P.model`;
/// - after `train` (also `doc2vec train`, `items train`), the single-dash names of the C tool and
///   fastText (`-size`, `-dim`, `-ws`, `-epoch`, `-minCount`, `-lr`, `-thread`, `-neg`, `-loss`, ...)
///   and gensim's parameter names (`--vector-size`, `--sg 1`, `--workers`, `--iter`, `--hs 1`,
///   `--min_count`, ...) become ours;
/// - everywhere, `-name` becomes `--name` (no option has a one-dash name but `-h`), and `--flag -1`
///   becomes `--flag=-1`, so that a negative value reaches the option's own range check instead of
///   being taken for a flag.
enum LegacyArguments {
    struct Failure: Error { let message: String }

    /// C flags whose value carries over as the value of one of our options: the training settings'
    /// (`TrainingSetting.Spellings.cTool`) and the files'.
    static let renamed: [String: String] = spellings(\.cTool).merging([
        "-train": "--input", "-output": "--output", "-save-vocab": "--save-vocab", "-read-vocab": "--read-vocab",
        "-classes": "--classes",
    ]) { setting, _ in setting }
    /// C flags that take 0 or 1 and become one of our boolean flags or a choice.
    static let switches: Set<String> = ["-hs", "-binary", "-cbow", "-debug"]

    /// fastText's single-dash names whose value carries over (`-output` is a prefix in its command
    /// form, handled there).
    static let fastText: [String: String] = spellings(\.fastText).merging(["-input": "--input"]) { setting, _ in setting }

    /// gensim's parameter names (as `--kebab-case`, after `_` became `-`) that differ from ours.
    static let gensim: [String: String] = Dictionary(uniqueKeysWithValues: TrainingConfiguration.settings.flatMap { setting in
        setting.spellings.gensim.map { ($0, setting.flag!) }
    }).merging(["--max-vocab-size": "--max-distinct-words"]) { setting, _ in setting }

    /// Another tool's single names of the training settings, as a map to our flags.
    private static func spellings(_ name: KeyPath<TrainingSetting.Spellings, String?>) -> [String: String] {
        Dictionary(uniqueKeysWithValues: TrainingConfiguration.settings.compactMap { setting in
            setting.spellings[keyPath: name].map { ($0, setting.flag!) }
        })
    }

    /// fastText's query commands with an equivalent here: `print-word-vectors MODEL`,
    /// `print-sentence-vectors MODEL` (both reading standard input), `nn MODEL [K]`.
    static let fastTextQueries = ["print-word-vectors": "vector", "print-sentence-vectors": "sentence-vector", "nn": "similar"]

    /// `arguments` with every spelling above rewritten to this tool's.
    static func translate(_ arguments: [String]) throws -> [String] {
        guard let first = arguments.first else { return arguments }
        let result: [String]
        if isCFlag(first) {
            result = try translateCTool(arguments)
        } else if first == "skipgram" || first == "cbow" {
            result = try translateFastText(arguments)
        } else if let command = fastTextQueries[first] {
            result = try translateFastTextQuery(command, Array(arguments.dropFirst()))
        } else if ["supervised", "test", "test-label", "predict", "predict-prob", "quantize"].contains(first) {
            throw Failure(message: "'\(first)' is fastText's text classification, which word2vec does not do; "
                + "for word vectors use 'word2vec skipgram|cbow -input FILE -output PREFIX'")
        } else {
            // A training command: `train`, or a command's `train` (`doc2vec train`, `items train`).
            let path = arguments.prefix { !$0.hasPrefix("-") }
            if path.first == "train" || path.dropFirst().first == "train" {
                result = Array(path) + (try translateTraining(Array(arguments.dropFirst(path.count))))
            } else {
                result = arguments
            }
        }
        return joiningNegativeValues(result)
    }

    /// Whether `flag` is one of the C tool's, with one dash or two.
    private static func isCFlag(_ flag: String) -> Bool {
        let single = flag.hasPrefix("--") ? String(flag.dropFirst()) : flag
        return renamed[single] != nil || switches.contains(single)
    }

    private static func translateCTool(_ arguments: [String]) throws -> [String] {
        var result = ["train"]
        var index = 0
        while index < arguments.count {
            let given = arguments[index]
            let flag = given.hasPrefix("--") ? String(given.dropFirst()) : given
            guard renamed[flag] != nil || switches.contains(flag) else {
                throw Failure(message: "unknown option '\(given)' (original word2vec spelling: -train FILE -output FILE ...)")
            }
            let value = try value(after: &index, in: arguments)
            if let ours = renamed[flag] {
                result += [ours, value]
            } else {
                result += try translateSwitch(flag, value, as: given)
            }
        }
        return result
    }

    /// The C tool's 0/1 switches as our flags.
    private static func translateSwitch(_ flag: String, _ value: String, as given: String) throws -> [String] {
        let on = try zeroOrOne(value, given)
        switch flag {
        case "-hs": return on ? ["--hs"] : []
        // Explicit either way: `-binary 0 -output v.bin` writes text, as the C tool does.
        case "-binary": return on ? ["--binary"] : ["--no-binary"]
        case "-cbow": return ["--model", on ? "cbow" : "skipgram"]
        default: return on ? [] : ["--quiet"]  // -debug
        }
    }

    /// `word2vec skipgram|cbow -input F -output P ...`: fastText's unsupervised training. fastText
    /// writes `P.bin` (its model) and `P.vec` (text vectors); here `P.vec` and `P.model` (this tool's
    /// model file, for `similar`, `vector` and the other queries).
    private static func translateFastText(_ arguments: [String]) throws -> [String] {
        var rest = Array(arguments.dropFirst())
        var prefix: String?
        var index = 0
        while index < rest.count {
            if rest[index] == "-output" || rest[index] == "--output" {
                var at = index
                prefix = try value(after: &at, in: rest)
                rest.removeSubrange(index..<at)
            } else {
                index += 1
            }
        }
        guard let prefix else {
            throw Failure(message: "\(arguments[0]): -output PREFIX is required (writes PREFIX.vec and PREFIX.model)")
        }
        // fastText's subword defaults first, so that the user's -minn/-maxn/-bucket (later) win.
        // fastText draws negatives from count^0.5 (a constant in its source, not a flag); with it our
        // vectors match fastText's accuracy and misspelling similarity (docs/performance-notes.md,
        // "Subwords").
        return ["train", "--model", arguments[0] == "cbow" ? "cbow" : "skipgram",
                "--output", prefix + ".vec", "--save-model", prefix + ".model",
                "--minn", "3", "--maxn", "6", "--bucket", "2000000", "--ns-exponent", "0.5"] + (try translateTraining(rest))
    }

    /// `nn MODEL K` as `similar MODEL --top K` (fastText's K is a positional argument); the others
    /// keep their arguments.
    private static func translateFastTextQuery(_ command: String, _ arguments: [String]) throws -> [String] {
        if command == "similar", arguments.count == 2, let k = Int(arguments[1]) {
            return [command, arguments[0], "--top", String(k)]
        }
        return [command] + arguments
    }

    /// The options of a training command, with the other tools' names rewritten; our own pass through.
    private static func translateTraining(_ arguments: [String]) throws -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            var flag = arguments[index]
            if flag == "--" {
                result += arguments[index...]
                break
            }
            // gensim's keyword arguments, min_count=5 written as --min_count 5.
            if flag.hasPrefix("--"), flag.contains("_") {
                let name = flag.prefix { $0 != "=" }
                flag = name.replacingUnderscores() + flag.dropFirst(name.count)
            }
            if let equals = flag.firstIndex(of: "="), flag.hasPrefix("-") {
                // --name=value: translated as the two words it stands for.
                let name = String(flag[..<equals]), value = String(flag[flag.index(after: equals)...])
                if let translated = try translateOption(name, value: { value }) {
                    result += translated
                } else {
                    result.append(flag)
                }
                index += 1
                continue
            }
            // gensim's hs=1 and the C tool's switches with two dashes; our --hs and --binary alone
            // stay flags.
            if ["--hs", "--binary", "--cbow", "--debug"].contains(flag) {
                let hasValue = index + 1 < arguments.count && Int(arguments[index + 1]) != nil
                if hasValue || flag == "--cbow" || flag == "--debug" {
                    var at = index
                    result += try translateSwitch(String(flag.dropFirst()), try value(after: &at, in: arguments), as: flag)
                    index = at
                    continue
                }
            }
            var at = index
            if let translated = try translateOption(flag, value: { try value(after: &at, in: arguments) }) {
                result += translated
                index = at
            } else {
                result.append(flag)
                index += 1
            }
        }
        return result
    }

    /// The arguments for one option of another tool, or `nil` if `flag` is ours (or unknown: the
    /// parser names it then). `value` reads the option's value.
    private static func translateOption(_ flag: String, value: () throws -> String) throws -> [String]? {
        if let ours = renamed[flag] ?? fastText[flag] ?? gensim[flag] {
            return [ours, try value()]
        }
        if switches.contains(flag) {
            return try translateSwitch(flag, try value(), as: flag)
        }
        switch flag {
        case "--sg":
            return ["--model", try zeroOrOne(try value(), flag) ? "skipgram" : "cbow"]
        case "--train":
            return ["--input", try value()]
        case "--cbow-mean":
            return try zeroOrOne(try value(), flag) ? [] : ["--cbow-sum"]
        case "-verbose":
            return try Int(value()) == 0 ? ["--quiet"] : []
        case "-loss":
            let loss = try value()
            switch loss {
            case "ns", "hs", "softmax": return ["--loss", loss]
            default:
                throw Failure(message: "-loss takes ns, hs or softmax, got '\(loss)'")
            }
        case "-lrUpdateRate":
            // fastText updates its rate every so many tokens; here it decays continuously.
            _ = try value()
            return []
        case "-wordNgrams":
            let given = try value()
            guard Int(given) == 1 else {
                throw Failure(message:
                    "-wordNgrams \(given): word n-grams serve fastText's text classification, which word2vec does not do; use -wordNgrams 1 or leave it out")
            }
            return []
        default:
            return nil
        }
    }

    private static func value(after index: inout Int, in arguments: [String]) throws -> String {
        guard index + 1 < arguments.count else {
            throw Failure(message: "option '\(arguments[index])' needs a value")
        }
        index += 2
        return arguments[index - 1]
    }

    private static func zeroOrOne(_ value: String, _ flag: String) throws -> Bool {
        guard let number = Int(value) else {
            throw Failure(message: "option '\(flag)' takes 0 or 1, got '\(value)'")
        }
        return number != 0
    }

    /// `-name` as `--name`, and `--flag -1` as `--flag=-1`: the parser would take `-1` for a short
    /// flag and report a missing value, hiding the option's own range message.
    private static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            if flag == "--" {
                result += arguments[index...]
                break
            }
            // No option has a one-dash name here (but -h), so -output means --output; the parser would
            // take it for short flags and report a required --output as missing.
            let name = isSingleDashName(flag) ? "-" + flag : flag
            if name.hasPrefix("--"), name.count > 2, !name.contains("="), index + 1 < arguments.count,
               isNegativeNumber(arguments[index + 1]) {
                result.append(name + "=" + arguments[index + 1])
                index += 2
            } else {
                result.append(name)
                index += 1
            }
        }
        return result
    }

    private static func isSingleDashName(_ text: String) -> Bool {
        let characters = Array(text.prefix(2))
        return characters.count == 2 && characters[0] == "-" && characters[1].isLetter && text != "-h"
            && !isNegativeNumber(text)
    }

    /// `-1`, `-0.5`, `-1e3`, also `-inf` and `-nan`, which the options' own checks refuse by name.
    private static func isNegativeNumber(_ text: String) -> Bool {
        text.count > 1 && text.hasPrefix("-") && Double(text) != nil
    }
}

extension StringProtocol {
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
