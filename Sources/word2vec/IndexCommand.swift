import ArgumentParser
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Word2Vec

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build an approximate nearest-neighbour index (HNSW) for fast queries on many rows.",
        discussion: """
            Writes VECTORS.hnsw beside the vectors (or --output), atomically. 'similar' and 'items \
            recommend' then search it with --index hnsw, and by default (--index auto) when the \
            vectors have at least \(HNSWIndex.exactSearchThreshold) rows; below that an exact search is \
            fast enough. The index is tied to the vectors it was built for: after retraining, or with \
            another --limit, rebuild it. Answers are approximate: --ef at query time trades speed for \
            recall (Benchmarks/README.md, "Approximate neighbours").

            Examples:
              word2vec index vectors.bin
              word2vec index model.w2v --m 32 --ef-construction 400 --threads 8
              word2vec similar vectors.bin king --index hnsw --ef 128
            """
    )

    @OptionGroup var input: VectorFileOptions
    @Option(help: ArgumentHelp("Links per node (M; layer 0 keeps 2M): recall on hard data against memory and build time.", valueName: "M"))
    var m = HNSWParameters().m
    @Option(help: ArgumentHelp("Candidates per insertion (efConstruction): graph quality against build time.", valueName: "n"))
    var efConstruction = HNSWParameters().efConstruction
    @Option(help: ArgumentHelp("The default --ef of searches in this index.", valueName: "n"))
    var ef = HNSWParameters().efSearch
    @Option(help: ArgumentHelp("Insertion threads (default: all cores). With 1 the index is the same on every run.", valueName: "n"))
    var threads: Int?
    @Option(help: ArgumentHelp("Seed of the nodes' levels.", valueName: "n"))
    var seed: UInt64 = HNSWParameters().seed
    @Option(help: ArgumentHelp("Where to write the index (default: VECTORS.hnsw).", valueName: "file"))
    var output: String?

    var parameters: HNSWParameters { HNSWParameters(m: m, efConstruction: efConstruction, efSearch: ef, seed: seed) }

    func validate() throws {
        guard HNSWParameters.mRange.contains(m) else { throw ValidationError("--m must be in \(HNSWParameters.mRange) (got \(m))") }
        guard HNSWParameters.efRange.contains(efConstruction) else {
            throw ValidationError("--ef-construction must be in \(HNSWParameters.efRange) (got \(efConstruction))")
        }
        guard HNSWParameters.efRange.contains(ef) else { throw ValidationError("--ef must be in \(HNSWParameters.efRange) (got \(ef))") }
        try validatePositive(threads, "--threads")
        if input.vectors == "-" && output == nil {
            throw ValidationError("the vectors come from standard input: give --output for the index")
        }
    }

    func run() throws {
        let destination = output ?? HNSWIndex.path(forVectorsAt: input.vectors)
        try OutputChecks.refuseOverwriting(inputs: [("VECTORS", input.vectors)], outputs: [("--output", destination)])
        // Fails now, before the build, if the index cannot be written (creates nothing).
        _ = try AtomicFile(path: destination)
        let vectors = try input.load()
        let start = DispatchTime.now()
        let index = try HNSWIndex(building: vectors, parameters: parameters, threads: threads)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        try index.save(to: destination)
        Output.standardError(
            "word2vec: indexed \(index.count) vectors in \(String(cFormat: "%.1f", seconds)) s "
                + "(M \(m), efConstruction \(efConstruction), \(index.levels + 1) layers, \(index.linkCount) links, "
                + "\(index.byteCount >> 20) MiB): \(destination)\n")
    }
}
