import Word2Vec

/// One user's items in time order, the input of a recommendation.
public struct UserHistory: Sendable, Equatable {
    public var user: String
    /// Oldest first; may be empty (a user without history gets no recommendation).
    public var items: [String]

    public init(user: String, items: [String]) {
        self.user = user
        self.items = items
    }
}

/// Reader of the histories that `items recommend --input` answers: one user per line,
/// `USER<TAB>item item item`, items oldest first.
public enum HistoriesFile {
    /// Reads every history of `path`.
    ///
    /// File format:
    /// - Lines end in LF or CRLF; the last line end is optional; lines holding only spaces and tabs
    ///   are skipped; a UTF-8 byte order mark at the start is ignored.
    /// - The user id runs up to the first tab (spaces around it are dropped); the items after it are
    ///   separated by spaces or tabs. A line with a user and no items is a user without history.
    /// - Ids are valid UTF-8, non-empty, without spaces and ASCII control bytes (the rule of words
    ///   in vector files, so that any id that can have a vector can be asked about).
    /// - Users may repeat; each line is answered on its own, in file order.
    ///
    /// Time and memory O(file size); nothing is allocated from a count read in the file.
    ///
    /// - Throws: `Word2VecError.unreadableFile`; `.malformedFile` naming the line of the first line
    ///   without a tab after the user, or with an id that breaks the rule above.
    public static func read(path: String) throws -> [UserHistory] {
        try ReadableFile.withBytes(of: path) { try parse($0, path: path) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws -> [UserHistory] {
        let tab = UInt8(ascii: "\t"), space = UInt8(ascii: " ")
        var histories: [UserHistory] = []
        try TextLines.forEach(in: bytes) { lineNumber, line in
            if line.allSatisfy({ $0 == space || $0 == tab }) { return }
            func failure(_ problem: String) -> Word2VecError {
                .malformedFile(path, line: lineNumber, problem)
            }
            guard let separator = line.firstIndex(of: tab) else {
                throw failure("has no tab after the user id (lines are USER<TAB>item item ...)")
            }
            var userStart = 0, userEnd = separator
            while userStart < userEnd, line[userStart] == space { userStart += 1 }
            while userEnd > userStart, line[userEnd - 1] == space { userEnd -= 1 }
            let user = try id(UnsafeBufferPointer(rebasing: line[userStart..<userEnd]), role: "user id", failure)
            var items: [String] = []
            var i = separator + 1
            while i < line.count {
                while i < line.count, line[i] == space || line[i] == tab { i += 1 }
                let itemStart = i
                while i < line.count, line[i] != space, line[i] != tab { i += 1 }
                guard i > itemStart else { break }
                items.append(try id(UnsafeBufferPointer(rebasing: line[itemStart..<i]), role: "item id", failure))
            }
            histories.append(UserHistory(user: user, items: items))
        }
        return histories
    }

    static func id(
        _ bytes: UnsafeBufferPointer<UInt8>, role: String, _ failure: (String) -> Word2VecError
    ) throws -> String {
        if let problem = WordSpelling.problem(bytes) {
            throw failure("\(role) \(WordSpelling.quoted(String(decoding: bytes, as: UTF8.self))) \(problem)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw failure("\(role) \(WordSpelling.quoted(String(decoding: bytes, as: UTF8.self))) is not valid UTF-8")
        }
        return text
    }
}
