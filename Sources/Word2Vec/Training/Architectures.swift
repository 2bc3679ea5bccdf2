/// Per-thread scratch space and statistics. Owned by one worker; never shared.
package struct WorkerState {
    var random: LinearCongruentialGenerator
    /// The hidden vector `h` (CBOW) and the gradient accumulated for it.
    let hidden: UnsafeMutablePointer<Float>
    let gradient: UnsafeMutablePointer<Float>
    /// Words composed of several rows (`SkipGram.trainComposed`, `CBOW.trainComposed`): a ring of
    /// `contextSlots` composed context vectors, the gradients summed for each, and (CBOW) how many
    /// rows each vector sums.
    let contextSlots: Int
    let contextVectors: UnsafeMutablePointer<Float>
    let contextGradients: UnsafeMutablePointer<Float>
    let contextRows: UnsafeMutablePointer<Float>
    /// The current sentence after subsampling.
    let kept: UnsafeMutablePointer<Int32>
    /// The summed loss (an estimate: see `lossSampling`) over `predictions` predictions.
    var loss: Double = 0
    var predictions = 0
    /// Where the worker is in its part of the corpus this epoch, and its learning-rate bookkeeping:
    /// with `random`, what a checkpoint saves so that a resumed run continues identically.
    var sentencesDone = 0
    var finished = false
    var unreported = 0
    var learningRate: Float = 0

    /// The loss is measured on one prediction in `lossSampling`, those whose number is a multiple of
    /// it (so a resumed run samples the same ones), and counted that many times: `loss / predictions`
    /// stays an unbiased estimate of the mean loss, over millions of predictions between two
    /// reports, at a sixteenth of its cost (~10% of a hierarchical-softmax step measured in full).
    static let lossSampling = 16

    /// Whether the loss of the next prediction is measured (`Objective.measuresLoss`).
    @inline(__always)
    var measuresNextLoss: Bool { predictions & (Self.lossSampling &- 1) == 0 }

    /// Records one prediction and its loss (0 unless `measuresNextLoss` was true before it).
    @inline(__always)
    mutating func record(_ predictionLoss: Float) {
        if measuresNextLoss { loss += Double(predictionLoss) * Double(Self.lossSampling) }
        predictions &+= 1
    }

    /// `hiddenWidth`: the width of the hidden layer (`TrainingConfiguration.hiddenWidth`);
    /// `contextSlots`: `WorkerState.contextSlots` for CBOW and skip-gram over composed words, else 0.
    package init(seed: UInt64, hiddenWidth: Int, maxSentenceLength: Int, contextSlots: Int = 0) {
        random = LinearCongruentialGenerator(seed: seed)
        hidden = Self.allocateLines(Float.self, count: hiddenWidth)
        self.contextSlots = contextSlots
        contextVectors = Self.allocateLines(Float.self, count: contextSlots * hiddenWidth)
        contextGradients = Self.allocateLines(Float.self, count: contextSlots * hiddenWidth)
        contextRows = Self.allocateLines(Float.self, count: contextSlots)
        gradient = Self.allocateLines(Float.self, count: hiddenWidth)
        kept = Self.allocateLines(Int32.self, count: maxSentenceLength)
    }

    /// The ring the composed architectures need for `window`: every position a centre's window can
    /// reach.
    package static func contextSlots(window: Int, maxSentenceLength: Int) -> Int {
        min(2 * window + 1, maxSentenceLength)
    }

    /// Room for `count` values on cache lines of their own, so that two workers' buffers, written at
    /// every step, never share a line.
    private static func allocateLines<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = (max(count, 1) * MemoryLayout<T>.stride + 63) / 64 * 64
        return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64).bindMemory(to: T.self, capacity: max(count, 1))
    }

    var position: WorkerPosition {
        WorkerPosition(
            sentencesDone: sentencesDone, finished: finished, random: random.state, unreported: unreported,
            learningRate: learningRate, loss: loss, predictions: predictions)
    }

    mutating func restore(_ position: WorkerPosition) {
        sentencesDone = position.sentencesDone
        finished = position.finished
        random.state = position.random
        unreported = position.unreported
        learningRate = position.learningRate
        loss = position.loss
        predictions = position.predictions
    }

    package func deallocate() {
        UnsafeMutableRawPointer(hidden).deallocate()
        UnsafeMutableRawPointer(gradient).deallocate()
        UnsafeMutableRawPointer(contextVectors).deallocate()
        UnsafeMutableRawPointer(contextGradients).deallocate()
        UnsafeMutableRawPointer(contextRows).deallocate()
        UnsafeMutableRawPointer(kept).deallocate()
    }
}

