import ArgumentParser
import Word2Vec

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
            TrainCommand.self, SimilarCommand.self, AnalogyCommand.self, EvaluateCommand.self,
            PhrasesCommand.self, ClassesCommand.self, ConvertCommand.self, UpdateCommand.self,
            VectorCommand.self, SimilarityCommand.self, NSimilarityCommand.self, DoesntMatchCommand.self,
            SentenceVectorCommand.self, Doc2VecCommand.self, ItemsCommand.self, PlotCommand.self,
            TokenizeCommand.self,
        ]
    )

    /// Parses (translating the original tool's single-dash spelling first), runs, and reports any
    /// failure as one line on stderr with a non-zero exit status.
    static func main() {
        TemporaryFiles.installSignalHandlers()
        let arguments = Array(CommandLine.arguments.dropFirst())
        var translated = arguments
        do {
            translated = try LegacyArguments.translate(arguments)
            var command = try parseAsRoot(translated)
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
