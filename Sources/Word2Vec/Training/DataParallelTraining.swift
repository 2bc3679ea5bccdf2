import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The collective operations that data-parallel training needs from the processes taking part: an
/// MPI communicator (the `word2vec-mpi` tool), or threads of one process standing in for processes.
///
/// Every process calls the same operations in the same order, with buffers of equal length; each call
/// returns once all processes have made it. A process that cannot go on must end the whole job (MPI:
/// `MPI_Abort`), since the others would otherwise wait for it forever.
public protocol TrainingCollective: AnyObject, Sendable {
    /// This process's number, in `0..<size`.
    var rank: Int { get }
    /// The number of processes.
    var size: Int { get }
    /// Replaces `values` by their element-wise sum over all processes.
    func sum(_ values: UnsafeMutableBufferPointer<Float>) throws
    /// Replaces `values` by their element-wise sum over all processes.
    func sum(_ values: UnsafeMutableBufferPointer<Int64>) throws
    /// Every process's `bytes`, in rank order (the lengths may differ).
    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]]
    /// Sums `count` floats over all processes, with as few passes over them as the collective
    /// allows: `fill` writes this process's values into the buffer it is given (`count` floats, which
    /// may be `staging` or memory the processes share), and once every process has filled its own,
    /// `use` reads the values as buffers whose element-wise sum, added in the order given, is the
    /// total: one buffer holding the sum, or every process's buffer in rank order. Neither calls the
    /// collective, and `use` keeps no buffer. `staging` holds at least `count` floats. The default
    /// fills `staging` and sums it in place (`sum(_:)`).
    func sum(count: Int, staging: UnsafeMutableBufferPointer<Float>,
             fill: (UnsafeMutableBufferPointer<Float>) -> Void,
             use: ([UnsafeBufferPointer<Float>]) -> Void) throws
}

extension TrainingCollective {
    public func sum(count: Int, staging: UnsafeMutableBufferPointer<Float>,
                    fill: (UnsafeMutableBufferPointer<Float>) -> Void,
                    use: ([UnsafeBufferPointer<Float>]) -> Void) throws {
        let values = UnsafeMutableBufferPointer(rebasing: staging[..<count])
        fill(values)
        try sum(values)
        use([UnsafeBufferPointer(values)])
    }
}

/// What the weight synchronisation of a data-parallel run cost this process.
public struct SynchronizationStatistics: Sendable, Equatable {
    /// Rounds (each combines every weight matrix once).
    public var rounds = 0
    /// Bytes each process contributes to one round: every weight as a 32-bit float, plus the counters.
    public var bytesPerRound = 0
    /// Seconds this process spent in rounds: communication, and waiting for slower processes.
    public var seconds = 0.0
    /// The part of `seconds` spent in the first call of each round of every row, which returns once
    /// every process has reached the round: mostly waiting for the slowest, plus the transfer of
    /// that call (the whole round for models of up to 4M weights). Rounds of the frequent rows are
    /// counted in `seconds` only.
    public var waitingSeconds = 0.0
    /// The part of `seconds` spent inside the collective's calls (waiting included); the rest went
    /// to reading and moving the weights around them.
    public var collectiveSeconds = 0.0
    /// Rounds that combined only the frequent words' rows (`DataParallelTrainer.frequentRows`),
    /// counted in `seconds` but not in `rounds`.
    public var frequentRounds = 0
    /// Bytes each process contributes to a round of the frequent rows.
    public var bytesPerFrequentRound = 0
}

