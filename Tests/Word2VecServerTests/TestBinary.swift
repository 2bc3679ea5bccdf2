import Foundation
import Testing

/// Path of the built `word2vec` executable next to the test bundle, if it was built.
func word2vecExecutable() -> URL? {
    var candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        candidates.append(bundle.bundleURL.deletingLastPathComponent())
    }
    return candidates.map { $0.appendingPathComponent("word2vec") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

struct CommandResult {
    var status: Int32
    var standardError: String
    var standardOutput: String
}

/// Runs the `word2vec` executable with `arguments`, feeding `input` to its standard input.
func runWord2Vec(_ arguments: [String], input: String = "") throws -> CommandResult {
    let executable = try #require(word2vecExecutable(), "the word2vec executable was not built")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let inputPipe = Pipe(), errorPipe = Pipe(), outputPipe = Pipe()
    process.standardInput = inputPipe
    process.standardError = errorPipe
    process.standardOutput = outputPipe
    try process.run()
    inputPipe.fileHandleForWriting.write(Data(input.utf8))
    try inputPipe.fileHandleForWriting.close()
    // Standard error on a thread of its own, so that neither pipe fills while the other is read.
    nonisolated(unsafe) var error = Data()
    let errorDone = NSCondition()
    nonisolated(unsafe) var finished = false
    let reader = Thread {
        let data = errorPipe.fileHandleForReading.readDataToEndOfFile()
        errorDone.lock()
        error = data
        finished = true
        errorDone.signal()
        errorDone.unlock()
    }
    reader.start()
    let output = outputPipe.fileHandleForReading.readDataToEndOfFile()
    errorDone.lock()
    while !finished { errorDone.wait() }
    errorDone.unlock()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, standardError: String(decoding: error, as: UTF8.self),
        standardOutput: String(decoding: output, as: UTF8.self))
}

/// A fresh temporary directory for one test's files.
func temporaryDirectory() throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("word2vec-server-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.path
}

/// Writes `text` to `path` atomically: a temporary file renamed over the path, as the tool's
/// outputs and checkpoints are written.
func replaceAtomically(_ path: String, with text: String) throws {
    let temporary = path + ".tmp-\(UUID().uuidString)"
    try text.write(toFile: temporary, atomically: false, encoding: .utf8)
    guard rename(temporary, path) == 0 else { throw POSIXError(.EIO) }
}

/// Text vectors of `rows` as a word2vec text file's contents.
func vectorsText(_ rows: [(String, [Float])]) -> String {
    var text = "\(rows.count) \(rows.first?.1.count ?? 0)\n"
    for (word, vector) in rows { text += word + " " + vector.map { "\($0)" }.joined(separator: " ") + "\n" }
    return text
}
