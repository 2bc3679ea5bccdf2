import Foundation
import Testing
import Word2Vec

@Suite
struct QueryCommandTests {
    let directory = TestDirectory()

    var vectors: String {
        directory.file("v.txt", "4 2\neast 1 0 \nnortheast 1 1 \nnorth 0 1 \nwest -1 0 \n")
    }

    /// A space followed by a combining mark is one grapheme cluster; training splits bytes, so a
    /// query must split there too (it glued `a` and the word after it).
    @Test func queryLinesSplitAtSpaceBytesLikeTraining() throws {
        let file = directory.file("marks.txt", "3 2\na 1 0\n\u{301}b 0 1\nc 1 1\n")
        let run = try runWord2Vec(["vector", file], input: "a \u{301}b\n")
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.split(separator: "\n").count == 2, "\(run.standardOutput)")
        let similar = try runWord2Vec(["similar", file, "--top", "1"], input: "a \u{301}b\n")
        #expect(similar.status == 0 && similar.standardError.isEmpty, "\(similar.standardError)")
        #expect(similar.standardOutput.hasPrefix("c\t"))
    }

    /// `--format` takes the library's layouts by their names, and `auto` for detecting them.
    @Test func formatNamesTheLayoutOrAuto() throws {
        let glove = directory.file("glove.txt", "east 1 0 0\nnorth 0 1 0\nnortheast 1 1 0\n")
        for format in ["auto", "headerless"] {
            let run = try runWord2Vec(["similar", glove, "east", "--top", "1", "--format", format])
            #expect(run.status == 0, "\(format): \(run.standardError)")
            #expect(run.standardOutput == "northeast\t0.707107\n")
        }
        let asText = try runWord2Vec(["similar", glove, "east", "--format", "text"])
        #expect(asText.status == 65 && asText.standardError.contains("expected a header 'count dimension'"), "\(asText.standardError)")
        CommandLineSurfaceTests.expectFailure(
            try runWord2Vec(["similar", glove, "east", "--format", "glove"]),
            status: 64, mentions: "--format must be auto, text, binary or headerless (got 'glove')")
    }

    @Test func similarPrintsNeighbours() throws {
        let run = try runWord2Vec(["similar", vectors, "east", "--top", "2"])
        #expect(run.status == 0)
        #expect(run.standardOutput == "northeast\t0.707107\nnorth\t0.000000\n")
    }

    @Test func similarReadsQueriesFromAPipeUntilExit() throws {
        let run = try runWord2Vec(["similar", vectors, "--top", "1"], input: "east\nnorth east\nnowhere\nEXIT\nwest\n")
        #expect(run.status == 0)
        // One block per line, each ended by an empty line; the unknown word's block is empty.
        #expect(run.standardOutput == "northeast\t0.707107\n\nnortheast\t1.000000\n\n\n")
        #expect(run.standardError == "word2vec: word 'nowhere' is not in the vocabulary\n")
    }

    @Test func similarPrintsJSON() throws {
        let run = try runWord2Vec(["similar", vectors, "north", "--negative", "west", "--top", "1", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let neighbours = try #require(object["neighbours"] as? [[String: Any]])
        #expect(neighbours.first?["word"] as? String == "northeast")
        #expect(object["negative"] as? [String] == ["west"])
    }

    @Test func analogyCommand() throws {
        let run = try runWord2Vec(["analogy", vectors, "west", "north", "east", "--top", "1"])
        #expect(run.status == 0)
        #expect(run.standardOutput.hasPrefix("northeast\t"))
    }

    @Test func evaluateCommandsPrintJSON() throws {
        let questions = directory.file("q.txt", ": s\nwest north east northeast\nwest east north nowhere\n")
        let run = try runWord2Vec(["evaluate", "analogies", vectors, questions, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let total = try #require(object["total"] as? [String: Any])
        #expect(total["correct"] as? Int == 1)
        #expect(object["oov"] as? Int == 1)
        let pairs = directory.file("p.tsv", "east\tnortheast\t5\nnorth\tnortheast\t6\neast\twest\t0\n")
        let similarity = try runWord2Vec(["evaluate", "similarity", vectors, pairs, "--json"])
        let result = try #require(try JSONSerialization.jsonObject(with: Data(similarity.standardOutput.utf8)) as? [String: Any])
        #expect(abs((result["spearman"] as? Double ?? 0) - 3.0.squareRoot() / 2) < 1e-9)
        #expect(result["pairs"] as? Int == 3)
    }

    @Test func malformedVectorsGiveOneLineAndAnError() throws {
        let bad = directory.file("bad.txt", "2 2\na 1 2\nb 1\n")
        let run = try runWord2Vec(["similar", bad, "a"])
        #expect(run.status == 65)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError == "word2vec: error: \(bad):3: expected 2 values after the word 'b', found 1\n")
    }

    /// Other tools' model files are named, with a way to convert them, instead of having their bytes
    /// quoted as a malformed header.
    @Test func otherToolsModelFilesAreNamedWithAConversion() throws {
        // gensim's save(): a pickle, protocol 2 to 5.
        for protocolNumber: UInt8 in [2, 4, 5] {
            let pickle = directory.file("w2v-\(protocolNumber).model", bytes: [0x80, protocolNumber, 0x95, 0x3A, 0x01, 0x00] + Array("cgensim.models.word2vec".utf8))
            let run = try runWord2Vec(["similar", pickle, "king"])
            #expect(run.status == 65, "\(run.standardError)")
            #expect(run.standardError.split(separator: "\n").count == 1)
            #expect(run.standardError.contains("a Python pickle (gensim's model.save())"), "\(run.standardError)")
            #expect(run.standardError.contains("save_word2vec_format"))
            #expect(!run.standardError.contains("found '"))
        }
        // fastText's .bin: the magic 793712314 and version 12, little-endian, cut after one field.
        // It is read as a fastText model, whose truncation is named.
        let fastText = directory.file("cc.en.300.bin", bytes: [0xBA, 0x16, 0x4F, 0x2F, 0x0C, 0x00, 0x00, 0x00, 0x2C, 0x01, 0x00, 0x00])
        for command in [["similar", fastText, "king"], ["vector", fastText, "king"], ["convert", fastText, "--to", "text", "--output", directory.path + "/o.txt"]] {
            let run = try runWord2Vec(command)
            #expect(run.status == 65, "\(run.standardError)")
            #expect(run.standardError.split(separator: "\n").count == 1)
            #expect(run.standardError.contains("cc.en.300.bin") && run.standardError.contains("fastText model is truncated"), "\(run.standardError)")
        }
        // Read as a vector file (a format given), it is named as a fastText model.
        let asVectors = try runWord2Vec(["vector", fastText, "king", "--format", "binary"])
        #expect(asVectors.status == 65, "\(asVectors.standardError)")
        #expect(asVectors.standardError.contains("a fastText model (.bin)"), "\(asVectors.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/o.txt"))
    }

    @Test func unknownWordsAndBadFlagsFail() throws {
        let unknown = try runWord2Vec(["similar", vectors, "nowhere"])
        #expect(unknown.status == 1)
        #expect(unknown.standardError == "word2vec: error: word 'nowhere' is not in the vocabulary\n")
        let badTop = try runWord2Vec(["similar", vectors, "east", "--top", "0"])
        #expect(badTop.status != 0)
        #expect(badTop.standardError.split(separator: "\n").count == 1)
    }
}