/// Trains one model with several processes, each reading its own part of a text (data parallelism,
/// as pWord2Vec and Spark MLlib do, which average the processes' models).
///
/// Every process of `collective` runs the same calls with the same configuration and corpus path:
/// `countWords` counts the text collectively, then `train` trains on this process's part of it with
/// `configuration.threads` threads. Each process holds the whole model; every
/// `wordsPerSynchronization` words of its part, the processes' weight changes are combined
/// (`combination`), and again at the end of each epoch once every process has finished it, so that
/// all processes end with the same model. The learning rate decays with the words trained by all
/// processes together, which each process learns at every round and extrapolates in between.
public struct DataParallelTrainer: Sendable {
    public let configuration: TrainingConfiguration
    public let collective: any TrainingCollective
    /// Words each process trains between two rounds (see `defaultWordsPerSynchronization`).
    public var wordsPerSynchronization: Int
    /// How a round combines the processes' changes.
    public var combination: WeightCombination = .frequency
    /// Rows of the most frequent words (input and negative-sampling output rows: a prefix of each
    /// matrix, which the vocabulary sorts by count) combined every `wordsPerFrequentSynchronization`
    /// words of a process, between the rounds of every row. These are the rows that every process
    /// changes at almost every step, so they drift apart fastest; they are few, so their rounds are
    /// cheap. 0 turns these rounds off.
    public var frequentRows = defaultFrequentRows
    /// Words each process trains between two rounds of the frequent rows. Threads look for a due
    /// round every 10,000 words of a thread, or every `wordsPerFrequentSynchronization` words if
    /// that is less.
    public var wordsPerFrequentSynchronization = defaultWordsPerFrequentSynchronization

    /// 400,000 words per process. With the frequent rows combined often, the other rows lose
    /// nothing measurable by waiting longer, while a round of every row is several passes over the
    /// whole model (measurements: docs/distributed.md).
    public static let defaultWordsPerSynchronization = 400_000

    /// 1,024 rows every 2,500 words per process. How stale these rows get is what separates 2
    /// processes from one with 2 threads; shorter and longer intervals, overlapped rounds and more
    /// rows were measured and did no better for their traffic (docs/distributed.md).
    public static let defaultFrequentRows = 1_024
    public static let defaultWordsPerFrequentSynchronization = 2_500

    public init(configuration: TrainingConfiguration, collective: any TrainingCollective,
                wordsPerSynchronization: Int = defaultWordsPerSynchronization) {
        self.configuration = configuration
        self.collective = collective
        self.wordsPerSynchronization = wordsPerSynchronization
    }

    /// Counts the words of `corpus` collectively: each process counts one byte range of the file
    /// (split at whitespace), the counts are exchanged and merged in rank order. Every process gets
    /// the same words, counts and token count as `corpus.countWords()` in one process, in the same
    /// order (first occurrence in the file), so the vocabularies built from them are equal too. If the
    /// file holds more distinct words than `corpus.maxDistinctWords`, every process counts the whole
    /// file itself instead, pruning as one process does. Sentence statistics (`sentenceCount`,
    /// `longestSentence`, `singleWordSentenceCount`) are not gathered and stay 0.
    /// - Throws: `Word2VecError.unreadableFile` if the file cannot be read.
    public func countWords(_ corpus: TextFileCorpus) throws -> WordCounts {
        let input = try corpus.open()
        let limit = max(corpus.maxDistinctWords, WordCounts.minimumDistinctWordLimit)
        let range = try FileSlices.ranges(input: input, parts: collective.size)[collective.rank]
        var local = WordCounts()
        var withinLimit = true
        if !range.isEmpty {
            let reader = TokenReader(input: input, range: range)
            loop: while true {
                switch try reader.next() {
                case .word(let bytes):
                    local.add(bytes)
                    // Past the limit the merged table would be refused anyway: stop growing this one.
                    if local.exceeds(limit) {
                        withinLimit = false
                        break loop
                    }
                case .endOfLine: continue
                case .endOfInput: break loop
                }
            }
        }
        let parts = try collective.allGather(withinLimit ? local.serialized() : [])
        local = WordCounts()
        var merged = WordCounts()
        if !parts.contains(where: \.isEmpty) {
            for part in parts { merged.merge(try WordCounts(serialized: part, source: "rank counts")) }
        }
        guard !parts.contains(where: \.isEmpty), !merged.exceeds(limit) else {
            return try WordCounts.count(input: input, maxDistinctWords: limit)
        }
        merged.maxDistinctWords = limit
        return merged
    }

