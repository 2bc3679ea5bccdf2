import ArgumentParser
import Word2Vec

/// `--checkpoint-every` and `--resume`, shared by `train` and `doc2vec train`, with the steps of a
/// resumed run that do not depend on what is trained.
struct ResumeOptions: ParsableArguments {
    @Option(help: "Save the model to --save-model every this many seconds while training.")
    var checkpointEvery: Double?
    @Option(help: ArgumentHelp(
        "Continue the run saved in this model file (its configuration and state; training options are ignored).",
        valueName: "model"))
    var resume: String?

    /// Saves to `modelPath` every `--checkpoint-every` seconds; `nil` without the option.
    /// - Throws: `ValidationError` if the interval is not a positive number or there is no model file.
    func checkpointing(modelPath: String?) throws -> Checkpointing? {
        guard let seconds = checkpointEvery else { return nil }
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--checkpoint-every must be a positive number of seconds") }
        guard let modelPath else { throw ValidationError("--checkpoint-every needs --save-model (where checkpoints go)") }
        return Checkpointing(path: modelPath, interval: seconds)
    }

    /// The file a resumed run reads: `input`, or else the one the saved run read. `data` names what
    /// it holds ("text", "documents") in the error.
    /// - Throws: `ValidationError` if that is standard input, which cannot be read a second time.
    static func input(_ input: String?, of model: Model, data: String) throws -> String {
        let input = input ?? model.state.corpusName
        guard input != "-" else {
            throw ValidationError("--resume: the run read standard input; give the same \(data) again with --input")
        }
        return input
    }

    /// Finishes the run saved in `model` (read from `path`) on `corpus`, checkpointing to
    /// `modelPath`, and says on standard error where it starts unless `reporter` is `nil` (`--quiet`).
    func resume(_ model: Model, from path: String, corpus: some TrainingCorpus, modelPath: String,
                reporter: ProgressPrinter?) throws -> Model {
        if reporter != nil {
            Output.standardError(model.state.isComplete
                ? "\(path): training is complete; nothing to resume\n"
                : "resuming \(path): epoch \(model.state.epoch + 1) of \(model.state.epochs), \(model.state.processedWords) words done\n")
        }
        return try Trainer(configuration: model.configuration).resume(
            model, corpus: corpus, progress: reporter?.report, checkpoint: try checkpointing(modelPath: modelPath))
    }
}
