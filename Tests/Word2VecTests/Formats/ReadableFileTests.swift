import Testing
import Word2Vec

/// `ReadableFile`, the one way readers open a file a user names: whole (`withBytes`) or line by line
/// as it arrives (`forEachLine`), with the same lines and the same errors either way.
@Suite
struct ReadableFileTests {
    let directory = TestDirectory()

    /// The lines `TextLines` cuts from the whole file.
    static func wholeLines(_ path: String) throws -> [[UInt8]] {
        try ReadableFile.withBytes(of: path) { bytes in
            var lines: [[UInt8]] = []
            TextLines.forEach(in: bytes) { number, line in
                precondition(number == lines.count + 1)
                lines.append(Array(line))
            }
            return lines
        }
    }

    /// The lines `forEachLine` hands over as it reads.
    static func streamedLines(_ path: String) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        try ReadableFile.forEachLine(of: path) { number, line in
            #expect(number == lines.count + 1)
            lines.append(Array(line))
        }
        return lines
    }

    static let texts: [[UInt8]] = [
        [], Array("\n".utf8), Array("a\nb".utf8), Array("a\r\nb\r\n\r\n".utf8), Array("a\rb\n".utf8),
        TextLines.byteOrderMark, TextLines.byteOrderMark + Array("x y\nz\n".utf8), TextLines.byteOrderMark + [0x0A],
        [0xEF, 0xBB], Array("\n\nlast".utf8),
        // Lines across the 64 KiB chunks the stream reads, one of them longer than a chunk.
        Array((String(repeating: "w ", count: 40_000) + "\nshort\n" + String(repeating: "v", count: 70_000) + "\r\nend").utf8),
    ]

    @Test(arguments: texts.indices)
    func streamedLinesAreTheWholeFilesLines(text: Int) throws {
        let path = directory.file("t\(text).txt", bytes: Self.texts[text])
        let whole = try Self.wholeLines(path)
        #expect(try Self.streamedLines(path) == whole)
    }

    @Test func linesLoseTheirEndsAndTheByteOrderMark() throws {
        let path = directory.file("t.txt", bytes: TextLines.byteOrderMark + Array("one two\r\n\nthree".utf8))
        #expect(try Self.streamedLines(path) == [Array("one two".utf8), [], Array("three".utf8)])
    }

    @Test func emptyFilesGiveABufferWithAnAddress() throws {
        let path = directory.file("empty.txt", "")
        #expect(try ReadableFile.withBytes(of: path) { $0.count == 0 && $0.baseAddress != nil })
        #expect(try Self.streamedLines(path).isEmpty)
    }

    @Test func errorsNameTheFile() throws {
        let missing = directory.path + "/missing.txt"
        let expected = Word2VecError.unreadableFile(missing, reason: "No such file or directory")
        #expect(word2VecError { _ = try ReadableFile.withBytes(of: missing) { $0.count } } == expected)
        #expect(word2VecError { try ReadableFile.forEachLine(of: missing) { _, _ in } } == expected)
        let folder = Word2VecError.unreadableFile(directory.path, reason: "is a directory")
        #expect(word2VecError { _ = try ReadableFile.withBytes(of: directory.path) { $0.count } } == folder)
        #expect(word2VecError { try ReadableFile.forEachLine(of: directory.path) { _, _ in } } == folder)
        #expect(word2VecError { _ = try Embeddings.load(path: missing) } == expected)
    }

    @Test func startsWithReadsOnlyThePrefix() throws {
        let path = directory.file("m.bin", bytes: [1, 2, 3, 4])
        #expect(ReadableFile.starts(path, with: [1, 2]))
        #expect(!ReadableFile.starts(path, with: [2]))
        #expect(!ReadableFile.starts(path, with: [1, 2, 3, 4, 5]))
        #expect(!ReadableFile.starts(directory.path + "/missing", with: []))
    }
}