/// The positions around `position` inside a window shrunk by a uniform draw from `0..<window`, so
/// that near words are used more often than far ones (Mikolov et al. 2013), or inside the whole
/// window when `shrink` is false. Includes `position`.
@inline(__always)
func contextRange(
    position: Int, length: Int, window: Int, shrink: Bool, random: inout LinearCongruentialGenerator
) -> (Int, Int) {
    let reduction = shrink ? random.next(below: window) : 0
    return (max(0, position - window + reduction), min(length - 1, position + window - reduction))
}

/// How many of a centre's `others` context positions it trains on this time: all of them, or
/// `samples` of them when that is fewer (`TrainingConfiguration.contextSamples`; 0 = all).
@inline(__always)
func contextDraws(others: Int, samples: Int) -> Int {
    samples > 0 && samples < others ? samples : others
}

/// The `n`th context position of the centre at `position`, whose window is `low...high`: in order when
/// every position is used (`draws == others`), else drawn uniformly, with replacement, from the
/// window's other positions.
@inline(__always)
func contextPosition(
    _ n: Int, draws: Int, others: Int, low: Int, position: Int, random: inout LinearCongruentialGenerator
) -> Int {
    let k = draws == others ? n : random.next(below: others)
    return low + k + (low + k >= position ? 1 : 0)
}

/// Requests the rows of the words the first centre of a composed architecture composes at once
/// (positions `0...window`), so that they load together rather than word after word: most
/// sentences are short, and their first window is most of the words composed.
@inline(__always)
func prefetchFirstWindow<I: InputRows>(_ sentence: UnsafeBufferPointer<Int32>, input: I, window: Int) {
    for p in 0..<min(sentence.count, window + 1) { input.prefetch(Int(sentence[p])) }
}

/// One prediction of `target` from a single row (a skip-gram context word, a PV-DBOW document
/// vector), which takes the whole gradient.
@inline(__always)
func predict<O: Objective>(
    _ target: Int, from row: UnsafeMutablePointer<Float>, dimension: Int,
    objective: inout O, state: inout WorkerState, learningRate: Float
) {
    VectorKernels.zero(state.gradient, count: dimension)
    objective.measuresLoss = state.measuresNextLoss
    state.record(objective.update(
        hidden: row, target: target, gradient: state.gradient, learningRate: learningRate, random: &state.random))
    VectorKernels.add(state.gradient, to: row, count: dimension)
}

/// One prediction of `target` from `word`'s input vector: in place when it is one row, else composed
/// into `state.hidden` with the gradient handed back to every row it came from.
@inline(__always)
func predict<O: Objective, I: InputRows>(
    _ target: Int, fromWord word: Int, input: I,
    objective: inout O, state: inout WorkerState, learningRate: Float
) {
    if let row = input.onlyRow(word) {
        predict(target, from: row, dimension: input.dimension, objective: &objective, state: &state, learningRate: learningRate)
        return
    }
    input.compose(word, into: state.hidden)
    VectorKernels.zero(state.gradient, count: input.dimension)
    objective.measuresLoss = state.measuresNextLoss
    state.record(objective.update(
        hidden: state.hidden, target: target, gradient: state.gradient, learningRate: learningRate, random: &state.random))
    input.apply(state.gradient, step: 1, to: word)
}

/// The document vectors a sentence trains: rows `tags` of a matrix (`none` for word training).
package struct DocumentRows {
    let storage: UnsafeMutablePointer<Float>?
    let columns: Int
    let tags: UnsafeBufferPointer<Int32>

    static var none: DocumentRows { DocumentRows(storage: nil, columns: 0, tags: UnsafeBufferPointer(start: nil, count: 0)) }

    package init(storage: UnsafeMutablePointer<Float>?, columns: Int, tags: UnsafeBufferPointer<Int32>) {
        self.storage = storage
        self.columns = columns
        self.tags = tags
    }

    init(_ matrix: Matrix, tags: UnsafeBufferPointer<Int32>) {
        self.init(storage: matrix.storage, columns: matrix.columns, tags: tags)
    }

    @inline(__always)
    func pointer(_ i: Int) -> UnsafeMutablePointer<Float> { storage! + Int(tags[i]) * columns }
}