    /// Trains this process's part of `corpus` (part `rank` of `size`, each split again among the
    /// threads) with the others, and returns the combined model, equal in every process. `vocabulary`
    /// must be the same in every process (`countWords` then `Trainer.buildVocabulary(counts:source:)`).
    /// - Throws: what `Trainer.train` throws, and what the collective throws.
    public func train(
        corpus: some TrainingCorpus, vocabulary: Vocabulary, rareWords: CountedWords? = nil,
        progress: (@Sendable (TrainingEvent) -> Void)? = nil
    ) throws -> (model: Model, synchronization: SynchronizationStatistics) {
        guard wordsPerSynchronization > 0 else {
            throw Word2VecError.invalidConfiguration(setting: "DataParallelTrainer.wordsPerSynchronization", problem: "must be positive (got \(wordsPerSynchronization))")
        }
        guard frequentRows >= 0, wordsPerFrequentSynchronization > 0 else {
            throw Word2VecError.invalidConfiguration(setting: "DataParallelTrainer.frequentRows", problem: "needs frequentRows >= 0 and wordsPerFrequentSynchronization > 0 (got \(frequentRows) and \(wordsPerFrequentSynchronization))")
        }
        guard collective.size <= 256 else {
            throw Word2VecError.invalidConfiguration(setting: "DataParallelTrainer", problem: "rounds carry their counters as floats, exact for up to 256 processes (got \(collective.size))")
        }
        let synchronizer = WeightSynchronizer(
            collective: collective, interval: wordsPerSynchronization, combination: combination,
            frequentRows: frequentRows, frequentInterval: wordsPerFrequentSynchronization,
            soleThread: configuration.threads == 1)
        var trainer = Trainer(configuration: configuration)
        trainer.synchronization = synchronizer
        let model = try trainer.train(
            corpus: RankPart(base: corpus, rank: collective.rank, ranks: collective.size),
            vocabulary: vocabulary, rareWords: rareWords, progress: progress)
        // The last round leaves every process with the same weights, bit for bit; a difference means
        // a broken sum, and one process's output would not be the job's.
        let fingerprints = try collective.allGather(withUnsafeBytes(of: model.weightsFingerprint.littleEndian) { Array($0) })
        if let other = fingerprints.firstIndex(where: { $0 != fingerprints[0] }) {
            throw Word2VecError.invalidConfiguration(
                setting: "DataParallelTrainer", problem: "process \(other) ended with other weights than process 0 (a failed sum?)")
        }
        return (model, synchronizer.statistics.withLock { $0 })
    }
}

/// Part `rank` of `ranks` of a corpus, itself read in `parts` parts by the threads of one process.
struct RankPart<Base: TrainingCorpus>: TrainingCorpus {
    let base: Base
    let rank: Int
    let ranks: Int

    var name: String { base.name }
    var repeatsItsPasses: Bool { base.repeatsItsPasses }

    func countWords() throws -> WordCounts { try base.countWords() }

