import Foundation
import Testing
import Word2Vec

/// `--save-vocab` / `--read-vocab` files against hostile input (issue 9).
@Suite struct VocabularyFileTests {
    let directory = TestDirectory()

    func readError(_ bytes: [UInt8]) -> (path: String, error: Word2VecError?) {
        let path = directory.file("vocab.txt", bytes: bytes)
        return (path, word2VecError { _ = try Vocabulary.read(from: path) })
    }

    @Test func rejectsCountsWhoseSumOverflows() {
        let (path, error) = readError(Array("king 9223372036854775807\nqueen 1\n".utf8))
        #expect(error == .malformedFile(path, line: 1, "the counts up to this line add up to more than 2^62 (4611686018427387904)"))
        let (path2, error2) = readError(Array("king 4611686018427387904\nqueen 1\nman 1\n".utf8))
        #expect(error2 == .malformedFile(path2, line: 2, "the counts up to this line add up to more than 2^62 (4611686018427387904)"))
    }

    @Test func acceptsCountsUpToTheBound() throws {
        let path = directory.file("vocab.txt", "king 4611686018427387903\nqueen 1\n")
        let vocabulary = try Vocabulary.read(from: path)
        #expect(vocabulary.totalCount == Vocabulary.maximumTotalCount)
    }

    @Test func rejectsACountBeyondInt() {
        let (path, error) = readError(Array("king 9223372036854775808\n".utf8))
        #expect(error == .malformedFile(path, line: 1, "count '9223372036854775808' is not a non-negative integer"))
    }

    @Test func totalCountSaturatesInsteadOfTrapping() {
        #expect(Vocabulary(entries: [("a", Int.max), ("b", Int.max)]).totalCount == Int.max)
    }

    @Test func nfcAndNfdSpellingsRoundTripAsTwoWords() throws {
        let nfc = "Li\u{E8}ge", nfd = "Lie\u{300}ge"
        let vocabulary = Vocabulary(entries: [(nfc, 5), (nfd, 3), ("x", 1)])
        #expect(vocabulary.count == 3)
        let path = directory.path + "/saved.txt"
        try vocabulary.write(to: path)
        let read = try Vocabulary.read(from: path)
        #expect(read.words.map { Array($0.utf8) } == [Array(nfc.utf8), Array(nfd.utf8), Array("x".utf8)])
        #expect(read.counts == [5, 3, 1])
        #expect(read.index(of: nfd) == 1)
    }

    @Test func wordsEqualOnlyAfterRepairAreOneWordWithTheSumOfTheirCounts() throws {
        // As counting a corpus with both spellings would give: the token reader repairs them alike.
        let bytes = Array("ab".utf8) + [0xC3] + Array(" 5\nab".utf8) + [0xC4] + Array(" 3\nab\u{FFFD} 1\nz 4\n".utf8)
        let vocabulary = try Vocabulary.read(from: directory.file("vocab.txt", bytes: bytes))
        #expect(vocabulary.words == ["ab\u{FFFD}", "z"])
        #expect(vocabulary.counts == [9, 4])
    }

    @Test func theSameInvalidBytesTwiceAreADuplicate() {
        let (path, error) = readError(Array("z 1\nab".utf8) + [0xC3] + Array(" 5\nab".utf8) + [0xC3] + Array(" 3\n".utf8))
        #expect(error == .malformedFile(path, line: 3, "word 'ab\u{FFFD}' appears twice (first on line 2)"))
    }

    @Test func rejectsControlBytesInWords() {
        let (path, error) = readError(Array("a 1\nx\u{1B}[2J 5\n".utf8))
        #expect(error == .malformedFile(path, line: 2, "the word 'x\\x1B[2J' contains the control byte \\x1B"))
    }

    @Test(arguments: [("new york", "contains a space"), ("", "is empty"), ("a\u{0}", "contains the control byte \\x00")])
    func writerRejectsWordsThatCannotBeReadBack(word: String, problem: String) {
        let vocabulary = Vocabulary(entries: [("fine", 2), (word, 1)])
        let path = directory.path + "/vocab.txt"
        let shown = word.replacingOccurrences(of: "\u{0}", with: "\\x00")
        #expect(word2VecError { try vocabulary.write(to: path) } == .unwritableFile(
            path, reason: "word 2 '\(shown)' \(problem), which a vocabulary file cannot hold"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
