import Testing
import Word2Vec
import Word2VecItems

@Suite struct EventsFileTests {
    let directory = TestDirectory()

    func read(
        _ text: String, user: String = "user", item: String = "item", time: String? = "time",
        separator: EventSeparator = .detect, skipBadRows: Bool = false
    ) throws -> EventSequences {
        let path = directory.file("events.csv", text)
        let columns = EventColumns(user: try #require(.init(user)), item: try #require(.init(item)), time: time.flatMap { .init($0) })
        return try EventsFile.read(path: path, columns: columns, separator: separator, skipBadRows: skipBadRows)
    }

    func error(_ text: String, user: String = "user", item: String = "item", time: String? = "time",
               separator: EventSeparator = .detect) -> Word2VecError? {
        word2VecError { _ = try read(text, user: user, item: item, time: time, separator: separator) }
    }

    @Test func groupsByUserAndOrdersByTimeWhateverTheRowOrder() throws {
        let rows = [("u1", "a", 3), ("u2", "x", 1), ("u1", "b", 10), ("u1", "c", 1), ("u2", "y", 2), ("u3", "z", 7)]
        var generator = TestRandom(seed: 11)
        for _ in 0..<20 {
            let shuffled = rows.shuffled(using: &generator)
            let text = "user,item,time\n" + shuffled.map { "\($0.0),\($0.1),\($0.2)" }.joined(separator: "\n")
            let result = try read(text)
            // Users come in order of first appearance, which the shuffle changes.
            let firstSeen = shuffled.map(\.0).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            #expect(result.users == firstSeen)
            let byUser = Dictionary(uniqueKeysWithValues: zip(result.users, result.sequences))
            #expect(byUser == ["u1": ["c", "a", "b"], "u2": ["x", "y"], "u3": ["z"]])
            #expect(result.rows == 6 && result.skippedRows == 0 && result.firstSkipped == nil)
        }
    }

    @Test func equalTimesAndNoTimeColumnKeepFileOrder() throws {
        let text = "user,item,time\nu,d,5\nu,a,5\nu,c,1.5e0\nu,b,5\nu,e,-2\n"
        #expect(try read(text).sequences == [["e", "c", "d", "a", "b"]])
        #expect(try read(text, time: nil).sequences == [["d", "a", "c", "b", "e"]])
    }

    @Test func typedRecBoleHeaderMatchesTheNameBeforeTheColon() throws {
        let text = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n196\t242\t3\t881250949\n196\t302\t3\t881250940\n"
        let result = try read(text, user: "user_id", item: "item_id", time: "timestamp")
        #expect(result.users == ["196"] && result.sequences == [["302", "242"]])
        // The full typed name matches too, and an exact match wins over a typed one.
        #expect(try read(text, user: "user_id:token", item: "item_id", time: "timestamp").sequences == [["302", "242"]])
        #expect(try read("a:x,a,t\n1,2,3\n", user: "a", item: "a:x", time: "t").users == ["2"])
    }

    @Test func numericColumnsMeanNoHeader() throws {
        let result = try read("196\t242\t3\t881250949\n186\t302\t3\t891717742\n", user: "1", item: "2", time: "4")
        #expect(result.users == ["196", "186"] && result.sequences == [["242"], ["302"]])
        // Mixed: a name forces a header, and numbers still pick fields.
        #expect(try read("who,what\nu,i,9\n", user: "who", item: "2", time: "3").sequences == [["i"]])
        #expect(EventColumns.Column("0") == nil && EventColumns.Column("") == nil
            && EventColumns.Column("99999999999999999999999") == nil)
        #expect(EventColumns.Column("12") == .number(12) && EventColumns.Column("1a") == .name("1a"))
    }