/// Continuous bag of words over one sentence: for each position, the context words inside a randomly
/// shrunk window form `h` (their mean or sum), the objective steps on predicting the centre word, and
/// the gradient for `h` is added in full to every context word's input row (as the original tool does,
/// also for the mean). A word with subwords contributes each of its rows as a member of `h` (fastText's
/// mean over all of a window's rows), and each row takes the gradient.
///
/// With `documents`, this is PV-DM (Le & Mikolov 2014): the sentence's document vectors are members
/// of every window's context. With the sum, every member takes the gradient for `h`. With the mean,
/// the context words take the exact gradient of the mean (`1 / count` of it) and a document vector
/// `count` times the gradient for `h`: it is one of `count` members averaged into `h`, so with a
/// word's step it would move the prediction `count` times less than in PV-DBOW, and it sees far
/// fewer windows than any frequent word. Giving every member the whole gradient (gensim's rule, and
/// this trainer's for words alone) left document vectors under-trained: on gensim's Lee benchmark
/// the correlation of inferred documents with human judgements rose from 0.22 to 0.40, and topic
/// classification of fortunes from 0.31 to 0.37 (`Benchmarks/README.md`).
/// `learnsWords == false` leaves the word rows unchanged (inference).
package enum CBOW {
    @inline(__always)
    package static func train<O: Objective, I: InputRows>(
        sentence: UnsafeBufferPointer<Int32>, input: I, window: Int, shrinkWindow: Bool, mean: Bool,
        documents: DocumentRows = .none, learnsWords: Bool = true,
        objective: inout O, state: inout WorkerState, learningRate: Float
    ) {
        if I.composesWords && documents.tags.count == 0 && learnsWords {
            return trainComposed(
                sentence: sentence, input: input, window: window, shrinkWindow: shrinkWindow, mean: mean,
                objective: &objective, state: &state, learningRate: learningRate)
        }
        let dimension = input.dimension
        let length = sentence.count
        if length > 0 { objective.prepare(target: Int(sentence[0])) }
        for position in 0..<length {
            // One position ahead: the next target's output row, and the input row of the word that
            // next enters the window (see VectorKernels.prefetch).
            if position + 1 < length { objective.prepare(target: Int(sentence[position + 1])) }
            if position + window + 1 < length { input.prefetch(Int(sentence[position + window + 1])) }
            let (low, high) = contextRange(
                position: position, length: length, window: window, shrink: shrinkWindow, random: &state.random)
            VectorKernels.zero(state.hidden, count: dimension)
            var contextCount = documents.tags.count
            for d in 0..<documents.tags.count {
                VectorKernels.add(documents.pointer(d), to: state.hidden, count: dimension)
            }
            for c in low...high where c != position {
                contextCount += input.accumulate(Int(sentence[c]), into: state.hidden)
            }
            guard contextCount > 0 else { continue }
            if mean { VectorKernels.scale(state.hidden, by: 1 / Float(contextCount), count: dimension) }
            VectorKernels.zero(state.gradient, count: dimension)
            objective.measuresLoss = state.measuresNextLoss
            state.record(objective.update(
                hidden: state.hidden, target: Int(sentence[position]), gradient: state.gradient,
                learningRate: learningRate, random: &state.random))
            var wordStep: Float = 1
            if documents.tags.count > 0 {
                let documentStep: Float = mean ? Float(contextCount) : 1
                for d in 0..<documents.tags.count {
                    VectorKernels.axpy(documentStep, state.gradient, documents.pointer(d), count: dimension)
                }
                if mean { wordStep = 1 / Float(contextCount) }
            }
            if learnsWords {
                for c in low...high where c != position {
                    input.apply(state.gradient, step: wordStep, to: Int(sentence[c]))
                }
            }
        }
    }
}

