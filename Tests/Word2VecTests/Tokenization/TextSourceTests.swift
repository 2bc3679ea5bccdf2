import Foundation
import Testing
import Word2Vec
import Word2VecTokenization

/// Tokenization wraps the text a reader is given (`TextSegmenter.source`), and nothing else sees it.
@Suite
struct TextSourceTests {
    let directory = TestDirectory()

    static func words(_ corpus: some TrainingCorpus) throws -> Set<String> {
        var configuration = TrainingConfiguration()
        configuration.minCount = 1
        return Set(try Trainer(configuration: configuration).buildVocabulary(from: corpus).words)
    }

    @Test func aSegmentedSourceYieldsWordsAndTheFileStaysAsItIs() throws {
        let path = directory.file("zh.txt", "我爱北京天安门\nHello World\n")
        let segmented = TextSegmenter(tokenizer: .icu, threads: 1).source(path)
        #expect(segmented.isRewritten && segmented.path == path)
        let words = try Self.words(TextFileCorpus(segmented))
        #expect(words.contains("北京") && words.contains("天安门") && words.contains("Hello"))
        // The same path read afterwards, by a corpus not given the segmenter, is the raw text: no
        // table anywhere swapped it.
        #expect(try Self.words(TextFileCorpus(path: path)) == ["我爱北京天安门", "Hello", "World"])
        // And the segmented copy is made once, shared by the copies of the source.
        let copy = segmented
        #expect(try Self.words(TextFileCorpus(copy)) == words)
    }

    @Test func everyReaderTakesASource() throws {
        let path = directory.file("docs.txt", "A,B\tThe CAT sat\nThe Dog\n")
        let lowered = TextSegmenter(tokenizer: .whitespace, threads: 1, keepsTagField: true, lowercase: true).source(path)
        #expect(!TextSegmenter(tokenizer: .whitespace, threads: 1).source(path).isRewritten)
        let documents = DocumentFileCorpus(lowered)
        #expect(try Self.words(documents) == ["the", "cat", "sat", "dog"])
        // The tag field is kept as it is.
        #expect(try documents.tags().count == 3)
        #expect(try Self.words(DocumentFileCorpus(path: path)).contains("CAT"))

        var phrases = try Phrases(configuration: PhraseConfiguration())
        #expect(try phrases.learnPass(from: TextSegmenter(tokenizer: .whitespace, threads: 1, lowercase: true).source(path))
            .totalWords > 0)
        #expect(try TextPosition.line(ofByte: 14, in: lowered) == 1)
        #expect(try TextPosition.line(ofByte: 20, in: lowered) == 2)
    }
}
