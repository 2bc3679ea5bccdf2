import Testing
import Word2Vec
import Word2VecItems

/// Seeded mutation fuzzing of the interaction-log reader (see `FuzzHarness`): every mutant is read
/// into sound sequences or rejected with a `Word2VecError`.
@Suite struct EventsFuzzTests {
    static let examples: [[UInt8]] = [
        Array("user_id:token\titem_id:token\trating:float\ttimestamp:float\n196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n".utf8),
        Array("user,item,time\r\n\"a,b\",\"say\"\"hi\"\"\",2\r\nu2, x ,1.5e9\r\n\r\nu2,y,-3\r\n".utf8),
        Array("u1,i1\nu2,i2\nu1,i3".utf8),
    ]

    /// What every result must satisfy.
    static func soundness(_ result: EventSequences) -> String? {
        guard result.users.count == result.sequences.count else { return "\(result.users.count) users, \(result.sequences.count) sequences" }
        guard result.sequences.reduce(0, { $0 + $1.count }) == result.rows else { return "rows do not add up" }
        if Set(result.users.map { Array($0.utf8) }).count != result.users.count { return "a user appears twice" }
        for (user, sequence) in zip(result.users, result.sequences) {
            if sequence.isEmpty { return "user \(user.debugDescription) has no items" }
            for id in [user] + sequence where id.utf8.isEmpty || id.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
                return "id \(id.debugDescription) is empty or holds a space or control byte"
            }
        }
        if let skipped = result.firstSkipped, result.skippedRows == 0 || "\(skipped)".unicodeScalars.contains(where: { $0.value < 0x20 }) {
            return "first skipped row \(skipped) is inconsistent or not one plain line"
        }
        return nil
    }

    @Test func typedHeaderTimeOrdered() throws {
        let columns = EventColumns(user: .name("user_id"), item: .name("item_id"), time: .name("timestamp"))
        let report = try FuzzHarness.run("events-typed", examples: Self.examples, extension: "inter", read: { path in
            try EventsFile.read(path: path, columns: columns)
        }, check: Self.soundness)
        ReaderFuzzTests.expectSound(report)
    }

    @Test func namedCommaColumnsSkippingBadRows() throws {
        let columns = EventColumns(user: .name("user"), item: .name("item"), time: .name("time"))
        let report = try FuzzHarness.run("events-skip", examples: Self.examples, extension: "csv", read: { path in
            try EventsFile.read(path: path, columns: columns, separator: .comma, skipBadRows: true)
        }, check: Self.soundness)
        ReaderFuzzTests.expectSound(report)
    }

    @Test func numberedColumnsWithoutTime() throws {
        let columns = EventColumns(user: .number(1), item: .number(2))
        let report = try FuzzHarness.run("events-numbered", examples: Self.examples, read: { path in
            try EventsFile.read(path: path, columns: columns)
        }, check: Self.soundness)
        ReaderFuzzTests.expectSound(report)
    }
}