extension CBOW {
    /// CBOW for words composed of several rows (subwords), without documents: the same `h`
    /// (fastText's mean over all the rows of the window's words) and the same gradient for every
    /// row, with each row read and written once per sentence instead of once per window. Each
    /// position's rows are summed once, when it enters the windows, into a slot of the ring with
    /// their count; `h` is the sum of the context slots over their summed counts. A window's
    /// gradient is added to each context slot's pending gradient, which goes to the position's rows
    /// once, when no later centre reaches it, and `count x gradient` to the slot's sum, so that
    /// later windows see the rows as if already updated.
    /// - Complexity: per position, O(rows of its word x dimension) plus O(window x dimension) per
    ///   window, against O(window x rows per word x dimension) per window in `train`.
    @inline(__always)
    package static func trainComposed<O: Objective, I: InputRows>(
        sentence: UnsafeBufferPointer<Int32>, input: I, window: Int, shrinkWindow: Bool, mean: Bool,
        objective: inout O, state: inout WorkerState, learningRate: Float
    ) {
        let dimension = input.dimension
        let length = sentence.count
        let slots = state.contextSlots
        let sums = state.contextVectors, gradients = state.contextGradients, rows = state.contextRows
        var composed = 0  // positions below it are in the ring
        var applied = 0  // positions below it have handed back their gradients
        @inline(__always) func slot(_ position: Int) -> Int { position % slots }
        if length > 0 { objective.prepare(target: Int(sentence[0])) }
        prefetchFirstWindow(sentence, input: input, window: window)
        for position in 0..<length {
            if position + 1 < length { objective.prepare(target: Int(sentence[position + 1])) }
            let (low, high) = contextRange(
                position: position, length: length, window: window, shrink: shrinkWindow, random: &state.random)
            while composed <= min(length - 1, position + window) {
                let s = slot(composed)
                VectorKernels.zero(sums + s &* dimension, count: dimension)
                rows[s] = Float(input.accumulate(Int(sentence[composed]), into: sums + s &* dimension))
                VectorKernels.zero(gradients + s &* dimension, count: dimension)
                composed += 1
            }
            // The next position to compose: its rows load while this centre's step runs.
            if composed < length { input.prefetch(Int(sentence[composed])) }
            VectorKernels.zero(state.hidden, count: dimension)
            var contextRows: Float = 0
            for c in low...high where c != position {
                VectorKernels.add(sums + slot(c) &* dimension, to: state.hidden, count: dimension)
                contextRows += rows[slot(c)]
            }
            if contextRows > 0 {
                if mean { VectorKernels.scale(state.hidden, by: 1 / contextRows, count: dimension) }
                VectorKernels.zero(state.gradient, count: dimension)
                objective.measuresLoss = state.measuresNextLoss
                state.record(objective.update(
                    hidden: state.hidden, target: Int(sentence[position]), gradient: state.gradient,
                    learningRate: learningRate, random: &state.random))
                for c in low...high where c != position {
                    let s = slot(c)
                    VectorKernels.add(state.gradient, to: gradients + s &* dimension, count: dimension)
                    VectorKernels.axpy(rows[s], state.gradient, sums + s &* dimension, count: dimension)
                }
            }
            // No later centre reaches positions before `position + 1 - window`.
            while applied < min(composed, position + 1 - window) {
                input.apply(gradients + slot(applied) &* dimension, step: 1, to: Int(sentence[applied]))
                applied += 1
            }
        }
        while applied < composed {
            input.apply(gradients + slot(applied) &* dimension, step: 1, to: Int(sentence[applied]))
            applied += 1
        }
    }
}

/// PV-DBOW (Le & Mikolov 2014) over one sentence: each document vector in turn is `h` and the
/// objective steps on predicting each word of the sentence from it, like skip-gram with the
/// document as the only context.
enum DistributedBagOfWords {
    @inline(__always)
    static func train<O: Objective>(
        sentence: UnsafeBufferPointer<Int32>, documents: DocumentRows,
        objective: inout O, state: inout WorkerState, learningRate: Float
    ) {
        let dimension = documents.columns
        if sentence.count > 0 { objective.prepare(target: Int(sentence[0])) }
        for position in 0..<sentence.count {
            if position + 1 < sentence.count { objective.prepare(target: Int(sentence[position + 1])) }
            let target = Int(sentence[position])
            for d in 0..<documents.tags.count {
                predict(target, from: documents.pointer(d), dimension: dimension,
                        objective: &objective, state: &state, learningRate: learningRate)
            }
        }
    }
}