    func forEachSentence(
        part: Int, of parts: Int, vocabulary: Vocabulary, maxLength: Int,
        _ body: (UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        try base.forEachSentence(part: rank * parts + part, of: ranks * parts, vocabulary: vocabulary,
                                 maxLength: maxLength, body)
    }
}

/// Combines the weight changes of the processes of a collective during training (the trainer's
/// hook: `Trainer.synchronization`).
///
/// Every process keeps a copy of the weights as they were after the last round (the same in all of
/// them). A round sums the processes' changes since then and moves every process's copy and
/// weights by the sum times a factor per row (`WeightCombination`).
///
/// Worker threads call `reached(_:model:)` as they count their words; the first one past the next
/// due point runs a round while the others keep training. A round sums the counters (words, and
/// processes still inside their epoch) together with the changes, in as few calls as its buffers
/// allow (one for most models). Ranks whose parts are
/// shorter therefore make fewer rounds in an epoch: at its end each process keeps calling rounds
/// (`finishEpoch`) until one in which none is still training, so every process makes the same
/// sequence of collective calls.
final class WeightSynchronizer: @unchecked Sendable {
    let collective: any TrainingCollective
    let interval: Int
    let rank: Int
    let ranks: Int
    let combination: WeightCombination
    let frequentRows: Int
    /// Whether the process trains with one thread: then the thread running a round is the only one
    /// that could write the weights, and the round needs no snapshot of them.
    let soleThread: Bool
    /// Local words between two rounds of any kind.
    let step: Int
    /// Words trained by all processes at the last round of every row (touched only by the thread
    /// running a round, one at a time).
    private var globalAtFullRound = 0
    /// The kind of the next round, decided alike in every process (see `round`).
    private var nextRoundIsFull: Bool
    /// Per matrix of `matrices(of:)`, per row: the factor of the summed changes (1 adds them, 1/K
    /// averages them).
    private var rowScales: [[Float]] = []
    /// The sums of the processes' `interval` and `step`: the rows' factors and the kind of each
    /// round depend on them, so that every process computes the same.
    private var totalInterval = 0, totalStep = 0
    private var meanInterval: Double { Double(totalInterval) / Double(ranks) }
    private var meanStep: Double { Double(totalStep) / Double(ranks) }
    /// Words trained by all processes at the last round, and by this one then.
    private let counts = Mutex<(global: Int, local: Int)>((0, 0))
    /// Local word count at which the next round is due.
    private let nextRound: Atomic<Int>
    private let inRound = Atomic<Bool>(false)
    let statistics = Mutex(SynchronizationStatistics())
    /// A round sums at most this many floats per call (whole rows): the snapshot and sum buffers
    /// stay bounded whatever the model's size, and the count fits MPI's 32-bit int. Large enough
    /// that a round of a model of up to 4M weights (40,000 words at dimension 50) is one call: on
    /// a busy machine each call costs milliseconds of latency whatever its size.
    static let chunk = 1 << 22
    private var snapshot: UnsafeMutablePointer<Float>?
    /// Where a call's changes are gathered unless the collective provides shared memory.
    private var sums: UnsafeMutablePointer<Float>?
    /// One row's changes summed over more than two processes (`apply`).
    private var rowSum: UnsafeMutablePointer<Float>?
    /// The weights after the last round, one buffer per matrix of `matrices(of:)`.
    private var base: [UnsafeMutablePointer<Float>] = []
    /// Floats in `snapshot` and `sums`: the most a call sums.
    private var capacity = 0
    init(collective: any TrainingCollective, interval: Int, combination: WeightCombination,
         frequentRows: Int = 0, frequentInterval: Int = 10_000, soleThread: Bool = false) {
        self.collective = collective
        self.interval = interval
        rank = collective.rank
        ranks = collective.size
        self.combination = combination
        self.frequentRows = frequentRows
        self.soleThread = soleThread
        step = frequentRows > 0 ? min(frequentInterval, interval) : interval
        nextRound = Atomic(step)
        nextRoundIsFull = frequentRows == 0
    }

    deinit {
        snapshot?.deallocate()
        sums?.deallocate()
        rowSum?.deallocate()
        for buffer in base { buffer.deallocate() }
    }

    /// The matrices that rounds combine: all that training changes.
    private func matrices(of model: Model) -> [Matrix] { model.trainedMatrices.map(\.matrix) }

    /// Before training: remembers the starting weights, equal in every process (same seed), and
    /// sets the rows' factors from the mean interval of the processes, so that they agree.
    func begin(_ model: Model) throws {
        guard base.isEmpty else { return }
        var intervals: [Int64] = [Int64(interval), Int64(step)]
        try intervals.withUnsafeMutableBufferPointer { try collective.sum($0) }
        (totalInterval, totalStep) = (Int(intervals[0]), Int(intervals[1]))
        capacity = max(Self.chunk, Self.packedCounters + (matrices(of: model).map(\.columns).max() ?? 0))
        snapshot = .allocate(capacity: capacity)
        sums = .allocate(capacity: capacity)
        rowSum = .allocate(capacity: max(matrices(of: model).map(\.columns).max() ?? 1, 1))
        rowScales = rowScales(of: model)
        base = matrices(of: model).map { matrix in
            let count = matrix.rows * matrix.columns
            let copy = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            copy.initialize(from: matrix.storage, count: count)
            return copy
        }
    }

