import Testing
import Word2Vec
import Word2VecItems

/// Seeded mutation fuzzing of the readers behind `items recommend --input` (histories) and
/// `items train/evaluate --input` (sequences): every mutant is read into ids a vector file could hold
/// or rejected with a `Word2VecError`.
@Suite struct HistoriesFuzzTests {
    static let examples: [[UInt8]] = [
        Array("u1\t242 302 377\nu2\t51\r\n\nu3\t\n\u{FEFF}x\ty z\n".utf8),
        Array("\u{FEFF}alice\tc1i0 c1i1\tc1i2\n bob \tnothing known\ncarol\tc2i3".utf8),
        Array("196 242 302\n\n  \t\n186\t302 a\r\né ü 😀\n".utf8),
    ]

    static func badID(_ id: String) -> Bool {
        id.utf8.isEmpty || id.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F })
    }

    @Test func historiesReader() throws {
        let report = try FuzzHarness.run("histories", examples: Self.examples, extension: "tsv", read: { path in
            try HistoriesFile.read(path: path)
        }, check: { histories in
            for history in histories {
                if Self.badID(history.user) { return "user \(history.user.debugDescription) is not a valid id" }
                if let item = history.items.first(where: Self.badID) { return "item \(item.debugDescription) is not a valid id" }
            }
            return nil
        })
        ReaderFuzzTests.expectSound(report)
    }

    @Test func sequencesReader() throws {
        let report = try FuzzHarness.run("sequences", examples: Self.examples, read: { path in
            try ItemSequences.read(path: path)
        }, check: { sequences in
            for sequence in sequences {
                if sequence.isEmpty { return "an empty sequence" }
                if let item = sequence.first(where: Self.badID) { return "item \(item.debugDescription) is not a valid id" }
            }
            return nil
        })
        ReaderFuzzTests.expectSound(report)
    }
}
