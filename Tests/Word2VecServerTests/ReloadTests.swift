#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
import Word2Vec
import Word2VecQueries
import Word2VecServer

/// A model file replaced while requests run: no request fails, and the new generation answers.
@Suite struct ReloadTests {
    static func rows(seed: UInt64) -> [(String, [Float])] {
        SimilarRouteTests.randomRows(count: 150, dimension: 10, seed: seed)
    }

    /// The answer the file's current contents give, as the server would encode it.
    static func expectedSimilar(_ rows: [(String, [Float])]) throws -> String {
        let index = try SimilarityIndex.load(path: try vectorsFile(rows))
        return try QueryJSON.encode(try index.answer(SimilarRequest(positive: ["w1"], top: 3))) + "\n"
    }

    /// Polls `condition` every 20 ms, at most `attempts` times; a bound, not a timing.
    static func eventually(attempts: Int = 500, _ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<attempts {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    static func generation(_ port: Int) async throws -> Int? {
        let health = try await HTTPTestClient.get(port: port, "/healthz")
        guard let range = health.body.range(of: #""generation":"#) else { return nil }
        return Int(health.body[range.upperBound...].prefix(while: \.isNumber))
    }

    @Test func replacedFileIsServedWithoutFailingRequestsInFlight() async throws {
        let path = try vectorsFile(Self.rows(seed: 1))
        let server = QueryServer(
            shelf: try ModelShelf(paths: [path]), reloading: ReloadOptions(onHangup: false, watchInterval: .milliseconds(10)))
        try await withServer(server) { port in
            // Each client counts its own answers and failures: (answered, failed).
            let counts = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var answered = 0, failed = 0
                        for _ in 0..<80 {
                            let response = try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1&top=3")
                            if response.status != 200 { failed += 1 }
                            answered += 1
                        }
                        return (answered, failed)
                    }
                }
                group.addTask {
                    for seed in 2...6 {
                        try replaceAtomically(path, with: vectorsText(Self.rows(seed: UInt64(seed))))
                        try await Task.sleep(for: .milliseconds(30))
                    }
                    return (0, 0)
                }
                return try await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
            }
            #expect(counts.0 == 320)
            #expect(counts.1 == 0)
            let final = Self.rows(seed: 9)
            try replaceAtomically(path, with: vectorsText(final))
            let expected = try Self.expectedSimilar(final)
            let served = try await Self.eventually {
                try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1&top=3").body == expected
            }
            #expect(served, "the last file's answer is served")
            let generation = try #require(try await Self.generation(port))
            #expect(generation >= 2)
            let metrics = try await HTTPTestClient.get(port: port, "/metrics")
            #expect(metrics.body.contains(#"word2vec_model_generation{model="vectors"} \#(generation)"#))
        }
    }

    @Test func failedLoadKeepsTheServingGeneration() async throws {
        let path = try vectorsFile(Self.rows(seed: 1))
        let shelf = try ModelShelf(paths: [path])
        let server = QueryServer(shelf: shelf, reloading: ReloadOptions(onHangup: false, watchInterval: .milliseconds(10)))
        try await withServer(server) { port in
            let before = try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1&top=3")
            try replaceAtomically(path, with: "3 10\nthis is not a vector file\n")
            #expect(try await Self.eventually { shelf.failedReloads == 1 })
            let during = try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1&top=3")
            #expect(during.status == 200 && during.body == before.body)
            #expect(try await Self.generation(port) == 1)
            // Not retried (nor logged) again until the file changes.
            try await Task.sleep(for: .milliseconds(100))
            #expect(shelf.failedReloads == 1)
            let fixed = Self.rows(seed: 4)
            try replaceAtomically(path, with: vectorsText(fixed))
            #expect(try await Self.eventually { try await Self.generation(port) == 2 })
            #expect(try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1&top=3").body == (try Self.expectedSimilar(fixed)))
        }
    }

    @Test func forcedReloadLoadsEveryModelAgain() async throws {
        let first = try vectorsFile(Self.rows(seed: 1), name: "a.txt"), second = try vectorsFile(Self.rows(seed: 2), name: "b.txt")
        let shelf = try ModelShelf(paths: [first, second])
        #expect(await shelf.reload(log: { _ in }) == [], "nothing changed")
        #expect(await shelf.reload(force: true, log: { _ in }).sorted() == ["a", "b"])
        #expect(shelf.current.map(\.generation) == [2, 2])
        #expect(shelf.model(named: "b")?.name == "b" && shelf.model(named: nil)?.name == "a")
    }

