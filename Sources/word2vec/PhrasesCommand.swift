import ArgumentParser
import Word2Vec
import Word2VecTokenization

extension PhraseScoring: ExpressibleByArgument {}

/// `word2vec phrases`: the original toolkit's `word2phrase`, with any number of passes in one run.
struct PhrasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phrases",
        abstract: "Join frequent word pairs into single tokens (new york -> new_york), as word2phrase does.",
        discussion: """
            Writes the input again, one line per input line, with each detected phrase joined by '_'; \
            the result is a corpus for 'word2vec train'. Each extra pass can extend phrases \
            (new_york times -> new_york_times). --input, --output and --save-phrases take - for \
            standard input or output.

            Examples:
              word2vec phrases --input text.txt --output phrased.txt --passes 2
              zcat text.gz | word2vec phrases --input - --output - --quiet |
                word2vec train --input - --output v.bin
              word2vec phrases --input text.txt --output phrased.txt --scoring npmi \\
                --save-phrases phrases.tsv
            """
    )

    @Option(help: "Text to read, UTF-8 (whitespace-separated words, one sentence per line).") var input: String
    @Option(help: "Where to write the text with phrases joined.") var output: String
    @Option(help: "Words and pairs occurring fewer times are never joined.") var minCount = 5
    @Option(help: "Join a pair when its score is above this (default: 100; 0.5 with --scoring npmi).")
    var threshold: Double?
    @Option(help: "default (word2phrase's) or npmi (normalised PMI, threshold in [-1, 1]).")
    var scoring: PhraseScoring = .default
    @Option(help: "Learning passes; each can join phrases found by the previous one.") var passes = 1
    @Option(help: "Most unigram + pair entries held while counting (less frequent ones are pruned).")
    var maxVocab = PhraseConfiguration().maxVocabularySize
    @Option(help: "File of connector words (e.g. of, the) that may stand inside a phrase but never start or end one.")
    var commonWords: String?
    @Option(help: "Also write the detected phrases as 'phrase<TAB>count<TAB>score' lines.") var savePhrases: String?
    @OptionGroup var tokenizing: TokenizerOptions
    @Flag(help: "No progress output.") var quiet = false

    func run() throws {
        guard passes >= 1, passes <= 64 else {
            throw Word2VecError.invalidOption("--passes", "must be in 1...64 (got \(passes))")
        }
        try OutputChecks.refuseOverwriting(
            inputs: [("--input", input), ("--common-words", commonWords)],
            outputs: [("--output", output), ("--save-phrases", savePhrases)])
        var configuration = PhraseConfiguration()
        configuration.minCount = minCount
        configuration.scoring = scoring
        configuration.threshold = threshold ?? (scoring == .npmi ? 0.5 : 100)
        configuration.maxVocabularySize = maxVocab
        if let commonWords { configuration.connectorWords = try PhraseConfiguration.connectorWords(fromFileAt: commonWords) }
        var phrases = try Phrases(configuration: configuration)
        let text = tokenizing.source(input, threads: nil)
        try TextFileCorpus(text).checkReadable()
        // Claimed first, so that an unwritable path fails at once rather than after the passes.
        let writer = try CorpusFileWriter(path: output)
        for pass in 1...passes {
            let table = try phrases.learnPass(from: text)
            log("pass \(pass)/\(passes): \(table.totalWords) words, \(table.entryCount) entries kept"
                + (table.pruneLevel > 0 ? " (pruned counts <= \(table.pruneLevel))" : "")
                + ", \(table.phrases().count) phrases above threshold\n")
            // A pass that joins nothing leaves the text as it was, so every later pass would learn
            // the same nothing again.
            if table.phrases().isEmpty { break }
        }
        try phrases.apply(to: text, writingTo: writer)
        if let savePhrases { try phrases.writePhrases(to: savePhrases) }
        log("wrote \(displayName(output))\n")
    }

    private func log(_ text: String) {
        if !quiet { Output.standardError(text) }
    }
}
