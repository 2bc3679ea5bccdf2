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
        #expect(loaded.vector(for: "и") == [-0.11189, 0.12135])
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

    @Test(arguments: [Word2VecFormat.text, .binary])
    func roundTripsTrainedVectors(format: Word2VecFormat) throws {
        var configuration = TrainingConfiguration()
        configuration.dimension = 8
        configuration.minCount = 1
        configuration.epochs = 1
        configuration.threads = 1
        let sentences = (0..<50).map { i in ["alpha", "beta", "gamma", "delta", "w\(i % 7)", "ωμέγα"] }
        let model = try Trainer(configuration: configuration).train(corpus: InMemoryCorpus(sentences: sentences))
        let path = directory.path + "/trained.\(format.rawValue)"
        try model.embeddings.write(to: path, format: format)
        let loaded = try Embeddings.load(path: path)
        #expect(loaded.words == model.embeddings.words)
        let original = rows(of: model.embeddings)
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
        // Must fail cleanly, not try to allocate 10^15 rows.
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
}
