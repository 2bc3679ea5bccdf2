import Foundation
import Testing
import Word2Vec

@Suite struct VectorReaderTests {
    let directory = TestDirectory()

    // MARK: Layouts

    @Test func readsTheCToolsTextLayoutWithTrailingSpaces() throws {
        let path = directory.file("c.txt", "2 3\nthe 0.100000 -0.200000 3.000000 \nof 1.000000 2.000000 -3.500000 \n")
        let loaded = try Embeddings.load(path: path)
        #expect(loaded.words == ["the", "of"])
        #expect(rows(of: loaded) == [[0.1, -0.2, 3], [1, 2, -3.5]])
    }

    @Test func readsGensimTextWithCRLFAndExponents() throws {
        let path = directory.file("g.txt", "2 2\r\nkangaroo.n.01 -0.0007369244245224787 -8.269973595356034e-05\r\nhorse 1E+2 +2.5\r\n")
        let loaded = try Embeddings.load(path: path)
        #expect(loaded.words == ["kangaroo.n.01", "horse"])
        // Rounded once to double, then to float, as numpy does.
        #expect(rows(of: loaded) == [[Float(-0.0007369244245224787), Float(-8.269973595356034e-05)], [100, 2.5]])
    }

    @Test func readsFastTextVecWithUnicodeWords() throws {
        let path = directory.file("f.vec", "2 2\nи -0.11189 0.12135 \nпреступление 0.5 -1 \n")
        let loaded = try Embeddings.load(path: path)
        #expect(loaded.words == ["и", "преступление"])
        #expect(try loaded.vector(for: "и") == [-0.11189, 0.12135])
    }

    @Test func readsTheCToolsBinaryLayout() throws {
        let bytes = Array("2 3\n".utf8) + Array("the ".utf8) + floatBytes([1, -2, 0.5]) + [0x0A]
            + Array("of ".utf8) + floatBytes([0.25, 3, -1]) + [0x0A]
        let loaded = try Embeddings.load(path: directory.file("c.bin", bytes: bytes))
        #expect(loaded.words == ["the", "of"])
        #expect(rows(of: loaded) == [[1, -2, 0.5], [0.25, 3, -1]])
    }

    @Test func readsBinaryWithoutNewlinesAsGensimWritesIt() throws {
        let bytes = Array("2 2\n".utf8) + Array("a ".utf8) + floatBytes([1, 2]) + Array("b ".utf8) + floatBytes([3, 4])
        let loaded = try Embeddings.load(path: directory.file("g.bin", bytes: bytes))
        #expect(loaded.words == ["a", "b"])
        #expect(rows(of: loaded) == [[1, 2], [3, 4]])
    }

    @Test func readsGloVeWithoutHeader() throws {
        let path = directory.file("glove.txt", "the 0.418 0.24968 -0.41242\n, 0.013441 0.23682 -0.16899\n\n")
        let loaded = try Embeddings.load(path: path)
        #expect(loaded.words == ["the", ","])
        #expect(loaded.dimension == 3)
        #expect(try Embeddings.load(path: path, format: .headerless, limit: 1).words == ["the"])
    }

    @Test func limitReadsOnlyTheFirstVectors() throws {
        // The rest of the file is broken, which must not matter.
        let text = directory.file("t.txt", "3 2\na 1 2\nb 3 4\nc oops\n")
        #expect(try Embeddings.load(path: text, limit: 2).words == ["a", "b"])
        let binary = Array("3 2\n".utf8) + Array("a ".utf8) + floatBytes([1, 2]) + Array("\nb ".utf8) + [1, 2]
        let loaded = try Embeddings.load(path: directory.file("t.bin", bytes: binary), limit: 1)
        #expect(loaded.words == ["a"])
        #expect(rows(of: loaded) == [[1, 2]])
    }

