import Word2Vec

/// Which columns of an interaction file hold the user, the item and (optionally) the time.
public struct EventColumns: Sendable, Equatable {
    /// One column, by its header name or by its position.
    public enum Column: Sendable, Equatable {
        /// Matches a header field that equals the name, or, failing that, one whose part before the
        /// first `:` equals it (RecBole's typed headers such as `user_id:token`). A file read with a
        /// named column must start with a header line.
        case name(String)
        /// The 1-based position of the field in each row.
        case number(Int)

        /// Parses a command-line spelling: all ASCII digits is a column number, anything else a name.
        /// Returns `nil` for an empty string and for a number that is 0 or does not fit in an `Int`.
        public init?(_ text: String) {
            guard !text.isEmpty else { return nil }
            if text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                guard let number = Int(text), number >= 1 else { return nil }
                self = .number(number)
            } else {
                self = .name(text)
            }
        }
    }

    public var user: Column
    public var item: Column
    /// Orders each user's items; `nil` keeps the order of the file.
    public var time: Column?
    /// Free text of the event (a search query, a title): the user tower's text input.
    public var text: Column?
    /// Categorical columns (genre, age bucket, device...): the user tower's feature inputs. A field
    /// may hold several values separated by spaces or `|` (a film's genres); empty is no value.
    public var features: [Column]

    public init(user: Column, item: Column, time: Column? = nil, text: Column? = nil, features: [Column] = []) {
        self.user = user
        self.item = item
        self.time = time
        self.text = text
        self.features = features
    }

    /// The side fields' names, text first: a named column's name, else `column N`.
    public var sideFields: [String] {
        ((text.map { [$0] } ?? []) + features).map { column in
            switch column {
            case let .name(name): name
            case let .number(number): "column \(number)"
            }
        }
    }
}

/// How the fields of a row are separated.
public enum EventSeparator: Sendable, Equatable {
    /// Tab if the first non-blank line holds a tab, comma otherwise.
    case detect
    case tab
    case comma
    /// Any ASCII byte except a line end or `"`.
    case character(UInt8)
}

/// Interactions grouped into one time-ordered item sequence per user.
public struct EventSequences: Sendable, Equatable {
    /// Distinct user ids, in the order of their first row in the file.
    public var users: [String]
    /// `sequences[i]` holds the items of `users[i]`, never empty.
    public var sequences: [[String]]
    /// Rows kept (the total length of `sequences`).
    public var rows: Int
    /// Malformed rows left out by `skipBadRows`.
    public var skippedRows: Int
    /// Why the first skipped row was malformed, for a summary line; `nil` when none was skipped.
    public var firstSkipped: Word2VecError?
    /// Names of the text and feature columns read (`EventColumns.sideFields`), empty if none.
    public var sideFields: [String]
    /// `side[i][j][f]`: the raw field `f` of `sideFields` in the event of `sequences[i][j]`; empty
    /// when no side column was asked for.
    public var side: [[[String]]]

    public init(users: [String], sequences: [[String]], rows: Int, skippedRows: Int = 0, firstSkipped: Word2VecError? = nil,
                sideFields: [String] = [], side: [[[String]]] = []) {
        self.users = users
        self.sequences = sequences
        self.rows = rows
        self.skippedRows = skippedRows
        self.firstSkipped = firstSkipped
        self.sideFields = sideFields
        self.side = side
    }
}