    @Test func detectsTabOrCommaFromTheFirstLine() throws {
        // A comma inside a tab-separated field is part of the id, and a tab later in a comma file
        // is a control byte in an id.
        #expect(try read("user\titem\ttime\nu,1\ti\t1\n").users == ["u,1"])
        #expect(error("user,item,time\nu,i\tj,1\n") == .malformedFile(directory.path + "/events.csv", line: 2,
                                                                      "item id 'i?j' contains the control byte \\x09"))
        #expect(try read("user;item;time\nu;i;1\n", separator: .character(UInt8(ascii: ";"))).sequences == [["i"]])
    }

    @Test func quotedFieldsCRLFBlankLinesAndTrailingNewline() throws {
        let text = "\u{FEFF}\"user\", \"item\" ,time\r\n\r\n  \r\n\"a,b\",\"say\"\"hi\"\"\", 2 \r\nplain , x,1"
        let result = try read(text)
        #expect(result.users == ["a,b", "plain"])
        #expect(result.sequences == [["say\"hi\""], ["x"]])
        // Quotes mean nothing to a tab-separated file.
        #expect(try read("user\titem\n\"u\t\"i\"\n", time: nil).sequences == [["\"i\""]])
    }

    @Test func eachMalformedRowNamesItsLine() throws {
        let path = directory.path + "/events.csv"
        let header = "user,item,time\nok,ok,1\n\n"
        let cases: [(String, String)] = [
            ("u,i", "has 2 fields, needs 3"),
            ("u,,4", "item id '' is empty"),
            ("u v,i,4", "user id 'u v' contains a space"),
            ("u,i\u{1B}[31m,4", "item id 'i?[31m' contains the control byte \\x1B"),
            ("u,i,soon", "time 'soon' is not a number"),
            ("u,i,", "time '' is not a number"),
            ("u,i,inf", "time 'inf' is not finite"),
            ("u,i,1e999", "time '1e999' is not finite"),
            ("\"u,i,4", "field 1 opens a quote that the line does not close"),
            ("\"u\"x,i,4", "field 1 has text after its closing quote"),
        ]
        for (row, message) in cases {
            #expect(error(header + row + "\nlast,x,1\n") == .malformedFile(path, line: 4, message), "\(row)")
        }
        let bytes: [UInt8] = Array("user,item\n".utf8) + [0x75, 0xFF, 0x2C, 0x69, 0x0A]
        let binary = directory.file("events.csv", bytes: bytes)
        #expect(word2VecError {
            _ = try EventsFile.read(path: binary, columns: EventColumns(user: .name("user"), item: .name("item")))
        } == .malformedFile(binary, line: 2, "user id 'u\u{FFFD}' is not valid UTF-8"))
    }

    @Test func skipBadRowsCountsThem() throws {
        let result = try read("user,item,time\nu,a,2\nu,b\nv w,c,1\nu,d,1\nx,e,never\n", skipBadRows: true)
        #expect(result.users == ["u"] && result.sequences == [["d", "a"]])
        #expect(result.rows == 2 && result.skippedRows == 3)
        #expect(result.firstSkipped == .malformedFile(directory.path + "/events.csv", line: 3, "has 2 fields, needs 3"))
    }

    @Test func headerAndOptionProblems() throws {
        let path = directory.path + "/events.csv"
        #expect(error("\n\nuser,thing,time\nu,i,1\n")
            == .malformedFile(path, line: 3, "the header has no column named 'item' (it has 'user', 'thing', 'time')"))
        #expect(error("user,item,time\n", user: "us\u{7}er")
            == .malformedFile(path, line: 1, "the header has no column named 'us?er' (it has 'user', 'item', 'time')"))
        #expect(error("user,item,time\nu,i,1\n", item: "user") == .invalidOption("item column", "is field 1, the same as the user column"))
        #expect(error("u,i,1\n", user: "1", item: "2", time: "2") == .invalidOption("time column", "is field 2, the same as the item column"))
        #expect(word2VecError {
            _ = try EventsFile.read(path: directory.file("e", "u,i\n"), columns: EventColumns(user: .number(0), item: .number(2)))
        } == .invalidOption("user column", "0 is not a column number (they start at 1)"))
        #expect(error("u\ni\n", separator: .character(0x0A)) != nil)
        #expect(error("u\"i\n", separator: .character(UInt8(ascii: "\""))) != nil)
        #expect(word2VecError {
            _ = try EventsFile.read(path: directory.path + "/missing.csv", columns: EventColumns(user: .number(1), item: .number(2)))
        } != nil)
    }

    @Test func emptyFileAndHeaderOnlyGiveAnEmptyResult() throws {
        for text in ["", "\n\r\n", "user,item,time\n", "user,item,time"] {
            let result = try read(text)
            #expect(result.users.isEmpty && result.sequences.isEmpty && result.rows == 0 && result.skippedRows == 0)
        }
        #expect(try read("", user: "1", item: "2", time: nil).users.isEmpty)
    }

    @Test func numberColumnBeyondEveryRowIsAnErrorNotAnAllocation() throws {
        #expect(error("u,i\n", user: "1", item: "\(Int.max)", time: nil)
            == .malformedFile(directory.path + "/events.csv", line: 1, "has 2 fields, needs \(Int.max)"))
    }
}
