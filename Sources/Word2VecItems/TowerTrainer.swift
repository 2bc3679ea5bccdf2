import Dispatch
import Word2Vec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One finished pass of `TowerTrainer.train`.
public struct TowerEpoch: Sendable, Equatable {
    /// 1-based.
    public var epoch: Int
    public var epochs: Int
    /// Mean cross-entropy of the pass's predictions (of the sampled softmax when it is the loss).
    public var loss: Double
    public var examples: Int
}

/// Trains a `UserTower` to predict each item of a sequence from the items before it.
///
/// The examples are every position but the first of every sequence: the history is the items
/// before it, the target the item at it. Each pass visits them in a new seeded random order,
/// split into one contiguous stripe per thread; threads step the shared parameters without locks
/// (Hogwild, Recht et al. 2011). The rate falls linearly from `learningRate` to 1e-4 of it over
/// the run; `optimizer` says how it scales each parameter's gradient (`TowerUpdate`). With one
/// thread a run is reproducible from the seed.
public enum TowerTrainer {
    /// A new tower for the items of `model`, trained on `sequences` (item ids, oldest first; ids
    /// without a row in the model are left out of them). The item biases start from the model's
    /// counts, the embeddings from its vectors when `configuration.startFromItemVectors`.
    ///
    /// - Throws: as `train(_:sequences:configuration:counts:progress:)`.
    ///
    /// - Parameter side: what each event says besides its item (text words, categorical values),
    ///   one side field per name; every token seen with a kept event gets an embedding.
    /// - Precondition: `side`, if given, has an entry per event of `sequences`.
    public static func train(
        model: Model, sequences: [[String]], side: TowerSideInputs? = nil, configuration: TowerConfiguration,
        progress: ((TowerEpoch) -> Void)? = nil
    ) throws -> UserTower {
        try configuration.validate()
        let vocabulary = model.vocabulary
        precondition(side.map { zip($0.events, sequences).allSatisfy { $0.count == $1.count } && $0.events.count == sequences.count } ?? true)
        var rows: [[Int32]] = []
        var kept: [[[[String]]]] = []
        var tokens: [(field: Int, token: String)] = []
        var seen = Set<String>()
        for (n, sequence) in sequences.enumerated() {
            var itemRows: [Int32] = []
            var values: [[[String]]] = []
            for (position, item) in sequence.enumerated() {
                guard let row = vocabulary.index(of: item) else { continue }
                itemRows.append(Int32(row))
                guard let side else { continue }
                let event = side.events[n][position]
                values.append(event)
                for (field, fieldTokens) in event.prefix(side.fields.count).enumerated() {
                    for token in fieldTokens where seen.insert(UserTower.key(field: field, token: token)).inserted {
                        tokens.append((field, token))
                    }
                }
            }
            rows.append(itemRows)
            kept.append(values)
        }
        let tower = UserTower(
            items: vocabulary.count, dimension: model.dimension, configuration: configuration,
            itemVectors: configuration.startFromItemVectors ? model.wordVectors : nil, counts: vocabulary.counts,
            fields: side?.fields ?? [], tokens: tokens)
        let tokenRows = side == nil ? nil : kept.map { $0.map { tower.tokenRows($0) } }
        try train(tower, sequences: rows, tokens: tokenRows, configuration: configuration, counts: vocabulary.counts, progress: progress)
        return tower
    }

