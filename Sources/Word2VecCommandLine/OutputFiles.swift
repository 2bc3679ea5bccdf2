import Word2Vec

/// What a command-line tool does about its output files before and while it runs: plumbing that
/// `word2vec` and `word2vec-mpi` share and that a library user does not need.
public enum OutputFiles {
    /// Throws now if an output could not be written at `path` (the check the atomic writer makes: a
    /// writable directory, not a directory, not a read-only file), so that a long run fails at once
    /// rather than at its end. Creates nothing.
    public static func checkWritable(_ path: String) throws { _ = try AtomicFile(path: path) }

    /// Makes SIGINT, SIGTERM and SIGHUP remove the temporary files of outputs being written, end the
    /// current line on standard error and exit with 128 + the signal's number. Call once, early.
    public static func removeTemporaryFilesOnSignals() { TemporaryFiles.installSignalHandlers() }
}
