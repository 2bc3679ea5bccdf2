import Foundation
import Testing
import Word2Vec

/// gensim-style verbs (`similarity`, `n_similarity`, `doesnt_match`, mean vectors) and the commands
/// built on them, on vectors whose answers can be worked out by hand: `a`, `b`, `c` lie on the axes
/// with lengths 1, 2 and 3, so that raw and unit averages differ, and `d` is the diagonal of `a` and
/// `b`.
@Suite
struct QueryVerbTests {
    let directory = TestDirectory()

    static let text = "4 3\na 1 0 0\nb 0 2 0\nc 0 0 3\nd 1 1 0\n"

    var vectors: String { directory.file("v.txt", Self.text) }

    func index() throws -> SimilarityIndex {
        SimilarityIndex(try Embeddings.load(path: vectors))
    }

    static let unknownWord = Word2VecError.unknownWord("zz")

    // MARK: Library

    @Test func cosineOfTwoWords() throws {
        let index = try index()
        #expect(try index.similarity("a", "b") == 0)
        #expect(abs(try index.similarity("b", "d") - 0.5.squareRoot().asFloat) < 1e-6)
        #expect(throws: Self.unknownWord) { try index.similarity("a", "zz") }
    }

    @Test func vectorIsTheRawRow() throws {
        let index = try index()
        #expect(try index.vector(for: "b") == [0, 2, 0])
        #expect(throws: Self.unknownWord) { try index.vector(for: "zz") }
    }

    /// gensim 4 averages the raw vectors: mean(a, b) = (0.5, 1, 0), whose cosine with d = (1, 1, 0) is
    /// 1.5 / (sqrt(1.25) * sqrt(2)); averaging unit vectors would give exactly 1.
    @Test func nSimilarityAveragesRawVectors() throws {
        let index = try index()
        let expected = Float(1.5 / (1.25.squareRoot() * 2.0.squareRoot()))
        #expect(abs(try index.nSimilarity(["a", "b"], ["d"]) - expected) < 1e-6)
        #expect(abs(try index.nSimilarity(["d"], ["b", "a"]) - expected) < 1e-6)
        #expect(try index.nSimilarity(["a"], ["c"]) == 0)
        #expect(throws: Self.unknownWord) { try index.nSimilarity(["a"], ["zz"]) }
        #expect(throws: Word2VecError.self) { try index.nSimilarity([], ["a"]) }
    }

    @Test func meanVectorAveragesUnitVectors() throws {
        let index = try index()
        #expect(try index.meanVector(of: ["a", "b"]) == [0.5, 0.5, 0])
        #expect(try index.meanVector(of: ["c"]) == [0, 0, 1])
        #expect(try index.meanVector(of: ["b", "b", "c", "c"]) == [0, 0.5, 0.5])
        #expect(throws: Self.unknownWord) { try index.meanVector(of: ["a", "zz"]) }
        #expect(throws: Word2VecError.self) { try index.meanVector(of: []) }
    }

    /// Unit mean of a, b, c, d points along (1 + 1/sqrt 2, 1 + 1/sqrt 2, 1): c is furthest, d nearest.
    @Test func doesntMatchPicksTheWordFurthestFromTheMean() throws {
        let index = try index()
        let ranking = try index.rankByCentrality(["c", "a", "d", "b"])
        #expect(ranking.map(\.word) == ["d", "b", "a", "c"])  // a and b tie; see the next test
        #expect(try index.doesntMatch(["a", "b", "c", "d"]) == "c")
        let odd = try #require(ranking.last)
        #expect(odd.index == 2)
        let r = 1 + 0.5.squareRoot()
        #expect(abs(odd.score - Float(1 / (2 * r * r + 1).squareRoot())) < 1e-6)
        #expect(throws: Self.unknownWord) { try index.doesntMatch(["a", "zz"]) }
        #expect(throws: Word2VecError.self) { try index.doesntMatch([]) }
    }

    /// Equal scores: gensim sorts (score, word) pairs descending and takes the last, the least word.
    @Test func doesntMatchBreaksTiesAsGensim() throws {
        let index = try index()
        #expect(try index.doesntMatch(["b", "a"]) == "a")
        #expect(try index.rankByCentrality(["a", "b"]).map(\.word) == ["b", "a"])
    }

    // MARK: Command line

    @Test func vectorCommandPrintsRawValuesAndFailsForUnknownWords() throws {
        let run = try runWord2Vec(["vector", vectors, "b", "zz", "d", "yy"])
        #expect(run.status == 1)
        #expect(run.standardOutput == "b 0.000000 2.000000 0.000000\nd 1.000000 1.000000 0.000000\n")
        #expect(run.standardError == "word2vec: error: words 'zz', 'yy' are not in the vocabulary\n")
        let known = try runWord2Vec(["vector", vectors, "a"])
        #expect(known.status == 0)
        #expect(known.standardOutput == "a 1.000000 0.000000 0.000000\n")
        #expect(known.standardError.isEmpty)
    }

    @Test func vectorCommandReadsWordsFromStandardInputAndPrintsJSON() throws {
        let piped = try runWord2Vec(["vector", vectors], input: "c a\nb\n")
        #expect(piped.status == 0)
        #expect(piped.standardOutput.split(separator: "\n").map { $0.split(separator: " ")[0] } == ["c", "a", "b"])
        let run = try runWord2Vec(["vector", vectors, "c", "zz", "--json"])
        #expect(run.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["dimension"] as? Int == 3)
        #expect(object["unknown"] as? [String] == ["zz"])
        let entries = try #require(object["vectors"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["word"] as? String == "c")
        #expect(entries.first?["vector"] as? [Double] == [0, 0, 3])
    }

