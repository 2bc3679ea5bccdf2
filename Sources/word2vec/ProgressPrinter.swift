import Word2Vec

/// Prints training progress on stderr: a line rewritten in place while an epoch runs, and a line per
/// finished epoch with its mean loss.
final class ProgressPrinter: Sendable {
    func vocabulary(_ vocabulary: Vocabulary) {
        write("vocabulary: \(vocabulary.count) words, \(vocabulary.totalCount) tokens\n")
    }

    var report: @Sendable (TrainingEvent) -> Void {
        { [self] event in
            switch event {
            case .progress(let p):
                let head = String(cFormat: "\rprogress: %5.1f%%  alpha: %.6f", p.fraction * 100, Double(p.learningRate))
                write("\(head)  words/s: \(Self.count(p.wordsPerSecond))  eta: \(Self.duration(p.remainingSeconds))   ")
            case .epochFinished(let e):
                let loss = String(cFormat: "%.4f", e.meanLoss)
                write("\repoch \(e.epoch + 1)/\(e.epochs)  mean loss: \(loss)  words/s: \(Self.count(e.wordsPerSecond))"
                      + "  elapsed: \(Self.duration(e.elapsedSeconds))\(String(repeating: " ", count: 20))\n")
            }
        }
    }

    func finished(_ path: String) { write("wrote \(path)\n") }

    private func write(_ text: String) {
        Output.standardError(text)
    }

    static func count(_ value: Double) -> String {
        value >= 1e6 ? String(cFormat: "%.2fM", value / 1e6) : String(cFormat: "%.0fk", value / 1e3)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(cFormat: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(cFormat: "%d:%02d", s / 60, s % 60)
    }
}
