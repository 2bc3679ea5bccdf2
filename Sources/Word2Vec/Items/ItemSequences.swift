/// Files of item sequences (`items train --input`, `items evaluate --input`): one user's or
/// session's items per line, oldest first, separated by spaces or tabs.
public enum ItemSequences {
    /// Reads every non-blank line of `path` as one sequence.
    ///
    /// Lines end in LF or CRLF; a UTF-8 byte order mark at the start is ignored. Ids follow the rule
    /// of words in vector files (valid UTF-8, no ASCII control bytes), so that every item can get a
    /// vector. Time and memory O(file size).
    ///
    /// - Throws: `Word2VecError.unreadableFile`; `.malformedFile` naming the line of the first bad id.
    public static func read(path: String) throws -> [[String]] {
        let data = try ReadableFile.contents(path)
        return try data.withUnsafeBytes { raw in
            let bytes = UnsafeRawBufferPointer(raw).bindMemory(to: UInt8.self)
            let tab = UInt8(ascii: "\t"), space = UInt8(ascii: " "), cr = UInt8(ascii: "\r")
            var sequences: [[String]] = []
            var start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
            var lineNumber = 0
            while start < bytes.count {
                lineNumber += 1
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                let next = end + 1
                if end > start, bytes[end - 1] == cr { end -= 1 }
                var items: [String] = []
                var i = start
                while i < end {
                    while i < end, bytes[i] == space || bytes[i] == tab { i += 1 }
                    let itemStart = i
                    while i < end, bytes[i] != space, bytes[i] != tab { i += 1 }
                    guard i > itemStart else { break }
                    let id = UnsafeBufferPointer(rebasing: bytes[itemStart..<i])
                    if let problem = WordSpelling.problem(id) {
                        throw Word2VecError.malformedFile(
                            path, line: lineNumber, "item id \(WordSpelling.quoted(String(decoding: id, as: UTF8.self))) \(problem)")
                    }
                    guard let item = String(validating: id, as: UTF8.self) else {
                        throw Word2VecError.malformedFile(
                            path, line: lineNumber, "item id \(WordSpelling.quoted(String(decoding: id, as: UTF8.self))) is not valid UTF-8")
                    }
                    items.append(item)
                }
                if !items.isEmpty { sequences.append(items) }
                start = next
            }
            return sequences
        }
    }
}

extension TrainingConfiguration {
    /// Makes every other item of a sequence (up to `maxSentenceLength` apart) the context of each
    /// item, for baskets and sessions whose order means nothing: the window covers a whole sentence
    /// piece and is not shrunk.
    public mutating func useWholeSequenceWindow() {
        window = maxSentenceLength
        shrinkWindow = false
    }

    /// Whether the window covers whole sentence pieces (`useWholeSequenceWindow()`).
    public var usesWholeSequenceWindow: Bool {
        !shrinkWindow && window >= maxSentenceLength
    }
}