    /// Every --json output is one compact object per line, and every ranking names its rows with the
    /// same fields (word, index, score).
    @Test func jsonIsOneCompactObjectPerQueryLineEverywhere() throws {
        let similar = try runWord2Vec(["similar", vectors, "c", "--top", "2", "--json"])
        let analogy = try runWord2Vec(["analogy", vectors, "a", "b", "c", "--top", "2", "--json"])
        let perLine = try runWord2Vec(["vector", vectors, "--json"], input: "c a\nzz\nb\n")
        let arguments = try runWord2Vec(["vector", vectors, "c", "a", "--json"])
        let similarity = try runWord2Vec(["similarity", vectors, "b", "d", "--json"])
        for (run, lines) in [(similar, 1), (analogy, 1), (perLine, 3), (arguments, 1), (similarity, 1)] {
            let output = run.standardOutput.split(separator: "\n")
            #expect(output.count == lines, "\(run.standardOutput)")
            for line in output {
                #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any], "\(line)")
            }
        }
        #expect(perLine.status == 1)
        let lines = try perLine.standardOutput.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.map { ($0["vectors"] as? [[String: Any]])?.compactMap { $0["word"] as? String } } == [["c", "a"], [], ["b"]])
        #expect(lines.map { $0["unknown"] as? [String] } == [[], ["zz"], []])
        for run in [similar, analogy] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
            let first = try #require((object["neighbours"] as? [[String: Any]])?.first)
            #expect(Set(first.keys) == ["word", "index", "score"], "\(run.standardOutput)")
        }
    }

    @Test func similarityCommand() throws {
        let run = try runWord2Vec(["similarity", vectors, "b", "d"])
        #expect(run.status == 0)
        #expect(run.standardOutput == "0.707107\n")
        let json = try runWord2Vec(["similarity", vectors, "a", "c", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["similarity"] as? Double == 0)
        #expect(object["a"] as? String == "a")
        let unknown = try runWord2Vec(["similarity", vectors, "a", "zz"])
        #expect(unknown.status == 1)
        #expect(unknown.standardOutput.isEmpty)
        #expect(unknown.standardError == "word2vec: error: word 'zz' is not in the vocabulary\n")
    }

    @Test func nSimilarityCommand() throws {
        let run = try runWord2Vec(["n-similarity", vectors, "--first", "a", "b", "--second", "d"])
        #expect(run.status == 0)
        #expect(run.standardOutput == "0.948683\n")
        let json = try runWord2Vec(["n-similarity", vectors, "--first", "a", "--second", "b", "c", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["first"] as? [String] == ["a"])
        #expect(object["second"] as? [String] == ["b", "c"])
        #expect(object["similarity"] as? Double == 0)
        let unknown = try runWord2Vec(["n-similarity", vectors, "--first", "zz", "--second", "a"])
        #expect(unknown.status == 1)
        #expect(unknown.standardError == "word2vec: error: word 'zz' is not in the vocabulary\n")
        let missing = try runWord2Vec(["n-similarity", vectors, "--first", "a"])
        #expect(missing.status != 0)
        #expect(missing.standardError.hasPrefix("word2vec: error: "))
        #expect(missing.standardError.split(separator: "\n").count == 1)
    }

    @Test func doesntMatchCommand() throws {
        let run = try runWord2Vec(["doesnt-match", vectors, "a", "b", "c", "d"])
        #expect(run.status == 0)
        #expect(run.standardOutput == "c\n")
        let json = try runWord2Vec(["doesnt-match", vectors, "a", "b", "c", "d", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["answer"] as? String == "c")
        let ranking = try #require(object["ranking"] as? [[String: Any]])
        #expect(ranking.first?["word"] as? String == "d")
        #expect(ranking.last?["word"] as? String == "c")
        #expect(ranking.count == 4)
        let unknown = try runWord2Vec(["doesnt-match", vectors, "a", "zz"])
        #expect(unknown.status == 1)
        #expect(unknown.standardError == "word2vec: error: word 'zz' is not in the vocabulary\n")
    }

    @Test func sentenceVectorReadsStandardInputLineByLine() throws {
        let run = try runWord2Vec(["sentence-vector", vectors], input: "a b\nzz\nc zz c\n\n")
        #expect(run.status == 0)
        #expect(run.standardOutput == """
            0.500000 0.500000 0.000000
            0.000000 0.000000 0.000000
            0.000000 0.000000 1.000000
            0.000000 0.000000 0.000000

            """)
        #expect(run.standardError == "word2vec: 2 of 4 lines had no known word; printed zeros for them\n")
    }

    @Test func sentenceVectorReadsAFileAndPrintsJSONLines() throws {
        // A byte-order mark is not part of the first word (the line reader skips it, as every
        // line-oriented reader does).
        let text = directory.file("s.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("b d\r\nc\n".utf8))
        let run = try runWord2Vec(["sentence-vector", vectors, "--input", text, "--json"])
        #expect(run.status == 0)
        #expect(run.standardError.isEmpty)
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["line"] as? Int == 1)
        #expect(first["known"] as? Int == 2)
        let vector = try #require(first["vector"] as? [Double])
        let half = 0.5.squareRoot() / 2
        #expect(vector.count == 3)
        #expect(abs(vector[0] - half) < 1e-6 && abs(vector[1] - (0.5 + half)) < 1e-6 && vector[2] == 0)
        let missing = try runWord2Vec(["sentence-vector", vectors, "--input", directory.path + "/none.txt"])
        #expect(missing.status == 66)
        #expect(missing.standardError.hasPrefix("word2vec: error: cannot read '\(directory.path)/none.txt': "))
    }
}

private extension Double {
    var asFloat: Float { Float(self) }
}