    /// The binary end to end: SIGHUP reloads, SIGTERM stops cleanly with exit status 0 and nothing
    /// but the start line on stderr.
    @Test func hangupReloadsAndTerminationIsQuiet() async throws {
        let executable = try #require(word2vecExecutable(), "the word2vec executable was not built")
        let path = try vectorsFile(Self.rows(seed: 1))
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", path, "--port", "0"]
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        let stderr = Mutex(Data())
        errorPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            stderr.withLock { $0.append(data) }
        }
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var port: Int?
        _ = try await Self.eventually {
            let text = String(decoding: stderr.withLock { $0 }, as: UTF8.self)
            if let range = text.range(of: "at http://127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix(while: \.isNumber))
            }
            return port != nil || !process.isRunning
        }
        let served = try #require(port, "no start line: \(String(decoding: stderr.withLock { $0 }, as: UTF8.self))")
        #expect(try await Self.generation(served) == 1)
        let replaced = Self.rows(seed: 7)
        try replaceAtomically(path, with: vectorsText(replaced))
        kill(process.processIdentifier, SIGHUP)
        #expect(try await Self.eventually { try await Self.generation(served) == 2 })
        #expect(try await HTTPTestClient.get(port: served, "/v1/similar?positive=w1&top=3").body == (try Self.expectedSimilar(replaced)))
        kill(process.processIdentifier, SIGTERM)
        #expect(try await Self.eventually { !process.isRunning })
        process.waitUntilExit()
        errorPipe.fileHandleForReading.readabilityHandler = nil
        let text = String(decoding: stderr.withLock { $0 } + errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(text)")
        #expect(text.split(separator: "\n").count == 1 && text.hasPrefix("word2vec: serving "), "\(text)")
    }

    /// What `/v1/similar?positive=w1&top=3` answers from the rows at `path` through `method`.
    static func similar(_ path: String, using method: (SimilarityIndex) throws -> SearchMethod) throws -> String {
        let vectors = try SimilarityIndex.load(path: path)
        return try QueryJSON.encode(try vectors.answer(SimilarRequest(positive: ["w1"], top: 3), using: method(vectors))) + "\n"
    }

    static func search(_ port: Int) async throws -> String? {
        let health = try await HTTPTestClient.get(port: port, "/healthz")
        guard let range = health.body.range(of: #""search":""#) else { return nil }
        return String(health.body[range.upperBound...].prefix(while: { $0 != "\"" }))
    }

    /// `--index hnsw`: a model replaced while the index built for the one before stays beside it
    /// is not loaded (the index's fingerprint does not match its rows), so the old generation keeps
    /// answering through its own graph; the rebuilt index is itself a change that loads the new
    /// model through the new graph.
    @Test func staleIndexIsNeverSearched() async throws {
        let path = try vectorsFile(Self.rows(seed: 1))
        let indexPath = HNSWIndex.path(forVectorsAt: path)
        try HNSWIndex(building: try SimilarityIndex.load(path: path), threads: 1).save(to: indexPath)
        let before = try Self.similar(path) { .approximate(try HNSWIndex(contentsOf: indexPath, for: $0)) }
        let shelf = try ModelShelf(paths: [path], options: ServingOptions(index: .hnsw))
        let server = QueryServer(shelf: shelf, reloading: ReloadOptions(onHangup: false, watchInterval: .milliseconds(10)))
        try await withServer(server) { port in
            #expect(try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1&top=3").body == before)
            #expect(try await Self.search(port) == "hnsw")

            let replaced = Self.rows(seed: 2)
            try replaceAtomically(path, with: vectorsText(replaced))
            #expect(try await Self.eventually { shelf.failedReloads == 1 }, "the stale index is refused")
            #expect(try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1&top=3").body == before)
            #expect(try await Self.generation(port) == 1)

            try HNSWIndex(building: try SimilarityIndex.load(path: path), threads: 1).save(to: indexPath)
            let after = try Self.similar(path) { .approximate(try HNSWIndex(contentsOf: indexPath, for: $0)) }
            #expect(after != before)
            #expect(try await Self.eventually { try await Self.generation(port) == 2 }, "the rebuilt index is picked up")
            #expect(try await HTTPTestClient.get(port: port, "/v1/similar?positive=w1&top=3").body == after)
            #expect(try await Self.search(port) == "hnsw")
            #expect(shelf.failedReloads == 1)
        }
    }

    /// `--index auto` (the default) over enough rows to use an index: an index that does not fit the
    /// rows (here one left from a smaller model) is not searched; the generation searches exactly
    /// and says why, once per load.
    @Test func automaticSearchFallsBackToExactWithAWarning() async throws {
        let small = try vectorsFile(SimilarRouteTests.randomRows(count: 50, dimension: 2, seed: 3))
        let path = try vectorsFile(SimilarRouteTests.randomRows(count: HNSWIndex.exactSearchThreshold, dimension: 2, seed: 4))
        try HNSWIndex(building: try SimilarityIndex.load(path: small), threads: 1).save(to: HNSWIndex.path(forVectorsAt: path))
        let logged = Mutex<[String]>([])
        let shelf = try ModelShelf(paths: [path]) { line in logged.withLock { $0.append(line) } }
        let model = try #require(shelf.model(named: nil))
        guard case .exact = model.method else {
            Issue.record("a stale index was loaded")
            return
        }
        let warning = try #require(model.indexWarning)
        #expect(warning.contains("generation 1 searches exactly") && warning.contains(".hnsw"), "\(warning)")
        #expect(logged.withLock { $0 } == [warning])
        #expect(await shelf.reload(force: true) { line in logged.withLock { $0.append(line) } } == ["vectors"])
        #expect(logged.withLock { $0.count } == 2 && shelf.current.first?.indexWarning?.contains("generation 2") == true)
    }
}