    /// How far each row moves by the summed changes. Summing is right for a row that each process
    /// changes a few times between rounds: its updates add up, as Hogwild threads' do. It is wrong
    /// for a row that each process changes so often that it settles within the interval: every
    /// process then moves it the same way, and the sum overshoots by K - 1 times the move, which
    /// grows from round to round once K > 2 (4 processes diverged on the benchmark text). Such rows
    /// belong to frequent words, and the vocabulary says which: a word expected `saturation` times
    /// or more per process between rounds (as a word or, for output rows, as a negative sample)
    /// gets the mean, rarer ones a factor between the mean and the sum.
    private func rowScales(of model: Model) -> [[Float]] {
        let k = Float(ranks)
        func scale(_ occurrences: Double) -> Float {
            switch combination {
            case .sum: 1
            case .mean: 1 / k
            case .frequency: 1 / (1 + (k - 1) * Float(min(1, occurrences / Self.saturation)))
            }
        }
        let counts = model.vocabulary.counts
        let total = Double(max(model.vocabulary.totalCount, 1))
        // The frequent rows are combined every `step` words, the others every `interval`.
        func perRound(_ w: Int) -> Double { w < frequentRows ? meanStep : meanInterval }
        let words = counts.indices.map { w in scale(perRound(w) * Double(counts[w]) / total) }
        let configuration = model.configuration
        let noiseWeights = counts.map { pow(Double($0), configuration.noiseExponent) }
        let noiseTotal = max(noiseWeights.reduce(0, +), .leastNonzeroMagnitude)
        let outputs = counts.indices.map { w in
            scale(perRound(w) * (Double(counts[w]) / total + Double(configuration.negatives) * noiseWeights[w] / noiseTotal))
        }
        return model.trainedMatrices.map { entry in
            switch entry.rows {
            case .wordInput: words
            case .wordOutput: outputs
            // Inner nodes of the Huffman tree near its root, document vectors, padding and the full
            // softmax's rows are changed for many words: averaged.
            case .shared: Array(repeating: scale(.infinity), count: entry.matrix.rows)
            }
        }
    }

    /// Expected changes of a row per process between rounds from which it is averaged.
    static let saturation = 100.0

    /// The words trained by all processes, estimated from this process's count `local`: exact at a
    /// round, extrapolated at this process's pace in between.
    func globalWords(local: Int) -> Int {
        let (global, then) = counts.withLock { $0 }
        return global + (local - then) * ranks
    }

    /// Runs a round if one is due at `local` words and no other thread is running one; returns the
    /// global word estimate.
    func reached(_ local: Int, model: Model) throws -> Int {
        if local >= nextRound.load(ordering: .relaxed),
           inRound.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            defer { inRound.store(false, ordering: .releasing) }
            if local >= nextRound.load(ordering: .relaxed) {
                _ = try round(model, local: local, training: true)
                nextRound.store(local + step, ordering: .relaxed)
            }
        }
        return globalWords(local: local)
    }

    /// After every thread of this process finished its part of an epoch: rounds until no process is
    /// still training, which leaves the weights equal in every process.
    func finishEpoch(_ model: Model, local: Int) throws {
        while try round(model, local: local, training: false) {}
        nextRound.store(local + step, ordering: .relaxed)
    }

    /// One round; returns whether it must be followed by another before the epoch ends: some
    /// process is still training, or the round combined only the frequent rows.
    ///
    /// Each round's kind (every row, or only the frequent ones) is decided at the end of the round
    /// before from the summed counters, which every process sees alike, so that all make the same
    /// calls with the same lengths although each reaches its rounds at its own word counts. The
    /// counters ride in the round's first call, since on a busy machine a call costs milliseconds of
    /// waiting whatever its size. The round after one in which no process was training combines
    /// every row, which ends an epoch with equal weights everywhere.
    private func round(_ model: Model, local: Int, training: Bool) throws -> Bool {
        let start = DispatchTime.now().uptimeNanoseconds
        var inCalls: UInt64 = 0, moving: UInt64 = 0, waited: UInt64 = 0
        defer {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            statistics.withLock {
                $0.seconds += seconds
                $0.collectiveSeconds += Double(inCalls - min(moving, inCalls)) / 1e9
            }
        }
        guard let staging = sums else { preconditionFailure("begin(_:) starts the rounds") }
        let full = nextRoundIsFull
        let alone = soleThread || !training
        var global = 0, someoneTraining = false, floats = 0
        let batches = full ? batches(model) { $0.matrix.rows } : batches(model, rows: frequentRowCount(of:))
        for (index, batch) in batches.enumerated() {
            let header = index == 0 ? Self.packedCounters : 0
            let count = header + batch.reduce(0) { $0 + $1.rows * $1.matrix.columns }
            let called = DispatchTime.now().uptimeNanoseconds
            var filled = called
            try collective.sum(
                count: count, staging: UnsafeMutableBufferPointer(start: staging, count: capacity),
                fill: { values in
                    if index == 0 { Self.packCounters(local: local, training: training, into: values) }
                    gather(batch, into: values.baseAddress! + header, alone: alone)
                    filled = DispatchTime.now().uptimeNanoseconds
                    moving += filled - called
                },
                use: { parts in
                    let used = DispatchTime.now().uptimeNanoseconds
                    if index == 0 {
                        waited = used - filled
                        (global, someoneTraining) = Self.unpackCounters(parts)
                    }
                    apply(batch, parts: parts.map { $0.baseAddress! + header }, alone: alone)
                    moving += DispatchTime.now().uptimeNanoseconds - used
                })
            inCalls += DispatchTime.now().uptimeNanoseconds - called
            floats += count
        }
        counts.withLock { $0 = (global, local) }
        if full { globalAtFullRound = global }
        nextRoundIsFull = frequentRows == 0 || (!full && !someoneTraining)
            || global + totalStep - globalAtFullRound >= totalInterval
        statistics.withLock {
            if full {
                $0.rounds += 1
                $0.bytesPerRound = floats * 4
                $0.waitingSeconds += Double(waited) / 1e9
            } else {
                $0.frequentRounds += 1
                $0.bytesPerFrequentRound = floats * 4
            }
        }
        return someoneTraining || !full
    }

