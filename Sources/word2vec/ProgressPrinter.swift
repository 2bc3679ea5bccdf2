import Synchronization
import Word2Vec

/// Prints training progress on stderr and a line per finished epoch with its mean loss.
///
/// The two losses are different measures, each labelled: the progress line shows the first worker
/// thread's mean loss per prediction so far in the epoch (the only one known mid-epoch without
/// synchronising threads), the epoch line the mean over all threads' predictions of the whole epoch.
/// Mid-epoch the first is higher while the loss still falls, and it covers only that thread's part
/// of the text.
///
/// On a terminal the progress line is rewritten in place a few times a second. Written to a file or
/// a pipe, carriage returns would make one huge line per epoch, so a plain line is printed every
/// `interval` seconds instead.
final class ProgressPrinter: Sendable {
    private let rewritesLine: Bool
    private let interval: Double
    /// Elapsed seconds (as the bits of a `Double`) at the last plain progress line.
    private let lastLine = Atomic<UInt64>(0)
    /// The previous epoch's mean loss (the bits of a `Double`; NaN before the first epoch).
    private let previousLoss = Atomic<UInt64>(Double.nan.bitPattern)
    private let explainedRise = Atomic<Bool>(false)
    /// What the command adds to the note printed the first time an epoch's loss exceeds the
    /// previous one's.
    private let risingLossHint: String

    /// - Parameter risingLossHint: why the loss may rise with this command's settings, and how to
    ///   judge the vectors instead.
    init(rewritesLine: Bool = Output.standardErrorIsTerminal, interval: Double = 5,
         risingLossHint: String = "judge the vectors by a task (word2vec evaluate)") {
        self.rewritesLine = rewritesLine
        self.interval = interval
        self.risingLossHint = risingLossHint
    }

    /// Reports the vocabulary, and that counting dropped rare words (`prunedBelow` > 0) to bound its
    /// memory.
    func vocabulary(_ vocabulary: Vocabulary, prunedBelow: Int = 0) {
        if prunedBelow > 0 {
            write("counting: pruned words seen fewer than \(prunedBelow) times to stay within the memory limit"
                  + " (--max-distinct-words)\n")
        }
        write("vocabulary: \(vocabulary.count) words, \(vocabulary.totalCount) tokens\n")
    }

    var report: @Sendable (TrainingEvent) -> Void {
        { [self] event in
            switch event {
            case .progress(let p):
                let text = "epoch \(p.epoch + 1)/\(p.epochs)  "
                    + String(cFormat: "progress: %5.1f%%  loss (thread 1, epoch so far): %.4f  alpha: %.6f", p.fraction * 100, p.meanLoss,
                             Double(p.learningRate))
                    + "  words/s: \(Self.count(p.wordsPerSecond))  eta: \(Self.duration(p.remainingSeconds))"
                if rewritesLine {
                    Output.progressLine("\r\(text)   ", open: true)
                } else if p.elapsedSeconds - Double(bitPattern: lastLine.load(ordering: .relaxed)) >= interval {
                    lastLine.store(p.elapsedSeconds.bitPattern, ordering: .relaxed)
                    write(text + "\n")
                }
            case .epochFinished(let e):
                let loss = String(cFormat: "%.4f", e.meanLoss)
                let text = "epoch \(e.epoch + 1)/\(e.epochs)  mean loss (all threads): \(loss)  words/s: \(Self.count(e.wordsPerSecond))"
                    + "  elapsed: \(Self.duration(e.elapsedSeconds))"
                if rewritesLine {
                    Output.progressLine("\r\(text)\(String(repeating: " ", count: 30))\n", open: false)
                } else {
                    write(text + "\n")
                }
                let previous = Double(bitPattern: previousLoss.exchange(e.meanLoss.bitPattern, ordering: .relaxed))
                if e.meanLoss > previous, !explainedRise.exchange(true, ordering: .relaxed) {
                    write("word2vec: note: the mean loss rose (\(String(cFormat: "%.4f", previous)) -> \(loss)). It is the training loss per "
                          + "prediction as SGD makes it, not a score of the vectors: it rises when the vectors grow more "
                          + "confident on pairs the text does not predict; \(risingLossHint)\n")
                }
            }
        }
    }

    func finished(_ path: String) { write("wrote \(displayName(path))\n") }

    /// Prints what every training command prints of a session: progress, and each file written.
    func handle(_ event: TrainingSession.Event) {
        switch event {
        case let .training(event): report(event)
        case let .wrote(path): finished(path)
        case .started, .counted, .trained: break
        }
    }

    private func write(_ text: String) {
        Output.standardError(text)
    }

    static func count(_ value: Double) -> String {
        value >= 1e6 ? String(cFormat: "%.2fM", value / 1e6) : String(cFormat: "%.0fk", value / 1e3)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e8 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(cFormat: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(cFormat: "%d:%02d", s / 60, s % 60)
    }
}
