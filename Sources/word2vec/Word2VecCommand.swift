import ArgumentParser
import Word2Vec

@main
struct Word2VecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "word2vec",
        abstract: "Train and use word embeddings (word2vec).",
        discussion: """
            The original tool's spelling is accepted too, for example:
              word2vec -train text.txt -output vectors.bin -size 200 -window 5 -cbow 1 -binary 1
            """,
        subcommands: [
            TrainCommand.self, SimilarCommand.self, AnalogyCommand.self, EvaluateCommand.self,
            PhrasesCommand.self, ClassesCommand.self, ConvertCommand.self, UpdateCommand.self,
            VectorCommand.self, SimilarityCommand.self, NSimilarityCommand.self, DoesntMatchCommand.self,
            SentenceVectorCommand.self,
            ItemsCommand.self,
        ]
    )

    /// Parses (translating the original tool's single-dash spelling first), runs, and reports any
    /// failure as one line on stderr with a non-zero exit status.
    static func main() {
        TemporaryFiles.installSignalHandlers()
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(try LegacyArguments.translate(arguments))
            try command.run()
        } catch let error as Word2VecError {
            fail("\(error)", status: 1)
        } catch let error as LegacyArguments.Failure {
            fail(error.message, status: 64)
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                print(fullMessage(for: error))
                Output.exit(0)
            }
            // Help and usage texts are long by nature; real parse errors are one line.
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            fail(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message, status: status.rawValue)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        Output.standardError("word2vec: error: \(message)\n")
        Output.exit(status)
    }
}