/// Distributed memory with concatenation (PV-DM concat, Le & Mikolov 2014) over one sentence: `h` is
/// a document vector followed by the vectors of the `window` words before and the `window` words
/// after the centre, in position order, with `padding` standing for positions outside the sentence.
/// The window never shrinks, since every slot has its own output weights. Each document vector
/// takes the document slot in turn; without documents (`documents.tags` empty) the slot is absent
/// and this is CBOW with a concatenated projection. The gradient of each slot goes back to the row
/// that filled it (the padding row collects those of every padded slot).
package enum ConcatenatedContext {
    @inline(__always)
    package static func train<O: Objective, I: InputRows>(
        sentence: UnsafeBufferPointer<Int32>, input: I, window: Int, documents: DocumentRows,
        documentSlot: Bool, padding: UnsafeMutablePointer<Float>, learnsWords: Bool = true,
        objective: inout O, state: inout WorkerState, learningRate: Float
    ) {
        let dimension = input.dimension
        let length = sentence.count
        let slots = 2 * window + (documentSlot ? 1 : 0)
        let first = documentSlot ? 1 : 0
        /// The word at `position + offset`, or `nil` beyond the sentence (the padding row's slot).
        @inline(__always) func word(_ position: Int, _ offset: Int) -> Int? {
            let p = position + offset
            return p >= 0 && p < length ? Int(sentence[p]) : nil
        }
        @inline(__always) func offset(_ slot: Int) -> Int {
            let k = slot - first
            return k < window ? k - window : k - window + 1
        }
        for position in 0..<length {
            let passes = documentSlot ? documents.tags.count : 1
            for pass in 0..<passes {
                if documentSlot {
                    state.hidden.update(from: documents.pointer(pass), count: dimension)
                }
                for slot in first..<slots {
                    if let w = word(position, offset(slot)) {
                        input.compose(w, into: state.hidden + slot * dimension)
                    } else {
                        (state.hidden + slot * dimension).update(from: padding, count: dimension)
                    }
                }
                VectorKernels.zero(state.gradient, count: slots * dimension)
                objective.measuresLoss = state.measuresNextLoss
                state.record(objective.update(
                    hidden: state.hidden, target: Int(sentence[position]), gradient: state.gradient,
                    learningRate: learningRate, random: &state.random))
                if documentSlot {
                    VectorKernels.add(state.gradient, to: documents.pointer(pass), count: dimension)
                }
                if learnsWords {
                    for slot in first..<slots {
                        if let w = word(position, offset(slot)) {
                            input.apply(state.gradient + slot * dimension, step: 1, to: w)
                        } else {
                            VectorKernels.add(state.gradient + slot * dimension, to: padding, count: dimension)
                        }
                    }
                }
            }
        }
    }
}

/// Skip-gram over one sentence: for each position and each context word inside a randomly shrunk
/// window, the context word's input row is `h` and the objective steps on predicting the centre word
/// (the original tool's pairing, equivalent in expectation to predicting the context from the centre).
///
/// With `contextSamples` above 0, a centre whose window holds more context words than that trains on
/// that many drawn from it (with replacement) instead of on all of them: a whole-sequence window then
/// costs O(length x samples) per sentence instead of O(length^2) (`TrainingConfiguration.contextSamples`).
///
/// With `scratch`, a window's context rows go to the objective together, in blocks of at most
/// `WindowScratch.blockRows` (`Objective.updateWindow`): with negative sampling they share one
/// noise draw (WindowSteps.swift). Words composed of several rows (subwords) go through
/// `trainComposed`.
enum SkipGram {
    @inline(__always)
    static func train<O: Objective, I: InputRows>(
        sentence: UnsafeBufferPointer<Int32>, input: I, window: Int, shrinkWindow: Bool, contextSamples: Int = 0,
        objective: inout O, state: inout WorkerState, scratch: WindowScratch? = nil, learningRate: Float
    ) {
        if I.composesWords {
            return trainComposed(
                sentence: sentence, input: input, window: window, shrinkWindow: shrinkWindow,
                contextSamples: contextSamples, objective: &objective, state: &state, learningRate: learningRate)
        }
        let dimension = input.dimension
        let length = sentence.count
        // A window's shared step computes its scores anyway: every loss is measured.
        if scratch != nil { objective.measuresLoss = true }
        if length > 0 { objective.prepare(target: Int(sentence[0])) }
        for position in 0..<length {
            if position + 1 < length { objective.prepare(target: Int(sentence[position + 1])) }
            let (low, high) = contextRange(
                position: position, length: length, window: window, shrink: shrinkWindow, random: &state.random)
            let target = Int(sentence[position])
            let others = high - low
            let draws = contextDraws(others: others, samples: contextSamples)
            guard let scratch else {
                for n in 0..<draws {
                    let c = contextPosition(n, draws: draws, others: others, low: low, position: position, random: &state.random)
                    predict(target, fromWord: Int(sentence[c]), input: input,
                            objective: &objective, state: &state, learningRate: learningRate)
                }
                continue
            }
            var count = 0
            for n in 0..<draws {
                let c = contextPosition(n, draws: draws, others: others, low: low, position: position, random: &state.random)
                scratch.rows[count] = input.onlyRow(Int(sentence[c]))!
                count += 1
                if count == WindowScratch.blockRows || n == draws - 1 {
                    state.loss += Double(objective.updateWindow(
                        rows: scratch.rows, count: count, target: target, dimension: dimension, scratch: scratch,
                        learningRate: learningRate, random: &state.random))
                    state.predictions += count
                    count = 0
                }
            }
        }
    }

