import Foundation
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
                write(String(
                    format: "\rprogress: %5.1f%%  alpha: %.6f  words/s: %@  eta: %@   ",
                    p.fraction * 100, Double(p.learningRate), Self.count(p.wordsPerSecond),
                    Self.duration(p.remainingSeconds)))
            case .epochFinished(let e):
                write(String(
                    format: "\repoch %d/%d  mean loss: %.4f  words/s: %@  elapsed: %@%@\n",
                    e.epoch + 1, e.epochs, e.meanLoss, Self.count(e.wordsPerSecond),
                    Self.duration(e.elapsedSeconds), String(repeating: " ", count: 20)))
            }
        }
    }

    func finished(_ path: String) { write("wrote \(path)\n") }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func count(_ value: Double) -> String {
        value >= 1e6 ? String(format: "%.2fM", value / 1e6) : String(format: "%.0fk", value / 1e3)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