    /// Floats of counters at the start of a round's first call (`packCounters`).
    static let packedCounters = 4

    /// Rows `firstRow..<firstRow + rows` of a matrix, its copy after the last round and the rows' factors.
    private struct Segment {
        let matrix: Matrix
        let base: UnsafeMutablePointer<Float>
        let scales: ArraySlice<Float>
        let firstRow: Int
        let rows: Int
    }

    /// The first `rows(matrix)` rows of every matrix in calls of at most `chunk` floats (the first
    /// call also carries the counters), each call's segments in order.
    private func batches(_ model: Model, rows: (WeightMatrix) -> Int) -> [[Segment]] {
        var batches: [[Segment]] = [[]]
        var used = Self.packedCounters
        for ((entry, base), scales) in zip(zip(model.trainedMatrices, base), rowScales) {
            let matrix = entry.matrix
            let columns = max(matrix.columns, 1)
            var firstRow = 0
            let end = rows(entry)
            while firstRow < end {
                if capacity - used < columns {
                    batches.append([])
                    used = 0
                }
                let n = min(end - firstRow, (capacity - used) / columns)
                batches[batches.count - 1].append(Segment(
                    matrix: matrix, base: base, scales: scales[firstRow..<(firstRow + n)], firstRow: firstRow, rows: n))
                used += n * columns
                firstRow += n
            }
        }
        return batches
    }

    /// Writes this process's counters at the start of `values`, as floats: the word count in three
    /// 16-bit digits and the training flag. Summed over up to 256 processes each stays below 2^24,
    /// where floats hold integers exactly.
    private static func packCounters(local: Int, training: Bool, into values: UnsafeMutableBufferPointer<Float>) {
        values[0] = Float(local & 0xFFFF)
        values[1] = Float((local >> 16) & 0xFFFF)
        values[2] = Float(local >> 32)
        values[3] = training ? 1 : 0
    }

    /// The summed counters: the words trained by all processes, and whether any is still training.
    private static func unpackCounters(_ parts: [UnsafeBufferPointer<Float>]) -> (Int, Bool) {
        var sums: [Float] = [0, 0, 0, 0]
        for part in parts {
            for i in 0..<packedCounters { sums[i] += part[i] }
        }
        return (Int(sums[0]) + Int(sums[1]) << 16 + Int(sums[2]) << 32, sums[3] > 0)
    }

    /// Writes the segments' changes since the last round to `changes`, one after another, and copies
    /// their weights to `snapshot` at the same offsets. `alone`: no other thread writes the weights
    /// until `apply`, so no snapshot is needed (one pass over memory less in each).
    private func gather(_ batch: [Segment], into changes: UnsafeMutablePointer<Float>, alone: Bool) {
        guard let snapshot else { preconditionFailure("begin(_:) starts the rounds") }
        var offset = 0
        for segment in batch {
            let start = segment.firstRow * segment.matrix.columns, n = segment.rows * segment.matrix.columns
            Self.gather(segment.matrix.storage + start, base: segment.base + start, count: n,
                        snapshot: alone ? nil : snapshot + offset, changes: changes + offset)
            offset += n
        }
    }

