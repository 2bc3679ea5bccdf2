import Foundation
import Synchronization
import Testing
import Word2Vec

/// A fresh temporary directory, removed with everything in it when the test process exits (the
/// tests that use it hold a URL, which has no end of life to hook; `TestDirectory` removes its own
/// at the end of the test).
func temporaryDirectory() throws -> URL {
    _ = removeMadeDirectoriesAtExit
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("word2vec-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    madeDirectories.withLock { $0.append(url.path) }
    return url
}

private let madeDirectories = Mutex<[String]>([])

private let removeMadeDirectoriesAtExit: Void = {
    atexit {
        for path in madeDirectories.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
    }
}()

func writeFile(_ url: URL, _ text: String) throws {
    try Data(text.utf8).write(to: url)
}

/// A deterministic generator for test data (SplitMix64).
struct TestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A corpus with planted structure: `groups` disjoint topics of `wordsPerGroup` words; each sentence
/// draws all its words from one topic. Words are named `g<group>w<word>`.
func topicCorpus(groups: Int, wordsPerGroup: Int, sentences: Int, length: Int, seed: UInt64) -> [[String]] {
    var random = TestRandom(seed: seed)
    return (0..<sentences).map { _ in
        let group = Int.random(in: 0..<groups, using: &random)
        return (0..<length).map { _ in "g\(group)w\(Int.random(in: 0..<wordsPerGroup, using: &random))" }
    }
}

func cosine(_ x: [Float], _ y: [Float]) -> Float {
    var dot: Float = 0, xx: Float = 0, yy: Float = 0
    for i in x.indices {
        dot += x[i] * y[i]
        xx += x[i] * x[i]
        yy += y[i] * y[i]
    }
    return dot / (xx * yy).squareRoot()
}

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

/// Runs the `word2vec` executable with `arguments`, feeding `input` to its standard input;
/// `environment` overrides variables of this process's environment.
func runWord2Vec(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> CommandResult {
    let executable = try #require(word2vecExecutable(), "the word2vec executable was not built")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let inputPipe = Pipe()
    let errorPipe = Pipe()
    let outputPipe = Pipe()
    process.standardInput = inputPipe
    process.standardError = errorPipe
    process.standardOutput = outputPipe
    try process.run()
    inputPipe.fileHandleForWriting.write(Data(input.utf8))
    try inputPipe.fileHandleForWriting.close()
    let output = outputPipe.fileHandleForReading.readDataToEndOfFile()
    let error = errorPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, standardError: String(decoding: error, as: UTF8.self),
        standardOutput: String(decoding: output, as: UTF8.self))
}
