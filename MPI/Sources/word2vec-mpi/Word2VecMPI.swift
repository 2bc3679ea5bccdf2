import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Word2Vec
import Word2VecCommandLine


@main
struct Word2VecMPI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "word2vec-mpi",
        abstract: "Data-parallel word2vec training over MPI: mpirun -np K word2vec-mpi train <train options>.",
        subcommands: [MPITrainCommand.self]
    )

    nonisolated(unsafe) static var collective: MPICollective!

    /// MPI starts before the arguments are parsed, so that any failure can end every rank together.
    /// Errors every rank meets alike (the command line) are printed by rank 0 only; others by the
    /// rank that met them. Any failure calls MPI_Abort: the job ends at once with the status
    /// (mpirun kills the other ranks, whose signal handlers remove unfinished outputs).
    static func main() {
        // A rank waiting in a round (for a slower one) yields its core instead of spinning, unless
        // the user chose otherwise: ranks often share cores with other ranks or work.
        setenv("OMPI_MCA_mpi_yield_when_idle", "1", 0)
        let collective: MPICollective
        do {
            collective = try MPICollective()
        } catch {
            FileOutput.error("word2vec-mpi: error: \(error)\n")
            Glibc.exit(70)
        }
        Self.collective = collective
        OutputFiles.removeTemporaryFilesOnSignals()
        let arguments = Array(CommandLine.arguments.dropFirst())
        let command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                if collective.rank == 0 { print(fullMessage(for: error)) }
                collective.finalize()
                Glibc.exit(0)
            }
            if collective.rank == 0 {
                let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                FileOutput.error("word2vec-mpi: error: \(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)\n")
            }
            MPICollective.abort(64)
        }
        do {
            var command = command
            try command.run()
        } catch let error as Word2VecError {
            fail(error, status: ExitStatus.of(error))
        } catch let error as ValidationError {
            if collective.rank == 0 { FileOutput.error("word2vec-mpi: error: \(error)\n") }
            MPICollective.abort(64)
        } catch {
            fail(error, status: 70)
        }
        collective.finalize()
    }

    static func fail(_ error: Error, status: Int32) -> Never {
        let rank = collective.size > 1 ? "rank \(collective.rank): " : ""
        FileOutput.error("word2vec-mpi: error: \(rank)\(error)\n")
        MPICollective.abort(status)
    }
}

/// The exit statuses of `word2vec` (sysexits.h).
enum ExitStatus {
    static func of(_ error: Word2VecError) -> Int32 {
        switch error {
        case .unreadableFile: 66
        case .unwritableFile: 73
        case .emptyCorpus, .noWordReachesMinCount, .malformedFile, .malformedData: 65
        case .invalidOption, .invalidConfiguration, .dimensionMismatch: 64
        case .unknownWord, .unknownWords: 1
        }
    }
}

enum FileOutput {
    /// One write to standard error, so that lines of different ranks do not interleave.
    static func error(_ text: String) {
        var text = text
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
