import ArgumentParser
import Word2Vec

/// `--checkpoint-every` and `--resume`, shared by `train` and `doc2vec train`, with the steps of a
/// resumed run that do not depend on what is trained.
struct ResumeOptions: ParsableArguments {
    @Option(help: "Save the model to --save-model every this many seconds while training.")
    var checkpointEvery: Double?
    @Option(help: ArgumentHelp(
        "Continue the run saved in this model file, with its configuration and state (training options are refused).",
        valueName: "model"))
    var resume: String?

    /// `--checkpoint-every`, which saves to `modelPath`; `nil` without the option.
    /// - Throws: `ValidationError` if the interval is not a positive number or there is no model file.
    func checkpointInterval(modelPath: String?) throws -> Double? {
        guard let seconds = checkpointEvery else { return nil }
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--checkpoint-every must be a positive number of seconds") }
        guard modelPath != nil else { throw ValidationError("--checkpoint-every needs --save-model (where checkpoints go)") }
        return seconds
    }

    /// The file a resumed run reads: `input`, or else the one the saved run read. `data` names what
    /// it holds ("text", "documents") in the error.
    /// - Throws: `ValidationError` if that is standard input, which cannot be read a second time.
    static func input(_ input: String?, of model: Model, data: String) throws -> String {
        let input = input ?? model.state.corpusName
        guard input != "-" else {
            throw ValidationError("--resume: the run read standard input, which cannot be read twice; resuming needs the same \(data) as a file: --input FILE")
        }
        return input
    }

    /// Refuses the first flag among `arguments` (the command's own, after the subcommand names) that
    /// sets something a resumed run takes from its model: silently training 5 more epochs when the
    /// user asked for 10 is worse than saying no.
    /// - Parameter settings: the flags that are ignored on resume, with two dashes.
    /// - Throws: `Word2VecError.invalidOption` naming the flag.
    static func refuseSettings(_ settings: Set<String>, in arguments: [String], model: String) throws {
        for argument in arguments {
            if argument == "--" { break }
            let name = String(argument.prefix { $0 != "=" })
            let flag = name.hasPrefix("--no-") ? "--" + name.dropFirst(5) : name
            if settings.contains(name) || settings.contains(flag) {
                throw Word2VecError.invalidOption(
                    name, "cannot be used with --resume: the run goes on with the settings saved in '\(model)' (leave \(name) out, or start a new run)")
            }
        }
    }

    /// The flags of `options` (`--min-count` for `minCount`), as the parser names them by default.
    static func flags(of options: some ParsableArguments) -> Set<String> {
        var flags = Set<String>()
        for case let (label?, _) in Mirror(reflecting: options).children {
            var flag = "-"
            for character in label.drop(while: { $0 == "_" }) {
                if character.isUppercase { flag += "-" + character.lowercased() } else { flag.append(character) }
            }
            flags.insert("-" + flag)
        }
        return flags
    }

    /// Says on standard error where the run saved in `model` (read from `path`) goes on.
    static func announce(_ model: Model, from path: String) {
        Output.standardError(model.state.isComplete
            ? "\(path): training is complete; nothing to resume\n"
            : "resuming \(path): epoch \(model.state.epoch + 1) of \(model.state.epochs), \(model.state.processedWords) words done\n")
    }
}