/// Reader of interaction logs (CSV or TSV rows of user, item and time), the input of item embeddings:
/// each user's items, in time order, become one sentence of the training corpus.
public enum EventsFile {
    /// Reads `path` into per-user item sequences.
    ///
    /// File format:
    /// - Lines end in LF or CRLF; the last line end is optional; lines holding only spaces and tabs
    ///   are skipped; a UTF-8 byte order mark at the start is ignored.
    /// - If any column is given by name, the first non-blank line is a header. With only column
    ///   numbers there is no header line: every line is a row. (A header read as a row would be an
    ///   event of user `user_id`, or, with a time column, a malformed row.)
    /// - Fields are split on the separator; spaces around a field are dropped (unless the separator
    ///   is a space). With a comma separator a field may be quoted, `"a,b"`, with `""` for a quote
    ///   inside; a quoted field cannot span lines. Extra fields are ignored.
    /// - User and item ids are compared as bytes. They must be valid UTF-8, non-empty, without spaces
    ///   and ASCII control bytes, since they become words of a corpus line.
    /// - A time is a decimal number (such as Unix seconds) and must be finite. Each user's items are
    ///   sorted by time; equal times, and all rows when there is no time column, keep file order.
    ///
    /// An empty file, or one with a header and no rows, gives an empty result rather than an error:
    /// the caller decides whether no data is a failure (the rows may also all have been skipped).
    ///
    /// Time O(n log n) for a file of n bytes; memory O(n) for the result, no allocation sized by a
    /// number read from the file.
    ///
    /// - Parameter skipBadRows: leave malformed rows out and count them instead of throwing.
    /// - Throws: `Word2VecError.unreadableFile`; `.invalidOption` for a column number below 1, a
    ///   separator that is not allowed, or two roles resolved to the same column;
    ///   `.malformedFile` naming the line for a header without a named column, and (unless
    ///   `skipBadRows`) for the first malformed row: too few fields, a bad id, a bad time, an
    ///   unclosed quote.
    public static func read(
        path: String, columns: EventColumns, separator: EventSeparator = .detect, skipBadRows: Bool = false
    ) throws -> EventSequences {
        return try ReadableFile.withBytes(of: path) { bytes in
            var reader = try Reader(path: path, columns: columns, separator: separator, skipBadRows: skipBadRows)
            try reader.read(bytes)
            return reader.result()
        }
    }
}

/// Why a row cannot be used; becomes `Word2VecError.malformedFile` with the row's line.
private struct RowProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

private struct Reader {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")

    let path: String
    let columns: EventColumns
    let requested: EventSeparator
    let skipBadRows: Bool
    /// Resolved once the first line is seen.
    var separator: UInt8 = Reader.comma
    var quoting = false
    /// 0-based field positions, resolved from the numbers at once or from the header.
    var userField = 0
    var itemField = 0
    var timeField: Int?
    /// The text column then the feature columns.
    var sideFields: [Int] = []
    /// How messages name each side field: "text column 'title'", "feature column 'genre'".
    var sideRoles: [String] = []
    /// The role of the rightmost column read, for the message of a row too short to hold it.
    var lastRole = ""
    var needsHeader: Bool
    var sawFirstLine = false

    var userIndex: [[UInt8]: Int] = [:]
    var users: [String] = []
    var events: [[(time: Double, order: Int, item: String, side: [String])]] = []
    var rows = 0
    var skipped = 0
    var firstSkipped: Word2VecError?

    init(path: String, columns: EventColumns, separator: EventSeparator, skipBadRows: Bool) throws {
        self.path = path
        self.columns = columns
        self.requested = separator
        self.skipBadRows = skipBadRows
        let all = [columns.user, columns.item] + (columns.time.map { [$0] } ?? []) + (columns.text.map { [$0] } ?? []) + columns.features
        needsHeader = all.contains { if case .name = $0 { true } else { false } }
        let roles = ["user column", "item column"] + (columns.time == nil ? [] : ["time column"])
            + (columns.text == nil ? [] : ["text column"]) + columns.features.map { _ in "feature column" }
        for (role, column) in zip(roles, all) {
            if case let .number(number) = column, number < 1 {
                throw Word2VecError.invalidOption(role, "\(number) is not a column number (they start at 1)")
            }
        }
        if case let .character(byte) = separator,
           byte == 0x0A || byte == 0x0D || byte == Reader.quote || byte >= 0x80 {
            throw Word2VecError.invalidOption(
                "separator", "byte \(byte) is not allowed (an ASCII character other than a line end or a quote)")
        }
        if !needsHeader { try resolve { column in if case let .number(number) = column { number - 1 } else { nil } } }
    }