    /// Moves the segments by the sum of `parts` (each holding the segments' changes one after
    /// another; see `apply(_:base:snapshot:parts:rows:columns:scales:rowSum:)`).
    private func apply(_ batch: [Segment], parts: [UnsafePointer<Float>], alone: Bool) {
        guard let snapshot, let rowSum else { preconditionFailure("begin(_:) starts the rounds") }
        var offset = 0
        for segment in batch {
            let start = segment.firstRow * segment.matrix.columns
            Self.apply(segment.matrix.storage + start, base: segment.base + start, snapshot: alone ? nil : snapshot + offset,
                       parts: parts.map { $0 + offset }, rows: segment.rows, columns: segment.matrix.columns,
                       scales: segment.scales, rowSum: rowSum)
            offset += segment.rows * segment.matrix.columns
        }
    }

    /// The rows of `entry` that rounds of the frequent rows combine: a prefix of the matrices whose
    /// rows are words' own. Shared rows wait for the full rounds.
    private func frequentRowCount(of entry: WeightMatrix) -> Int {
        entry.rows == .shared ? 0 : min(frequentRows, entry.matrix.rows)
    }

    /// Copies `count` weights to `snapshot` (unless nil), and their change since the last round to
    /// `changes`.
    private static func gather(
        _ weights: UnsafeMutablePointer<Float>, base: UnsafeMutablePointer<Float>, count: Int,
        snapshot: UnsafeMutablePointer<Float>?, changes: UnsafeMutablePointer<Float>
    ) {
        guard let snapshot else {
            for i in 0..<count { changes[i] = weights[i] - base[i] }
            return
        }
        // One pass: the weights are read once, while other threads may be writing them.
        for i in 0..<count {
            let w = weights[i]
            snapshot[i] = w
            changes[i] = w - base[i]
        }
    }

    /// Moves `rows` rows of `base` by the changes summed over `parts` (added in order) times each
    /// row's factor (`scales`, one per row), and the weights with them, keeping on top what other
    /// threads wrote since `snapshot` (nil: nobody wrote, the weights become the new `base`). One
    /// pass: the changes are read where the collective left them; beyond two parts a row's sum is
    /// first added up in `rowSum` (`columns` floats).
    private static func apply(
        _ weights: UnsafeMutablePointer<Float>, base: UnsafeMutablePointer<Float>,
        snapshot: UnsafeMutablePointer<Float>?, parts: [UnsafePointer<Float>],
        rows: Int, columns: Int, scales: ArraySlice<Float>, rowSum: UnsafeMutablePointer<Float>
    ) {
        if parts.count > 2 {
            for (row, scale) in zip(0..<rows, scales) {
                let start = row * columns
                rowSum.update(from: parts[0] + start, count: columns)
                for part in parts.dropFirst() {
                    for i in 0..<columns { rowSum[i] += part[start + i] }
                }
                move(weights + start, base: base + start, snapshot: snapshot.map { $0 + start },
                     rows: 1, columns: columns, scale: { _ in scale }, change: { rowSum[$0] })
            }
        } else {
            scales.withUnsafeBufferPointer { scales in
                let first = parts[0]
                if parts.count == 2 {
                    let second = parts[1]
                    move(weights, base: base, snapshot: snapshot, rows: rows, columns: columns,
                         scale: { scales[$0] }, change: { first[$0] + second[$0] })
                } else {
                    move(weights, base: base, snapshot: snapshot, rows: rows, columns: columns,
                         scale: { scales[$0] }, change: { first[$0] })
                }
            }
        }
    }

    /// Moves `rows` rows of `base` by `change(i)` times the row's `scale(row)`, and the weights
    /// with them, keeping on top what other threads wrote since `snapshot` (nil: nobody wrote).
    @inline(__always)
    private static func move(
        _ weights: UnsafeMutablePointer<Float>, base: UnsafeMutablePointer<Float>,
        snapshot: UnsafeMutablePointer<Float>?, rows: Int, columns: Int,
        scale: (Int) -> Float, change: (Int) -> Float
    ) {
        for row in 0..<rows {
            let scale = scale(row)
            let range = (row * columns)..<((row + 1) * columns)
            if let snapshot {
                for i in range {
                    let moved = base[i] + change(i) * scale
                    base[i] = moved
                    weights[i] = moved + (weights[i] - snapshot[i])
                }
            } else {
                for i in range {
                    let moved = base[i] + change(i) * scale
                    base[i] = moved
                    weights[i] = moved
                }
            }
        }
    }
}

