import Word2Vec

/// What a command-line tool does about its output files while it runs: plumbing that `word2vec` and
/// `word2vec-mpi` share and that a library user does not need. (Checking that outputs can be written
/// before the long work is `TrainingSession`'s.)
public enum OutputFiles {
    /// Makes SIGINT, SIGTERM and SIGHUP remove the temporary files of outputs being written, end the
    /// current line on standard error and exit with 128 + the signal's number. Call once, early.
    public static func removeTemporaryFilesOnSignals() { TemporaryFiles.installSignalHandlers() }
}