    @Test func explicitFormatOverridesDetection() throws {
        let path = directory.file("t.txt", "1 2\na 1 2\n")
        #expect(try Embeddings.load(path: path, format: .text).words == ["a"])
        // As binary, "1 2\n" after "a " holds 4 of the 8 bytes of two floats.
        #expect(word2VecError { _ = try Embeddings.load(path: path, format: .binary) }
            == .malformedData(path, offset: 6, "file ends inside the vector of 'a' (vector 1 of 1): 4 of 8 bytes present"))
    }

    // MARK: Round trips with the trainer and writer

    /// Every layout the one format enum names is written and read back, named and detected alike.
    @Test(arguments: VectorFileFormat.allCases)
    func roundTripsTrainedVectors(format: VectorFileFormat) throws {
        var configuration = TrainingConfiguration()
        configuration.dimension = 8
        configuration.minCount = 1
        configuration.epochs = 1
        configuration.threads = 1
        let sentences = (0..<50).map { i in ["alpha", "beta", "gamma", "delta", "w\(i % 7)", "ωμέγα"] }
        let model = try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: sentences))
        let path = directory.path + "/trained.\(format.rawValue)"
        try model.embeddings.write(to: path, format: format)
        let header = "\(model.embeddings.count) 8\n"
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).starts(with: Data(header.utf8)) == (format != .headerless))
        let loaded = try Embeddings.load(path: path, format: format)
        let detected = try Embeddings.load(path: path)
        #expect(loaded.words == model.embeddings.words)
        #expect(detected.words == loaded.words && rows(of: detected) == rows(of: loaded))
        let original = rows(of: model.embeddings)
        #expect(rows(of: loaded).count == original.count)
        for (read, written) in zip(rows(of: loaded), original) {
            for (a, b) in zip(read, written) {
                // Text holds six decimals; binary is exact.
                #expect(format == .binary ? a == b : abs(a - b) <= 5e-7)
            }
        }
    }

    // MARK: Malformed files, one case each

    @Test func rejectsAnEmptyFile() {
        let path = directory.file("e.txt", "")
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedFile(path, line: 1, "empty file; expected a header 'count dimension'"))
    }

    @Test func rejectsABadHeader() {
        let path = directory.file("h.txt", "ten 3\na 1 2 3\n")
        #expect(word2VecError { _ = try Embeddings.load(path: path) } == .malformedFile(
            path, line: 1, "expected a header 'count dimension' (a count >= 0 and a dimension >= 1), found 'ten 3'"))
    }

    @Test func rejectsAZeroDimension() {
        let path = directory.file("h.txt", "1 0\na\n")
        guard case .malformedFile(_, line: 1, _)? = word2VecError({ _ = try Embeddings.load(path: path) }) else {
            Issue.record("expected a header error")
            return
        }
    }

    @Test func rejectsAHeaderAnnouncingMoreVectorsThanTheFileCanHold() {
        // Must fail cleanly, not try to allocate 10^15 rows (nor one row of 300 values that the
        // file's 10 bytes cannot hold).
        let path = directory.file("h.txt", "1000000000000000 300\na 1 2 3 4\n")
        guard case .malformedFile(_, line: 2, _)? = word2VecError({ _ = try Embeddings.load(path: path) }) else {
            Issue.record("expected an error on line 2")
            return
        }
    }

    @Test func rejectsTooFewValuesOnALine() {
        let path = directory.file("v.txt", "2 3\na 1 2 3\nb 1 2\n")
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedFile(path, line: 3, "expected 3 values after the word 'b', found 2"))
    }

    @Test func rejectsTooManyValuesOnALine() {
        let path = directory.file("v.txt", "1 2\na 1 2 3\n")
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedFile(path, line: 2, "expected 2 values after the word 'a', found 3"))
    }

    @Test func rejectsANonNumericValue() {
        let path = directory.file("v.txt", "2 2\na 1 2\nb 1 x2\n")
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedFile(path, line: 3, "value 2 'x2' is not a number"))
    }

    @Test func rejectsATruncatedTextFile() {
        let path = directory.file("v.txt", "3 2\na 1 2\nb 3 4\n")
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedFile(path, line: 4, "file ends after 2 of the 3 vectors announced in the header"))
    }

    @Test func rejectsMoreVectorsThanTheHeaderAnnounces() {
        let path = directory.file("v.txt", "1 2\na 1 2\nb 3 4\n")
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedFile(path, line: 3, "unexpected data after the 1 vectors announced in the header"))
    }

    @Test func rejectsAnEmptyLineBetweenVectors() {
        let path = directory.file("v.txt", "2 2\na 1 2\n\nb 3 4\n")
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedFile(path, line: 3, "empty line; expected a word and 2 values"))
    }

    @Test func rejectsADuplicateWordInText() {
        let path = directory.file("v.txt", "3 1\na 1\nb 2\na 3\n")
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedFile(path, line: 4, "word 'a' appears twice (first on line 2)"))
    }

    @Test func rejectsADuplicateWordInBinary() {
        let bytes = Array("2 1\n".utf8) + Array("a ".utf8) + floatBytes([1]) + Array("\na ".utf8) + floatBytes([2]) + [0x0A]
        let path = directory.file("v.bin", bytes: bytes)
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedData(path, offset: 11, "word 'a' appears twice (first at byte 4)"))
    }

    @Test func rejectsBinaryDataTruncatedInsideAVector() {
        let bytes = Array("2 2\n".utf8) + Array("a ".utf8) + floatBytes([1, 2]) + Array("\nb ".utf8) + floatBytes([3]) + [0x3F]
        let path = directory.file("v.bin", bytes: bytes)
        #expect(word2VecError { _ = try Embeddings.load(path: path) } == .malformedData(
            path, offset: 17, "file ends inside the vector of 'b' (vector 2 of 2): 5 of 8 bytes present"))
    }

    @Test func rejectsBinaryDataTruncatedInsideAWord() {
        let bytes = Array("2 1\n".utf8) + Array("a ".utf8) + floatBytes([1]) + Array("\nbet".utf8)
        let path = directory.file("v.bin", bytes: bytes)
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedData(path, offset: 11, "file ends inside the word of vector 2 of 2"))
    }

    @Test func rejectsBinaryDataEndingBeforeTheAnnouncedCount() {
        let bytes = Array("2 1\n".utf8) + Array("a ".utf8) + floatBytes([1]) + [0x0A]
        let path = directory.file("v.bin", bytes: bytes)
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedData(path, offset: 11, "file ends after 1 of the 2 vectors announced in the header"))
    }

    @Test func rejectsDataAfterTheLastBinaryVector() {
        let bytes = Array("1 1\n".utf8) + Array("a ".utf8) + floatBytes([1]) + Array("\nb ".utf8) + floatBytes([2])
        let path = directory.file("v.bin", bytes: bytes)
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedData(path, offset: 11, "unexpected data after the 1 vectors announced in the header"))
    }

    @Test func reportsAMissingFile() {
        let path = directory.path + "/missing.txt"
        guard case .unreadableFile(path, _)? = word2VecError({ _ = try Embeddings.load(path: path) }) else {
            Issue.record("expected unreadableFile")
            return
        }
    }

    @Test func errorMessagesStayOnOneLine() {
        let bytes = Array("x\n\u{7}y 3\n".utf8)
        let path = directory.file("v.txt", bytes: bytes)
        let message = word2VecError { _ = try Embeddings.load(path: path) }.map { "\($0)" } ?? ""
        #expect(!message.isEmpty && !message.contains("\n"))
    }

    // MARK: Hostile headers (issue 9)

    /// Headers whose dimension overflowed `dimension * 4`, `2 * dimension + 1` or the matrix size, or
    /// made a 20-byte file allocate 4-40 GB.
    static let hostileHeaders = [
        "1 4611686018427387904\nking 1\n", "1 9223372036854775807\nking 1\n", "1 2305843009213693952\nking 1\n",
        "1 1073741824\nking 1\n", "1 10000000000\nking 1\n",
    ]

    @Test(arguments: hostileHeaders, [nil, VectorFileFormat.text, .binary])
    func rejectsADimensionAboveTheMaximumBeforeAllocating(header: String, format: VectorFileFormat?) {
        let path = directory.file("h.txt", header)
        let dimension = header.split(separator: " ")[1].split(separator: "\n")[0]
        #expect(word2VecError { _ = try Embeddings.load(path: path, format: format) } == .malformedFile(
            path, line: 1, "the header's dimension \(dimension) is above the supported maximum of 16777216"))
    }

    @Test func aDimensionTooLargeForTheFileFailsOnTheFirstEntryWithoutAllocatingForIt() {
        let text = directory.file("t.txt", "1 16777216\nking 1\n")
        #expect(word2VecError { _ = try Embeddings.load(path: text, format: .text) }
            == .malformedFile(text, line: 2, "expected 16777216 values after the word 'king', found 1"))
        let binary = directory.file("t.bin", bytes: Array("1 16777216\nking ".utf8) + floatBytes([1]))
        #expect(word2VecError { _ = try Embeddings.load(path: binary) } == .malformedData(
            binary, offset: 16, "file ends inside the vector of 'king' (vector 1 of 1): 4 of 67108864 bytes present"))
    }

    @Test func aHugeCountWithAValidFirstEntryFailsAtTheEnd() {
        let binary = directory.file("c.bin", bytes: Array("9223372036854775807 2\na ".utf8) + floatBytes([1, 2]))
        #expect(word2VecError { _ = try Embeddings.load(path: binary) } == .malformedData(
            binary, offset: 32, "file ends after 1 of the 9223372036854775807 vectors announced in the header"))
        let text = directory.file("c.txt", "9223372036854775807 2\na 1 2\n")
        #expect(word2VecError { _ = try Embeddings.load(path: text) } == .malformedFile(
            text, line: 3, "file ends after 1 of the 9223372036854775807 vectors announced in the header"))
    }

    @Test(arguments: hostileHeaders)
    func similarReportsAHostileHeaderInOneLine(header: String) throws {
        let path = directory.file("h.txt", header)
        let run = try runWord2Vec(["similar", path, "king"])
        #expect(run.status == 65)
        #expect(run.standardError.hasPrefix("word2vec: error: \(path):1: "))
        #expect(run.standardError.hasSuffix("\n") && run.standardError.filter { $0 == "\n" }.count == 1)
        #expect(run.standardOutput.isEmpty)
    }

    // MARK: Non-finite values (issue 9)

    @Test(arguments: ["nan", "-inf", "inf", "Infinity", "NaN", "1e39", "-3.5e38"])
    func rejectsANonFiniteTextValue(value: String) {
        let path = directory.file("n.txt", "2 2\nking 1 2\nqueen 0.5 \(value)\n")
        #expect(word2VecError { _ = try Embeddings.load(path: path) } == .malformedFile(
            path, line: 3, "value 2 '\(value)' of the word 'queen' is not a finite 32-bit float"))
        let glove = directory.file("g.txt", "king 1 2 3\nqueen \(value) 2 3\n")
        #expect(word2VecError { _ = try Embeddings.load(path: glove) } == .malformedFile(
            glove, line: 2, "value 1 '\(value)' of the word 'queen' is not a finite 32-bit float"))
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func rejectsANonFiniteBinaryValue(value: Float) {
        let bytes = Array("2 2\nking ".utf8) + floatBytes([1, 2]) + Array("\nqueen ".utf8) + floatBytes([0.5, value]) + [0x0A]
        let path = directory.file("n.bin", bytes: bytes)
        #expect(word2VecError { _ = try Embeddings.load(path: path) } == .malformedData(
            path, offset: 28, "value 2 of the word 'queen' (vector 2) is \(value), not a finite number"))
    }

    // MARK: Words (issue 9)

    @Test func rejectsBinaryWordsWithControlBytes() {
        // A newline inside a word (not before it, where the C tool puts one) and an escape sequence.
        let newline = directory.file("w.bin", bytes: Array("1 1\nki\nng ".utf8) + floatBytes([1]))
        #expect(word2VecError { _ = try Embeddings.load(path: newline) }
            == .malformedData(newline, offset: 4, "the word of vector 1 'ki?ng' contains the control byte \\x0A"))
        let escape = directory.file("e.bin", bytes: Array("2 1\na ".utf8) + floatBytes([1]) + Array("\n\u{1B}[2J ".utf8) + floatBytes([2]))
        #expect(word2VecError { _ = try Embeddings.load(path: escape) }
            == .malformedData(escape, offset: 11, "the word of vector 2 '?[2J' contains the control byte \\x1B"))
    }

    @Test func rejectsTextWordsWithControlBytes() {
        let path = directory.file("w.txt", "2 1\na 1\nb\u{0}c 2\n")
        #expect(word2VecError { _ = try Embeddings.load(path: path) }
            == .malformedFile(path, line: 3, "the word 'b?c' contains the control byte \\x00"))
        let glove = directory.file("g.txt", "a 1 2 3\nb\rc 1 2 3\n")
        #expect(word2VecError { _ = try Embeddings.load(path: glove) }
            == .malformedFile(glove, line: 2, "the word 'b?c' contains the control byte \\x0D"))
    }

    @Test(arguments: [("a b", "contains a space"), ("", "is empty"), ("a\tb", "contains the control byte \\x09"),
                      ("x\u{1B}[31m", "contains the control byte \\x1B")])
    func embeddingsRejectWordsThatCannotBeReadBack(word: String, problem: String) {
        let shown = word.replacingOccurrences(of: "\t", with: "\\x09").replacingOccurrences(of: "\u{1B}", with: "\\x1B")
        #expect(word2VecError { _ = try Embeddings(words: ["fine", word], vectors: Matrix(rows: 2, columns: 2)) }
            == .invalidOption("words", "entry 2 '\(shown)' \(problem)"))
    }

    @Test(arguments: VectorFileFormat.allCases)
    func writerRejectsAVocabularyWordWithASpaceAndLeavesNoFile(format: VectorFileFormat) throws {
        // Vectors from a model whose vocabulary came from `Vocabulary(entries:)`, which takes any word.
        var configuration = TrainingConfiguration()
        configuration.dimension = 2
        configuration.minCount = 1
        configuration.epochs = 1
        configuration.threads = 1
        let vocabulary = Vocabulary(entries: [("good", 3), ("new york", 2)])
        let model = try Trainer(configuration: configuration).train(
            corpus: InMemoryCorpus(sentences: [["good", "good"]]), vocabulary: vocabulary)
        let path = directory.path + "/v.\(format.rawValue)"
        #expect(word2VecError { try model.embeddings.write(to: path, format: format) } == .unwritableFile(
            path, reason: "word 2 'new york' contains a space, which a vector file cannot hold"))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func wordsAreComparedAsBytesNotAsCanonicallyEquivalentStrings() throws {
        let nfc = "Li\u{E8}ge", nfd = "Lie\u{300}ge"
        #expect(nfc == nfd)  // Swift's String equality, which must not decide word identity
        let path = directory.file("u.txt", "2 1\n\(nfc) 1\n\(nfd) 2\n")
        let loaded = try Embeddings.load(path: path)
        #expect(loaded.count == 2)
        #expect(try loaded.vector(for: nfc) == [1] && loaded.vector(for: nfd) == [2])
        let written = directory.path + "/u.bin"
        try loaded.write(to: written, format: .binary)
        #expect(try Embeddings.load(path: written).words.map { Array($0.utf8) } == [Array(nfc.utf8), Array(nfd.utf8)])
        // The duplicate named is the real one, not the canonically equal pair before it.
        #expect(word2VecError { _ = try Embeddings(words: [nfc, nfd, "x", "x"], vectors: Matrix(rows: 4, columns: 1)) }
            == .invalidOption("words", "contains 'x' twice"))
    }

    @Test func wordsEqualOnlyAfterRepairKeepTheFirstVector() throws {
        // The C tool cuts words at a byte limit, possibly inside a character: "ab\xC3" and "ab\xC4"
        // both read as "ab\u{FFFD}". gensim keeps the first of such repeats; so do we.
        let text = directory.file("r.txt", bytes: Array("3 1\nab".utf8) + [0xC3] + Array(" 1\nab".utf8) + [0xC4]
            + Array(" 2\nab\u{FFFD} 3\n".utf8))
        let loaded = try Embeddings.load(path: text)
        #expect(loaded.words == ["ab\u{FFFD}"])
        #expect(rows(of: loaded) == [[1]])
        let binary = directory.file("r.bin", bytes: Array("3 1\nab".utf8) + [0xC3, 0x20] + floatBytes([1]) + Array("\nz ".utf8)
            + floatBytes([5]) + Array("\nab".utf8) + [0xC4, 0x20] + floatBytes([2]))
        let fromBinary = try Embeddings.load(path: binary)
        #expect(fromBinary.words == ["ab\u{FFFD}", "z"])
        #expect(rows(of: fromBinary) == [[1], [5]])
        #expect(fromBinary.index(of: "z") == 1)
    }

    @Test func theSameInvalidBytesTwiceAreADuplicate() {
        let text = directory.file("d.txt", bytes: Array("2 1\nab".utf8) + [0xC3] + Array(" 1\nab".utf8) + [0xC3] + Array(" 2\n".utf8))
        #expect(word2VecError { _ = try Embeddings.load(path: text) }
            == .malformedFile(text, line: 3, "word 'ab\u{FFFD}' appears twice (first on line 2)"))
        let binary = directory.file("d.bin", bytes: Array("2 1\nab".utf8) + [0xC3, 0x20] + floatBytes([1]) + Array("\nab".utf8)
            + [0xC3, 0x20] + floatBytes([2]))
        #expect(word2VecError { _ = try Embeddings.load(path: binary) }
            == .malformedData(binary, offset: 13, "word 'ab\u{FFFD}' appears twice (first at byte 4)"))
    }
}
