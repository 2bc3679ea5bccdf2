#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Word2Vec

/// `path` as messages name it: `-` is standard output.
func displayName(_ path: String) -> String {
    path == "-" ? "standard output" : path
}

/// Checks that keep a command from writing over its own inputs.
enum OutputChecks {
    /// Throws `Word2VecError.invalidOption` naming the flags if an output would replace an input or
    /// another output of the same run: `--output corpus.txt` would otherwise destroy the corpus
    /// after training on it. Files are the same when they have the same device and inode (hard
    /// links, symbolic links, `./x` and `x` alike), or, for outputs not created yet, the same
    /// resolved path. Standard input (`-`) and devices are never the same as anything.
    static func refuseOverwriting(inputs: [(flag: String, path: String?)], outputs: [(flag: String, path: String?)]) throws {
        let inputs = inputs.compactMap { item in item.path.map { (item.flag, $0) } }
        let outputs = outputs.compactMap { item in item.path.map { (item.flag, $0) } }
        try refuseSharing("standard input", inputs.filter { $0.1 == "-" }.map(\.0))
        try refuseSharing("standard output", outputs.filter { $0.1 == "-" }.map(\.0))
        for (index, (outputFlag, output)) in outputs.enumerated() {
            for (otherFlag, other) in inputs + outputs[..<index] where sameFile(output, other) {
                throw Word2VecError.invalidOption(outputFlag, "names the same file as \(otherFlag) ('\(other)')")
            }
        }
    }

    /// Throws if more than one of `flags` names the stream `-` stands for: one would read what the
    /// other left (nothing), or the outputs would be mixed.
    static func refuseSharing(_ stream: String, _ flags: [String]) throws {
        if flags.count > 1 {
            throw Word2VecError.invalidOption(flags[1], "names \(stream) (-), as \(flags[0]) does; only one can")
        }
    }

    static func sameFile(_ a: String, _ b: String) -> Bool {
        if a == "-" || b == "-" { return false }
        var infoA = stat(), infoB = stat()
        let existsA = stat(a, &infoA) == 0, existsB = stat(b, &infoB) == 0
        if existsA && existsB {
            return infoA.st_mode & S_IFMT == S_IFREG && infoA.st_dev == infoB.st_dev && infoA.st_ino == infoB.st_ino
        }
        if existsA || existsB { return false }
        return resolved(a) == resolved(b)
    }

    /// The absolute path of `path`'s directory with links resolved, plus its last component.
    private static func resolved(_ path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let real = realpath(directory.isEmpty ? "/" : directory, nil) else { return path }
        defer { free(real) }
        return String(cString: real) + "/" + name
    }
}