    /// Trains `tower` in place on `sequences` (item rows of the tower, oldest first).
    ///
    /// - Parameters:
    ///   - tokens: each event's side tokens (rows of the tower's tokens), parallel to `sequences`;
    ///     `nil`: none.
    ///   - counts: training count of each item, the distribution sampled softmax draws from (to the
    ///     power 0.75); `nil` counts `sequences`.
    ///   - progress: called after each pass, on the calling thread.
    /// - Throws: `Word2VecError.invalidConfiguration` for a bad configuration;
    ///   `.invalidOption` when no sequence has two items or a row is outside the tower.
    /// - Complexity: per pass O(sum over examples of history x dimension + layer sizes + scored
    ///   items x dimension), the scored items being all of them for the softmax.
    public static func train(
        _ tower: UserTower, sequences: [[Int32]], tokens: [[[Int32]]]? = nil, configuration: TowerConfiguration, counts: [Int]? = nil,
        progress: ((TowerEpoch) -> Void)? = nil
    ) throws {
        try configuration.validate()
        var flat: [Int32] = []
        var starts: [Int] = []
        var ends: [Int] = []
        // Side tokens of every event back to back; those of flat[i] are tokenFlat[tokenStarts[i]..<tokenStarts[i + 1]].
        var tokenFlat: [Int32] = []
        var tokenStarts: [Int] = [0]
        if let tokens, tokens.count != sequences.count || zip(tokens, sequences).contains(where: { $0.count != $1.count }) {
            throw Word2VecError.invalidOption("tower tokens", "do not have one entry per event of the sequences")
        }
        for (n, sequence) in sequences.enumerated() {
            guard sequence.allSatisfy({ $0 >= 0 && Int($0) < tower.items }) else {
                throw Word2VecError.invalidOption("tower sequences", "hold a row outside the tower's \(tower.items) items")
            }
            let start = flat.count
            flat += sequence
            for position in sequence.indices {
                let event = tokens?[n][position] ?? []
                guard event.allSatisfy({ $0 >= 0 && Int($0) < tower.tokens.count }) else {
                    throw Word2VecError.invalidOption("tower tokens", "hold a row outside the tower's \(tower.tokens.count) tokens")
                }
                tokenFlat += event
                tokenStarts.append(tokenFlat.count)
            }
            for position in sequence.indices.dropFirst() {
                starts.append(start)
                ends.append(start + position)
            }
        }
        guard !starts.isEmpty else {
            throw Word2VecError.invalidOption("tower sequences", "have no sequence of two or more items to learn from")
        }
        var itemCounts = counts ?? [Int](repeating: 0, count: tower.items)
        if counts == nil { for row in flat { itemCounts[Int(row)] += 1 } }

        var samples = 0
        var noise: NoiseDistribution?
        var logExpected: [Float] = []
        // Drawing as many items as the catalogue holds costs more than the exact softmax, and the
        // repeated draws of each item add up to steps large enough to diverge.
        if case let .sampledSoftmax(count) = configuration.loss, count < tower.items {
            samples = count
            let distribution = NoiseDistribution(counts: itemCounts, exponent: 0.75)
            logExpected = distribution.probabilities.map { Float(log(max($0 * Double(count), 1e-30))) }
            noise = distribution
        }

        let examples = starts.count
        let threads = min(configuration.threads, examples)
        let pass = TowerPass(
            tower: tower, configuration: configuration, flat: flat, tokenFlat: tokenFlat, tokenStarts: tokenStarts,
            starts: starts, ends: ends, samples: samples,
            noise: noise, logExpected: logExpected, threads: threads)
        defer { pass.deallocate() }
        var shuffler = LinearCongruentialGenerator(seed: configuration.seed)
        for epoch in 0..<configuration.epochs {
            for i in stride(from: examples - 1, to: 0, by: -1) {
                pass.order.swapAt(i, shuffler.next(below: i + 1))
            }
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                pass.run(thread: thread, epoch: epoch)
            }
            let losses = pass.losses
            let total = (0..<threads).reduce(0.0) { $0 + losses[$1] }
            progress?(TowerEpoch(epoch: epoch + 1, epochs: configuration.epochs, loss: total / Double(examples), examples: examples))
        }
    }
}

/// What the threads of a pass share: the examples, the tower and each thread's buffers.
///
/// `@unchecked Sendable`: the buffers are written by one thread each (its scratch, candidates and
/// loss slot) or only between passes (`order`); the tower's parameters are shared by design
/// (Hogwild).
private final class TowerPass: @unchecked Sendable {
    let tower: UserTower
    let configuration: TowerConfiguration
    let flat: UnsafeMutableBufferPointer<Int32>
    let tokenFlat: UnsafeMutableBufferPointer<Int32>
    let tokenStarts: UnsafeMutableBufferPointer<Int>
    let starts: UnsafeMutableBufferPointer<Int>
    let ends: UnsafeMutableBufferPointer<Int>
    let order: UnsafeMutableBufferPointer<Int>
    let samples: Int
    let noise: NoiseDistribution?
    let logExpected: UnsafeMutableBufferPointer<Float>
    let scratches: [TowerScratch]
    let candidates: UnsafeMutablePointer<Int32>
    let losses: UnsafeMutablePointer<Double>
    let threads: Int
    /// The adaptive optimisers' per-parameter state; `nil` for SGD.
    let moments: TowerMoments?