    /// Skip-gram for words whose vector is composed of several rows (subwords). Composing a context
    /// word's 10-20 rows and handing each the gradient for every pair it is in costs most of a
    /// step, so each position's vector is composed once, when it enters the windows, serves every
    /// centre that reaches it, and its summed gradient goes to its rows once, when the last such
    /// centre is done: a mini-batch over at most `2 x window` predictions, as pWord2Vec's windows
    /// are. (Composing the centre instead, fastText's pairing, was as fast and ~1.3 analogy points
    /// worse: docs/performance-notes.md, "Subwords".)
    @inline(__always)
    static func trainComposed<O: Objective, I: InputRows>(
        sentence: UnsafeBufferPointer<Int32>, input: I, window: Int, shrinkWindow: Bool, contextSamples: Int,
        objective: inout O, state: inout WorkerState, learningRate: Float
    ) {
        let dimension = input.dimension
        let length = sentence.count
        let slots = state.contextSlots
        let vectors = state.contextVectors, gradients = state.contextGradients
        var composed = 0  // positions below it are in the ring
        var applied = 0  // positions below it have handed back their gradients
        @inline(__always) func slot(_ position: Int) -> Int { (position % slots) &* dimension }
        if length > 0 { objective.prepare(target: Int(sentence[0])) }
        prefetchFirstWindow(sentence, input: input, window: window)
        for position in 0..<length {
            if position + 1 < length { objective.prepare(target: Int(sentence[position + 1])) }
            let (low, high) = contextRange(
                position: position, length: length, window: window, shrink: shrinkWindow, random: &state.random)
            while composed <= min(length - 1, position + window) {
                input.compose(Int(sentence[composed]), into: vectors + slot(composed))
                VectorKernels.zero(gradients + slot(composed), count: dimension)
                composed += 1
            }
            // The next position to compose: its rows load while this centre's predictions run.
            if composed < length { input.prefetch(Int(sentence[composed])) }
            let target = Int(sentence[position])
            let others = high - low
            let draws = contextDraws(others: others, samples: contextSamples)
            for n in 0..<draws {
                let c = contextPosition(n, draws: draws, others: others, low: low, position: position, random: &state.random)
                objective.measuresLoss = state.measuresNextLoss
                // The objective adds its gradient: straight into the position's sum.
                state.record(objective.update(
                    hidden: vectors + slot(c), target: target, gradient: gradients + slot(c),
                    learningRate: learningRate, random: &state.random))
            }
            // No later centre reaches positions before `position + 1 - window`.
            while applied < min(composed, position + 1 - window) {
                input.apply(gradients + slot(applied), step: 1, to: Int(sentence[applied]))
                applied += 1
            }
        }
        while applied < composed {
            input.apply(gradients + slot(applied), step: 1, to: Int(sentence[applied]))
            applied += 1
        }
    }
}
