/// Per-thread scratch space and statistics. Owned by one worker; never shared.
struct WorkerState {
    var random: LinearCongruentialGenerator
    /// The hidden vector `h` (CBOW) and the gradient accumulated for it.
    let hidden: UnsafeMutablePointer<Float>
    let gradient: UnsafeMutablePointer<Float>
    /// The current sentence after subsampling.
    let kept: UnsafeMutablePointer<Int32>
    var loss: Double = 0
    var predictions = 0
    /// Where the worker is in its part of the corpus this epoch, and its learning-rate bookkeeping:
    /// with `random`, what a checkpoint saves so that a resumed run continues identically.
    var sentencesDone = 0
    var finished = false
    var unreported = 0
    var learningRate: Float = 0

    init(seed: UInt64, dimension: Int, maxSentenceLength: Int) {
        random = LinearCongruentialGenerator(seed: seed)
        hidden = .allocate(capacity: dimension)
        gradient = .allocate(capacity: dimension)
        kept = .allocate(capacity: maxSentenceLength)
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

    func deallocate() {
        hidden.deallocate()
        gradient.deallocate()
        kept.deallocate()
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

/// Continuous bag of words over one sentence: for each position, the context words inside a randomly
/// shrunk window form `h` (their mean or sum), the objective steps on predicting the centre word, and
/// the gradient for `h` is added in full to every context word's input row (as the original tool does,
/// also for the mean).
enum CBOW {
    @inline(__always)
    static func train<O: Objective>(
        sentence: UnsafeBufferPointer<Int32>, input: Matrix, window: Int, shrinkWindow: Bool, mean: Bool,
        objective: inout O, state: inout WorkerState, learningRate: Float
    ) {
        let dimension = input.columns
        let length = sentence.count
        for position in 0..<length {
            let (low, high) = contextRange(
                position: position, length: length, window: window, shrink: shrinkWindow, random: &state.random)
            VectorKernels.zero(state.hidden, count: dimension)
            var contextCount = 0
            for c in low...high where c != position {
                VectorKernels.add(input.pointer(row: Int(sentence[c])), to: state.hidden, count: dimension)
                contextCount += 1
            }
            guard contextCount > 0 else { continue }
            if mean { VectorKernels.scale(state.hidden, by: 1 / Float(contextCount), count: dimension) }
            VectorKernels.zero(state.gradient, count: dimension)
            state.loss += Double(objective.update(
                hidden: state.hidden, target: Int(sentence[position]), gradient: state.gradient,
                learningRate: learningRate, random: &state.random))
            state.predictions += 1
            for c in low...high where c != position {
                VectorKernels.add(state.gradient, to: input.pointer(row: Int(sentence[c])), count: dimension)
            }
        }
    }
}

/// Skip-gram over one sentence: for each position and each context word inside a randomly shrunk
/// window, the context word's input row is `h` and the objective steps on predicting the centre word
/// (the original tool's pairing, equivalent in expectation to predicting the context from the centre).
enum SkipGram {
    @inline(__always)
    static func train<O: Objective>(
        sentence: UnsafeBufferPointer<Int32>, input: Matrix, window: Int, shrinkWindow: Bool,
        objective: inout O, state: inout WorkerState, learningRate: Float
    ) {
        let dimension = input.columns
        let length = sentence.count
        for position in 0..<length {
            let (low, high) = contextRange(
                position: position, length: length, window: window, shrink: shrinkWindow, random: &state.random)
            let target = Int(sentence[position])
            for c in low...high where c != position {
                let row = input.pointer(row: Int(sentence[c]))
                VectorKernels.zero(state.gradient, count: dimension)
                state.loss += Double(objective.update(
                    hidden: row, target: target, gradient: state.gradient,
                    learningRate: learningRate, random: &state.random))
                state.predictions += 1
                VectorKernels.add(state.gradient, to: row, count: dimension)
            }
        }
    }
}