    init(tower: UserTower, configuration: TowerConfiguration, flat: [Int32], tokenFlat: [Int32], tokenStarts: [Int],
         starts: [Int], ends: [Int], samples: Int,
         noise: NoiseDistribution?, logExpected: [Float], threads: Int) {
        self.tower = tower
        self.configuration = configuration
        func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: array.count)
            _ = buffer.initialize(from: array)
            return buffer
        }
        self.flat = copy(flat)
        self.tokenFlat = copy(tokenFlat)
        self.tokenStarts = copy(tokenStarts)
        self.starts = copy(starts)
        self.ends = copy(ends)
        order = copy(Array(0..<starts.count))
        self.samples = samples
        self.noise = noise
        self.logExpected = copy(logExpected)
        scratches = (0..<threads).map {
            TowerScratch(tower, scores: samples + 1, seed: configuration.seed &* 0x2545_F491_4F6C_DD1D &+ UInt64($0) &+ 11,
                         batchesLayers: configuration.optimizer != .sgd)
        }
        switch configuration.optimizer {
        case .sgd: moments = nil
        case .adam: moments = TowerMoments(tower)
        }
        candidates = .allocate(capacity: threads * (samples + 1))
        losses = .allocate(capacity: threads)
        self.threads = threads
    }

    func deallocate() {
        for buffer in [starts, ends, order, tokenStarts] { buffer.deallocate() }
        flat.deallocate()
        tokenFlat.deallocate()
        logExpected.deallocate()
        candidates.deallocate()
        losses.deallocate()
    }

    /// Thread `thread`'s stripe of `order` in pass `epoch`; its summed loss goes to `losses[thread]`.
    func run(thread: Int, epoch: Int) {
        let scratch = scratches[thread]
        let candidates = self.candidates + thread * (samples + 1)
        var random = LinearCongruentialGenerator(
            seed: configuration.seed &+ UInt64(epoch * threads + thread + 1) &* 0x9E37_79B9_7F4A_7C15)
        let examples = order.count
        let from = examples * thread / threads, to = examples * (thread + 1) / threads
        let epochs = Double(configuration.epochs)
        let rate0 = configuration.learningRate
        let train = configuration.trainEmbeddings
        let dropout = configuration.dropout
        var loss = 0.0
        // The layers step once per `batch` examples of this thread (`TowerScratch.layerSums`).
        let batch = TowerUpdate.layerBatch
        let flushesBefore = epoch * ((examples / threads + batch - 1) / batch)
        func flush(at i: Int, rate: Float) {
            guard let moments else { return }
            let step = (flushesBefore + (i - from + batch - 1) / batch) * threads
            tower.flush(scratch, update: TowerUpdate(rate: rate, moments: moments, step: step))
        }
        var rate = rate0
        for i in from..<to {
            let progress = (Double(epoch) + Double(i - from) / Double(to - from)) / epochs
            rate = rate0 * Float(max(1e-4, 1 - progress))
            // The run's update count so far, as if the threads took turns.
            let update = TowerUpdate(rate: rate, moments: moments, step: epoch * examples + (i - from) * threads + thread + 1)
            let example = order[i]
            let history = UnsafeBufferPointer(rebasing: flat[starts[example]..<ends[example]])
            let target = Int(flat[ends[example]])
            let firstEvent = max(starts[example], ends[example] - tower.sideWindow)
            let tokens = UnsafeBufferPointer(rebasing: tokenFlat[tokenStarts[firstEvent]..<tokenStarts[ends[example]]])
            if let noise {
                candidates[0] = Int32(target)
                for k in 1...samples { candidates[k] = Int32(noise.sample(using: &random)) }
                loss += Double(tower.step(
                    history: history, tokens: tokens, target: target, update: update, scratch: scratch,
                    candidates: UnsafeBufferPointer(start: candidates, count: samples + 1),
                    logExpected: UnsafePointer(logExpected.baseAddress), trainEmbeddings: train, dropout: dropout,
                    maskHistory: configuration.maskHistory))
            } else {
                loss += Double(tower.step(history: history, tokens: tokens, target: target, update: update, scratch: scratch,
                                          trainEmbeddings: train, dropout: dropout, maskHistory: configuration.maskHistory))
            }
            if (i + 1 - from) % batch == 0 { flush(at: i + 1, rate: rate) }
        }
        if (to - from) % batch != 0 { flush(at: to, rate: rate) }
        losses[thread] = loss
    }
}

/// What the events of the training sequences say besides their items: the tower's side inputs.
public struct TowerSideInputs: Sendable, Equatable {
    /// Field names (a text column's, then categorical columns'), in the tower's input order.
    public var fields: [String]
    /// `events[s][e][f]`: the tokens of field `f` of event `e` of sequence `s` (words and bigrams
    /// of a text, the values of a categorical field).
    public var events: [[[[String]]]]

    public init(fields: [String], events: [[[[String]]]]) {
        self.fields = fields
        self.events = events
    }

    /// A text's tokens as the tower reads them: its words, then each pair of neighbouring words
    /// joined by `_` (YouTube's search input is the query's unigrams and bigrams).
    public static func unigramsAndBigrams(_ words: [String]) -> [String] {
        words + zip(words, words.dropFirst()).map { $0 + "_" + $1 }
    }
}
