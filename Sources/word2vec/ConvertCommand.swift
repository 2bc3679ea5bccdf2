import ArgumentParser
import Word2Vec

/// `word2vec convert`: any vectors or model file to another layout.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a vectors or model file to word2vec text/binary, a model file, the Embedding Projector or NumPy.",
        discussion: """
            text, binary: word2vec formats (OUTPUT is a file). model: a memory-mapped model file for fast \
            queries (from word vectors it cannot be trained further). A fastText .bin model converts with \
            its subwords: its model file answers words outside the vocabulary as fastText does. projector: OUTPUT is a directory \
            with vectors.tsv and metadata.tsv for the TensorBoard Embedding Projector. npy: OUTPUT is a \
            directory with vectors.npy (float32, vocabulary order) and vocab.txt ('word<TAB>count' lines \
            when counts are known, else 'word').

            Examples:
              word2vec convert vectors.bin --to model --output vectors.model
              word2vec convert fasttext.bin --to model --output fasttext.w2v
              word2vec convert text.model --to npy --output text-npy/
              gunzip -c v.txt.gz | word2vec convert - --to binary --output v.bin
            """
    )

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case text, binary, model, projector, npy
    }

    @Argument(help: "A model file, a fastText .bin model, or word vectors (word2vec text or binary, fastText .vec, GloVe); - for standard input (not a model file).")
    var input: String
    @Option(help: "text, binary, model, projector or npy.") var to: Target
    @Option(help: "Output file (text, binary, model; - for standard output) or directory (projector, npy).") var output: String

    func run() throws {
        if output == "-" && (to == .projector || to == .npy) {
            throw ValidationError("--to \(to.rawValue) writes a directory: --output cannot be - (standard output)")
        }
        let model: Model? = Model.isModelFile(atPath: input) ? try Model(contentsOf: input)
            : Model.isFastTextModel(atPath: input) ? try Model(fastTextModelAt: input) : nil
        let embeddings = try model?.embeddings ?? Embeddings.load(path: input)
        // Counts of a model made from vectors are unknown (0): print words alone then.
        let counts = model.flatMap { $0.vocabulary.counts.contains(0) ? nil : $0.vocabulary.counts }
        switch to {
        case .text, .binary:
            try embeddings.write(to: output, format: to == .text ? .text : .binary)
        case .model:
            try (model ?? Model(embeddings: embeddings)).save(to: output)
        case .projector:
            try embeddings.writeProjector(to: output)
        case .npy:
            try embeddings.writeNumPy(to: output, counts: counts)
        }
    }
}