    /// Sets the field positions from `position`, which gives `nil` for a column it cannot find.
    mutating func resolve(_ position: (EventColumns.Column) throws -> Int?) throws {
        guard let user = try position(columns.user), let item = try position(columns.item) else { return }
        userField = user
        itemField = item
        timeField = try columns.time.flatMap(position)
        sideFields = try ((columns.text.map { [$0] } ?? []) + columns.features).map { try position($0)! }
        let names = columns.sideFields
        sideRoles = names.indices.map { "\(columns.text != nil && $0 == 0 ? "text" : "feature") column '\(names[$0])'" }
        let roles = [("user column", userField), ("item column", itemField)] + (timeField.map { [("time column", $0)] } ?? [])
            + Array(zip(sideRoles, sideFields))
        lastRole = roles.max { $0.1 < $1.1 }!.0
        for i in roles.indices {
            for j in roles.indices where j > i && roles[i].1 == roles[j].1 {
                throw Word2VecError.invalidOption(roles[j].0, "is field \(roles[j].1 + 1), the same as the \(roles[i].0)")
            }
        }
    }

    mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        try TextLines.forEach(in: bytes) { lineNumber, line in
            if line.allSatisfy({ $0 == Reader.space || $0 == Reader.tab }) { return }
            if !sawFirstLine {
                sawFirstLine = true
                switch requested {
                case .detect: separator = line.contains(Reader.tab) ? Reader.tab : Reader.comma
                case .tab: separator = Reader.tab
                case .comma: separator = Reader.comma
                case let .character(byte): separator = byte
                }
                quoting = separator == Reader.comma
                if needsHeader {
                    try readHeader(line, lineNumber: lineNumber)
                    return
                }
            }
            do {
                try addRow(line)
            } catch let problem as RowProblem {
                let error = Word2VecError.malformedFile(path, line: lineNumber, problem.message)
                guard skipBadRows else { throw error }
                skipped += 1
                if firstSkipped == nil { firstSkipped = error }
            }
        }
    }

    mutating func readHeader(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws {
        let names: [[UInt8]]
        do {
            names = try fields(of: line)
        } catch let problem as RowProblem {
            throw Word2VecError.malformedFile(path, line: lineNumber, "header: " + problem.message)
        }
        let path = self.path
        try resolve { column in
            switch column {
            case let .number(number): return number - 1
            case let .name(name):
                let wanted = Array(name.utf8)
                if let exact = names.firstIndex(of: wanted) { return exact }
                // RecBole types its columns (`user_id:token`); the name before the type is what users type.
                if let typed = names.firstIndex(where: { $0.split(separator: UInt8(ascii: ":"), maxSplits: 1,
                                                                  omittingEmptySubsequences: false)[0].elementsEqual(wanted) }) {
                    return typed
                }
                let shownNames = names.prefix(8).map { Reader.shown($0[...]) }.joined(separator: ", ")
                throw Word2VecError.malformedFile(
                    path, line: lineNumber,
                    "the header has no column named \(Reader.shown(wanted[...])) (it has \(shownNames)\(names.count > 8 ? ", ..." : ""))")
            }
        }
    }

    mutating func addRow(_ line: UnsafeBufferPointer<UInt8>) throws {
        let fields = try fields(of: line)
        let needed = max(userField, itemField, timeField ?? 0, sideFields.max() ?? 0) + 1
        guard fields.count >= needed else {
            throw RowProblem("has \(fields.count) field\(fields.count == 1 ? "" : "s"), needs \(needed)"
                + (sideFields.isEmpty ? "" : " (the \(lastRole) is field \(needed))"))
        }
        var side: [String] = []
        side.reserveCapacity(sideFields.count)
        for (n, field) in sideFields.enumerated() {
            guard let text = String(validating: fields[field], as: UTF8.self) else {
                throw RowProblem("\(sideRoles[n]) (field \(field + 1)) \(Reader.shown(fields[field][...])) is not valid UTF-8")
            }
            side.append(text)
        }
        let user = try Reader.id(fields[userField], role: "user id")
        let item = try Reader.id(fields[itemField], role: "item id")
        var time = 0.0
        if let timeField {
            let field = fields[timeField]
            guard let value = field.withUnsafeBufferPointer({ buffer in
                buffer.isEmpty ? nil : DecimalParser.parse(buffer.baseAddress!, from: 0, to: buffer.count)
            }) else { throw RowProblem("time \(Reader.shown(field[...])) is not a number") }
            guard value.isFinite else { throw RowProblem("time \(Reader.shown(field[...])) is not finite") }
            time = value
        }
        let index: Int
        if let known = userIndex[fields[userField]] {
            index = known
        } else {
            index = users.count
            userIndex[fields[userField]] = index
            users.append(user)
            events.append([])
        }
        events[index].append((time, rows, item, side))
        rows += 1
    }

    /// Splits a line (without its line end) into fields, unquoting when the separator is a comma.
    /// O(line length).
    func fields(of line: UnsafeBufferPointer<UInt8>) throws -> [[UInt8]] {
        let trims = separator != Reader.space
        var fields: [[UInt8]] = []
        var i = 0
        let n = line.count
        while true {
            while trims, i < n, line[i] == Reader.space { i += 1 }
            if quoting, i < n, line[i] == Reader.quote {
                var field: [UInt8] = []
                var closed = false
                i += 1
                while i < n {
                    if line[i] == Reader.quote {
                        if i + 1 < n, line[i + 1] == Reader.quote {
                            field.append(Reader.quote)
                            i += 2
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    field.append(line[i])
                    i += 1
                }
                guard closed else { throw RowProblem("field \(fields.count + 1) opens a quote that the line does not close") }
                while trims, i < n, line[i] == Reader.space { i += 1 }
                guard i == n || line[i] == separator else {
                    throw RowProblem("field \(fields.count + 1) has text after its closing quote")
                }
                fields.append(field)
            } else {
                let fieldStart = i
                while i < n, line[i] != separator { i += 1 }
                var fieldEnd = i
                while trims, fieldEnd > fieldStart, line[fieldEnd - 1] == Reader.space { fieldEnd -= 1 }
                fields.append(Array(line[fieldStart..<fieldEnd]))
            }
            if i >= n { return fields }
            i += 1
        }
    }

    /// `bytes` as an id, or why it cannot be one.
    static func id(_ bytes: [UInt8], role: String) throws -> String {
        if let problem = bytes.withUnsafeBufferPointer({ WordSpelling.problem($0) }) {
            throw RowProblem("\(role) \(shown(bytes[...])) \(problem)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RowProblem("\(role) \(shown(bytes[...])) is not valid UTF-8")
        }
        return text
    }

    /// `bytes` quoted for a one-line message: at most 40 characters, control characters (and line or
    /// paragraph separators) shown as `?`, invalid UTF-8 as U+FFFD.
    static func shown(_ bytes: ArraySlice<UInt8>) -> String {
        var text = ""
        var count = 0
        for scalar in String(decoding: bytes.prefix(200), as: UTF8.self).unicodeScalars {
            if count == 40 { return "'" + text + "...'" }
            let v = scalar.value
            let control = v < 0x20 || (0x7F..<0xA0).contains(v) || v == 0x2028 || v == 0x2029
            text.unicodeScalars.append(control ? "?" : scalar)
            count += 1
        }
        return "'" + text + (bytes.count > 200 ? "...'" : "'")
    }

    func result() -> EventSequences {
        let sorted = events.map { userEvents in userEvents.sorted { ($0.time, $0.order) < ($1.time, $1.order) } }
        return EventSequences(
            users: users, sequences: sorted.map { $0.map(\.item) }, rows: rows, skippedRows: skipped, firstSkipped: firstSkipped,
            sideFields: sideFields.isEmpty ? [] : columns.sideFields, side: sideFields.isEmpty ? [] : sorted.map { $0.map(\.side) })
    }
}