/// How a data-parallel round combines the processes' weight changes since the last round.
public enum WeightCombination: String, Sendable, CaseIterable {
    /// Adds them, as threads sharing one model add theirs (Hogwild): every update counts fully.
    case sum
    /// Averages them (model averaging): each process's updates count 1/K, which slows learning.
    case mean
    /// Averages the rows of words that every process sees often between rounds, and adds up the
    /// changes of rare words' rows, with a factor in between for the others (see
    /// `DataParallelTrainer.combination`).
    case frequency
}

extension TrainingRun {
    /// `local`, this process's word count, as the count the learning rate follows: the global one
    /// in a data-parallel run, which may first run an averaging round.
    @inline(__always)
    func synchronized(_ local: Int) throws -> Int {
        guard let synchronization else { return local }
        return try synchronization.reached(local, model: model)
    }

    /// `local` as the count the learning rate follows, without running a round.
    func globalWords(_ local: Int) -> Int {
        synchronization?.globalWords(local: local) ?? local
    }
}

extension WordCounts {
    /// The words and counts in order, as bytes for another process: `init(serialized:source:)` reads
    /// them back. Layout (little-endian): token count (8 bytes), word count (8), then per word its
    /// length (4), its bytes and its count (8).
    package func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + counts.count * 12 + table.count * 8)
        func append(_ value: UInt64, bytes: Int) {
            for i in 0..<bytes { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
        }
        append(UInt64(tokenCount), bytes: 8)
        append(UInt64(counts.count), bytes: 8)
        for id in counts.indices {
            let key = table.key(id)
            append(UInt64(key.count), bytes: 4)
            out.append(contentsOf: key)
            append(UInt64(counts[id]), bytes: 8)
        }
        return out
    }

    /// Counts written by `serialized()`.
    /// - Throws: `Word2VecError.malformedData` naming `source` and the offset if `bytes` is truncated,
    ///   too long, or holds an empty or repeated word, a word with whitespace, a count below 1 or
    ///   counts that do not add up to the token count.
    package init(serialized bytes: [UInt8], source: String) throws {
        self.init()
        var offset = 0
        func fail(_ problem: String) -> Word2VecError {
            Word2VecError.malformedData(source, offset: offset, problem)
        }
        func read(_ size: Int) throws -> UInt64 {
            guard bytes.count - offset >= size else { throw fail("the counts end early") }
            var value: UInt64 = 0
            for i in 0..<size { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            offset += size
            return value
        }
        let tokens = try read(8)
        let words = try read(8)
        // Each word takes at least 13 bytes, which bounds the count before anything is allocated.
        guard words <= UInt64(bytes.count / 13) else { throw fail("\(words) words cannot fit in \(bytes.count) bytes") }
        var total: UInt64 = 0
        try bytes.withUnsafeBufferPointer { buffer in
            for _ in 0..<words {
                let length = Int(try read(4))
                guard length > 0, length <= TokenReader.maximumWordBytes * 3 else { throw fail("a word of \(length) bytes") }
                guard bytes.count - offset >= length else { throw fail("the counts end early") }
                let word = UnsafeBufferPointer(rebasing: buffer[offset..<(offset + length)])
                guard !word.contains(where: TokenReader.isWhitespace) else { throw fail("a word holds whitespace") }
                offset += length
                let count = try read(8)
                guard count > 0, count <= UInt64(Int.max) else { throw fail("a count of \(count)") }
                let (sum, overflow) = total.addingReportingOverflow(count)
                guard !overflow else { throw fail("the counts overflow") }
                total = sum
                let distinct = counts.count
                add(word)
                guard counts.count > distinct else { throw fail("a word is repeated") }
                counts[distinct] = Int(count)
            }
        }
        guard offset == bytes.count else { throw fail("\(bytes.count - offset) bytes follow the counts") }
        guard total == tokens, tokens <= UInt64(Int.max) else { throw fail("the counts add up to \(total), not \(tokens)") }
        tokenCount = Int(tokens)
    }
}
