import ArgumentParser
import Word2Vec
import Word2VecCommandLine

@main
struct Word2VecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "word2vec",
        abstract: "Train and use word embeddings (word2vec).",
        discussion: """
            Other tools' spellings are accepted too, for example:
              word2vec -train t.txt -output v.bin -size 200 -window 5 -cbow 1 -binary 1
              word2vec skipgram -input t.txt -output v -dim 100 -epoch 5   (fastText)
              word2vec train --input t.txt --output v --vector-size 100 --sg 1   (gensim)
            A file argument of - means standard input or output.

            Exit status: 0 success; 1 a queried word is not in the vocabulary; 64 bad command line; \
            65 bad input data (malformed file, no usable words); 66 an input cannot be read; 73 an \
            output cannot be written; 128+N killed by signal N (the partial output is removed).
            """,
        version: Word2VecCommand.version,
        subcommands: [
            TrainCommand.self, SimilarCommand.self, IndexCommand.self, AnalogyCommand.self, EvaluateCommand.self,
            PhrasesCommand.self, ClassesCommand.self, ConvertCommand.self, UpdateCommand.self,
            VectorCommand.self, SimilarityCommand.self, NSimilarityCommand.self, DoesntMatchCommand.self,
            SentenceVectorCommand.self, Doc2VecCommand.self, ItemsCommand.self, PlotCommand.self,
            TokenizeCommand.self, ServeCommand.self,
        ]
    )

    /// Parses (translating the original tool's single-dash spelling first), runs, and reports any
    /// failure as one line on stderr with a non-zero exit status.
    static func main() {
        OutputFiles.removeTemporaryFilesOnSignals()
        let arguments = Array(CommandLine.arguments.dropFirst())
        var translated = arguments
        do {
            translated = try LegacyArguments.translate(arguments)
            if let message = unknownCommand(in: translated) {
                fail(message, status: ExitStatus.usage.rawValue)
            }
            var command = try parseAsRoot(translated)
            if let resumable = command as? ResumableCommand, let model = resumable.resuming.resume {
                try ResumeOptions.refuseSettings(resumable.settingsTakenFromTheModel, in: translated, model: model)
            }
            try command.run()
        } catch let error as Word2VecError {
            fail(ErrorMessages.message(for: error), status: ExitStatus.of(error).rawValue)
        } catch let error as LegacyArguments.Failure {
            fail(error.message, status: ExitStatus.usage.rawValue)
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                print(fullMessage(for: error))
                Output.exit(0)
            }
            // Help and usage texts are long by nature; real parse errors are one line.
            var message = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            // The parser names a missing required option before an unknown one, which hides a typo
            // (`--outptu x` reads as "missing --output").
            if message.contains("Missing expected argument"), let unknown = unknownOption(in: translated) {
                message = "Unknown option '\(unknown)'"
            }
            fail(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message, status: status.rawValue)
        }
    }

    static let version = "0.1.0"

    /// The first `--name` among `arguments` that the command they call does not have.
    static func unknownOption(in arguments: [String]) -> String? {
        var command: ParsableCommand.Type = Word2VecCommand.self
        var rest = arguments[...]
        while let word = rest.first,
              let subcommand = command.configuration.subcommands.first(where: { $0._commandName == word }) {
            command = subcommand
            rest = rest.dropFirst()
        }
        let help = Word2VecCommand.helpMessage(for: command, includeHidden: true, columns: 10_000)
        for token in rest {
            if token == "--" { break }
            guard token.hasPrefix("--") else { continue }
            let name = String(token.prefix { $0 != "=" })
            if ![" ", ",", "\n"].contains(where: { help.contains(name + $0) }) { return name }
        }
        return nil
    }

    /// A message naming the first word of `arguments` that stands where a subcommand must be but is
    /// none, with the nearest subcommand's name when one is close. The parser would instead blame
    /// the first option that the parent command lacks (`trian --input x`: "Unknown option
    /// '--input'"), or count the words as unexpected arguments, hiding the typo.
    static func unknownCommand(in arguments: [String]) -> String? {
        var command: ParsableCommand.Type = Word2VecCommand.self
        var path = ["word2vec"]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !word.hasPrefix("-"), word != "help" else { return nil }
            guard let subcommand = subcommands.first(where: { $0._commandName == word }) else {
                let names = subcommands.map { $0._commandName }
                let within = path.count > 1 ? " of '\(path.joined(separator: " "))'" : ""
                // A control character (a newline pasted in) is escaped so that the message stays one line.
                let shown = word.unicodeScalars.contains { $0.properties.generalCategory == .control }
                    ? word.debugDescription : "'\(word)'"
                if let nearest = nearestName(to: word, among: names) {
                    return "unknown command \(shown)\(within); did you mean '\(nearest)'?"
                }
                return "unknown command \(shown)\(within); commands: \(names.joined(separator: ", "))"
            }
            command = subcommand
            path.append(word)
        }
        return nil
    }

    /// The name in `names` fewest edits away from `word` (a transposition counts as one edit), if
    /// it is near enough to be a typo rather than another word.
    static func nearestName(to word: String, among names: [String]) -> String? {
        let scored = names.map { (name: $0, distance: editDistance(Array(word.lowercased()), Array($0))) }
        guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
        return best.distance <= max(1, min(3, word.count / 2)) ? best.name : nil
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    /// neighbours, each one edit.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }

    static func fail(_ message: String, status: Int32) -> Never {
        // The library shows paths and words with their control characters escaped; a name that
        // reaches a message another way (an option's text, the parser's) must not split it either.
        let line = String(String.UnicodeScalarView(message.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F ? "?" : $0
        }))
        Output.standardError("word2vec: error: \(line)\n")
        Output.exit(status)
    }
}

/// A training command with `--resume`, which takes its settings from the saved model.
protocol ResumableCommand {
    var resuming: ResumeOptions { get }
    /// The flags that a resumed run would ignore; given with `--resume`, they are refused.
    var settingsTakenFromTheModel: Set<String> { get }
}

/// The exit statuses, after BSD's sysexits.h where one fits, so that scripts can tell a typo in the
/// command from bad data and from a file problem.
enum ExitStatus: Int32 {
    case success = 0
    /// A queried word is not in the vocabulary: no answer, as grep's 1 for no match.
    case unknownWord = 1
    /// EX_USAGE: unknown option, missing or out-of-range value.
    case usage = 64
    /// EX_DATAERR: an input is malformed, or holds nothing to learn from.
    case dataError = 65
    /// EX_NOINPUT: an input file does not exist or cannot be read.
    case noInput = 66
    /// EX_CANTCREAT: an output cannot be created or written.
    case cannotCreate = 73

}
