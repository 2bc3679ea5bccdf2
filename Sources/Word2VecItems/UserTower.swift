import Dispatch
import Word2Vec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The candidate generator of YouTube's recommender (Covington, Adams & Sargin 2016): a user tower
/// that turns a history into a user vector `u`, scored against every item by `u . v_i + b_i`.
///
/// ```
/// history rows h_0 ... h_{t-1} --E--> [last | decayed mean | mean] = x
///   x -> ReLU(W_1 x + c_1) -> ... -> ReLU -> u = W_out a + c_out   (item dimension)
///   score_i = u . V_i + b_i,  trained by a softmax over items to predict h_t
/// ```
///
/// `E` (the item embeddings the tower reads) and `V` (the output item vectors) are separate
/// `items x dimension` matrices; `b` is a bias per item, started at the log of its training
/// frequency so that the untrained tower ranks by popularity.
///
/// Rows of the matrices are the items of the model the tower belongs to, in its vocabulary order.
/// The parameters are plain `Matrix` storage: training updates them in place from several threads
/// without locks (Hogwild); queries and saving must not run while it does. That rule is why the
/// type is `@unchecked Sendable`.
public final class UserTower: @unchecked Sendable {
    public let items: Int
    public let dimension: Int
    public let inputs: TowerConfiguration.Inputs
    public let hidden: [Int]
    /// `items x dimension`: the embeddings the history summaries average.
    let embeddings: Matrix
    /// Names of the side fields (an events file's text and categorical columns), whose means
    /// follow the history summaries in the first layer's input, one `dimension` block each.
    public let fields: [String]
    /// The side tokens the tower learnt embeddings for: `tokens[k]` is a value of field
    /// `tokenField[k]` (a word or bigram of a text field, a value of a categorical one).
    public let tokens: [String]
    /// The side means read the last this many events' tokens (`TowerConfiguration.sideWindow`).
    public let sideWindow: Int
    let tokenField: [Int32]
    /// `"field index" + "\u{0}" + token` to its row of `tokenEmbeddings`.
    let tokenRow: [String: Int32]
    /// `tokens x dimension`, learnt by the tower from random rows.
    let tokenEmbeddings: Matrix
    /// Hidden layers then the output layer: weights `out x in`, biases `1 x out`.
    let weights: [Matrix]
    let biases: [Matrix]
    /// `items x dimension`: the vectors the user vector is scored against.
    let outputs: Matrix
    /// `1 x items`.
    let itemBias: Matrix

    /// Width of the first layer's input.
    var inputWidth: Int { (inputs.count + fields.count) * dimension }

    /// `decayWeights[age]` weighs the item `age` positions before the last in the decayed mean;
    /// older items (weight below 2^-12) are not read. `decayTotals[k]` is the sum of the first
    /// `k + 1` weights.
    let decayWeights: [Float]
    let decayTotals: [Float]

    static func decay(_ halfLife: Double?) -> (weights: [Float], totals: [Float]) {
        guard let halfLife else { return ([], []) }
        let weights = (0..<Int((12 * halfLife).rounded(.up))).map { Float(exp2(-Double($0) / halfLife)) }
        var totals: [Float] = []
        var sum: Float = 0
        for weight in weights {
            sum += weight
            totals.append(sum)
        }
        return (weights, totals)
    }

    /// A new tower for `items` items of `dimension`.
    ///
    /// - Parameters:
    ///   - itemVectors: starts `E` with these rows scaled to unit length (item2vec's vectors);
    ///     `nil` draws rows of length about 1 from the seed.
    ///   - counts: training counts per item, which start the item biases at their log frequency;
    ///     `nil` starts them at 0.
    /// - Precondition: `configuration` is valid; `itemVectors` and `counts`, if given, have `items`
    ///   rows; `items >= 1`, `dimension >= 1`.
    ///   - fields: names of the side fields (text or categorical columns), none by default.
    ///   - tokens: the side tokens, each with the index of its field in `fields`; their embeddings
    ///     start as random rows of length about 1.
    public init(items: Int, dimension: Int, configuration: TowerConfiguration, itemVectors: Matrix? = nil, counts: [Int]? = nil,
                fields: [String] = [], tokens: [(field: Int, token: String)] = []) {
        precondition(items >= 1 && dimension >= 1)
        precondition(itemVectors.map { $0.rows == items && $0.columns == dimension } ?? true)
        precondition(counts.map { $0.count == items } ?? true)
        precondition(tokens.allSatisfy { fields.indices.contains($0.field) })
        self.items = items
        self.dimension = dimension
        inputs = configuration.inputs
        hidden = configuration.hidden
        sideWindow = configuration.sideWindow
        self.fields = fields
        self.tokens = tokens.map(\.token)
        tokenField = tokens.map { Int32($0.field) }
        tokenRow = Self.rowsOfTokens(tokens)
        (decayWeights, decayTotals) = Self.decay(inputs.halfLife)
        var random = LinearCongruentialGenerator(seed: configuration.seed &* 0x9E37_79B9 &+ 7)
        let scale = Float(3 / Double(dimension)).squareRoot()
        if let itemVectors {
            embeddings = Matrix(rows: items, columns: dimension)
            for row in 0..<items {
                let target = embeddings.pointer(row: row)
                target.update(from: itemVectors.pointer(row: row), count: dimension)
                let norm = VectorKernels.dot(target, target, count: dimension).squareRoot()
                if norm > 0 { VectorKernels.scale(target, by: 1 / norm, count: dimension) }
            }
        } else {
            embeddings = Matrix(rows: items, columns: dimension) { (2 * random.nextUnit() - 1) * scale }
        }
        let widths = [(inputs.count + fields.count) * dimension] + hidden + [dimension]
        var weights: [Matrix] = []
        var biases: [Matrix] = []
        for layer in 0..<(widths.count - 1) {
            let fanIn = widths[layer], fanOut = widths[layer + 1]
            // He et al. 2015 for ReLU layers: variance 2 / fan-in.
            let bound = Float(6 / Double(fanIn)).squareRoot()
            weights.append(Matrix(rows: fanOut, columns: fanIn) { (2 * random.nextUnit() - 1) * bound })
            biases.append(Matrix(rows: 1, columns: fanOut))
        }
        self.weights = weights
        self.biases = biases
        // Drawn after the layers, so that a tower without side fields is the one earlier builds drew.
        tokenEmbeddings = Matrix(rows: tokens.count, columns: dimension) { (2 * random.nextUnit() - 1) * scale }
        outputs = Matrix(rows: items, columns: dimension)
        itemBias = Matrix(rows: 1, columns: items)
        if let counts {
            let total = Double(counts.reduce(0, +) + items)
            for item in 0..<items { itemBias.storage[item] = Float(log(Double(counts[item] + 1) / total)) }
        }
    }

    /// A tower from stored parameters (`TowerFile`). The matrices are owned by the tower from now on.
    init(items: Int, dimension: Int, inputs: TowerConfiguration.Inputs, hidden: [Int], embeddings: Matrix,
         fields: [String], tokens: [(field: Int, token: String)], sideWindow: Int, tokenEmbeddings: Matrix,
         weights: [Matrix], biases: [Matrix], outputs: Matrix, itemBias: Matrix) {
        self.items = items
        self.dimension = dimension
        self.inputs = inputs
        self.hidden = hidden
        self.sideWindow = sideWindow
        self.fields = fields
        self.tokens = tokens.map(\.token)
        tokenField = tokens.map { Int32($0.field) }
        tokenRow = Self.rowsOfTokens(tokens)
        self.tokenEmbeddings = tokenEmbeddings
        (decayWeights, decayTotals) = Self.decay(inputs.halfLife)
        self.embeddings = embeddings
        self.weights = weights
        self.biases = biases
        self.outputs = outputs
        self.itemBias = itemBias
    }

    static func rowsOfTokens(_ tokens: [(field: Int, token: String)]) -> [String: Int32] {
        var rows: [String: Int32] = [:]
        for (row, token) in tokens.enumerated() { rows[key(field: token.field, token: token.token)] = Int32(row) }
        return rows
    }

    static func key(field: Int, token: String) -> String { "\(field)\u{0}" + token }

    /// The rows of the side tokens of one event or history: `values[f]` are tokens of field `f`
    /// (missing trailing fields are empty). Tokens the tower never saw in training are left out:
    /// a new word adds nothing rather than noise.
    public func tokenRows(_ values: [[String]]) -> [Int32] {
        var rows: [Int32] = []
        for (field, tokens) in values.prefix(fields.count).enumerated() {
            for token in tokens { if let row = tokenRow[Self.key(field: field, token: token)] { rows.append(row) } }
        }
        return rows
    }

    /// Every parameter matrix, in model-file order.
    var matrices: [Matrix] { [embeddings, tokenEmbeddings] + zip(weights, biases).flatMap { [$0, $1] } + [outputs, itemBias] }

    /// Positions in `matrices`, for the optimiser's state (`TowerUpdate.descend`).
    static let embeddingsMatrix = 0, tokenMatrix = 1
    static func weightMatrix(_ layer: Int) -> Int { 2 + 2 * layer }
    static func biasMatrix(_ layer: Int) -> Int { 3 + 2 * layer }
    var outputsMatrix: Int { 2 + 2 * weights.count }
    var itemBiasMatrix: Int { 3 + 2 * weights.count }

    // MARK: - Forward

    /// Writes the first layer's input for a non-empty `history` (item rows, oldest first) to `x`.
    /// O(history x dimension).
    /// Then, per side field, the mean embedding of `tokens` (rows of `tokenEmbeddings`) of that
    /// field, 0 when there is none; `counts[f]` gets how many there were. O(tokens x dimension).
    func summarise(_ history: UnsafeBufferPointer<Int32>, tokens: UnsafeBufferPointer<Int32>, into x: UnsafeMutablePointer<Float>,
                   counts: UnsafeMutablePointer<Float>) {
        let d = dimension
        if !fields.isEmpty {
            let side = x + inputs.count * d
            VectorKernels.zero(side, count: fields.count * d)
            counts.update(repeating: 0, count: fields.count)
            for token in tokens {
                let field = Int(tokenField[Int(token)])
                VectorKernels.add(tokenEmbeddings.pointer(row: Int(token)), to: side + field * d, count: d)
                counts[field] += 1
            }
            for field in 0..<fields.count where counts[field] > 1 {
                VectorKernels.scale(side + field * d, by: 1 / counts[field], count: d)
            }
        }
        var part = x
        let t = history.count
        if inputs.last {
            part.update(from: embeddings.pointer(row: Int(history[t - 1])), count: d)
            part += d
        }
        if inputs.halfLife != nil {
            VectorKernels.zero(part, count: d)
            let window = min(t, decayWeights.count)
            for age in 0..<window {
                VectorKernels.axpy(decayWeights[age], embeddings.pointer(row: Int(history[t - 1 - age])), part, count: d)
            }
            VectorKernels.scale(part, by: 1 / decayTotals[window - 1], count: d)
            part += d
        }
        if inputs.mean {
            VectorKernels.zero(part, count: d)
            for row in history { VectorKernels.add(embeddings.pointer(row: Int(row)), to: part, count: d) }
            VectorKernels.scale(part, by: 1 / Float(t), count: d)
        }
    }

    /// Runs the layers on `scratch.x`, leaving each layer's output in `scratch.activations` (the
    /// last is the user vector). O(sum of layer sizes).
    ///
    /// With `dropout` > 0 (training only) each hidden unit is zeroed with that probability, drawn
    /// from `scratch.random`, and the kept ones are scaled by `1 / (1 - dropout)` so that their
    /// expected value is the undropped one.
    func forward(_ scratch: TowerScratch, dropout: Float = 0) {
        let keep = 1 / (1 - dropout)
        var input = UnsafePointer(scratch.x)
        for layer in weights.indices {
            let w = weights[layer], b = biases[layer].storage
            let out = scratch.activations[layer]
            let relu = layer < weights.count - 1
            for o in 0..<w.rows {
                let z = VectorKernels.dot(w.pointer(row: o), input, count: w.columns) + b[o]
                out[o] = relu ? max(z, 0) : z
            }
            if relu, dropout > 0 {
                // A local copy: drawing through the class's stored property pays an exclusivity
                // check per unit.
                var random = scratch.random
                for o in 0..<w.rows { out[o] = random.nextUnit() < dropout ? 0 : out[o] * keep }
                scratch.random = random
            }
            input = UnsafePointer(out)
        }
    }

    /// The user vector of `scratch` after `forward`.
    func userVector(_ scratch: TowerScratch) -> UnsafeMutablePointer<Float> { scratch.activations[weights.count - 1] }

    // MARK: - Training step

    /// One step on predicting `target` from `history` (item rows, oldest first, not empty): every
    /// parameter `p` moves down `dLoss/dp` as `update` says (plain SGD: by `-rate x dLoss/dp`),
    /// each gradient computed from the parameters as they were before the step. With `dropout` the
    /// loss is that of the network with hidden units dropped as `forward` draws them. With
    /// `maskHistory` the softmax leaves out the history's items other than the target: a tower's
    /// answers never include them, so it need not learn to rank them low. Returns the loss,
    /// `-log p(target)` under the softmax over `candidates` (all items when `nil`; else the target
    /// first, then sampled items with `logExpected[i]`, the log of how often item `i` is drawn per
    /// example, subtracted from their scores; a drawn copy of the target is left out).
    ///
    /// - Complexity: O(history x dimension + layer sizes + candidates x dimension); no allocation.
    @discardableResult
    func step(history: UnsafeBufferPointer<Int32>, tokens: UnsafeBufferPointer<Int32>, target: Int, update: TowerUpdate,
              scratch: TowerScratch, candidates: UnsafeBufferPointer<Int32>? = nil, logExpected: UnsafePointer<Float>? = nil,
              trainEmbeddings: Bool = true, dropout: Float = 0, maskHistory: Bool = false) -> Float {
        let d = dimension
        let seen = scratch.seen
        if maskHistory { for row in history { seen[Int(row)] = true } }
        defer { if maskHistory { for row in history { seen[Int(row)] = false } } }
        summarise(history, tokens: tokens, into: scratch.x, counts: scratch.fieldCounts)
        forward(scratch, dropout: dropout)
        let u = userVector(scratch)
        let du = scratch.gradients[weights.count - 1]
        VectorKernels.zero(du, count: d)
        let scores = scratch.scores
        let bias = itemBias.storage
        let loss: Float
        if let candidates {
            let count = candidates.count
            var largest = -Float.infinity
            for k in 0..<count {
                let item = Int(candidates[k])
                if k > 0, item == target || seen[item] {
                    scores[k] = -.infinity
                    continue
                }
                scores[k] = VectorKernels.dot(outputs.pointer(row: item), u, count: d) + bias[item] - logExpected![item]
                largest = max(largest, scores[k])
            }
            loss = Self.softmax(scores, count: count, largest: largest, target: 0)
            for k in 0..<count where scores[k] != 0 {
                apply(scores[k], to: Int(candidates[k]), u: u, du: du, update: update)
            }
        } else {
            var largest = -Float.infinity
            for item in 0..<items {
                if seen[item], item != target {
                    scores[item] = -.infinity
                    continue
                }
                scores[item] = VectorKernels.dot(outputs.pointer(row: item), u, count: d) + bias[item]
                largest = max(largest, scores[item])
            }
            loss = Self.softmax(scores, count: items, largest: largest, target: target)
            for item in 0..<items where scores[item] != 0 {
                apply(scores[item], to: item, u: u, du: du, update: update)
            }
        }
        backward(scratch, update: update, dropout: dropout)
        if trainEmbeddings { scatter(scratch, history: history, update: update) }
        scatterTokens(scratch, tokens: tokens, update: update)
        return loss
    }

    /// Turns `scores[0..<count]` into the gradient of the cross-entropy with respect to them,
    /// `softmax - onehot(target)`, and returns the cross-entropy. `-infinity` scores get 0.
    static func softmax(_ scores: UnsafeMutablePointer<Float>, count: Int, largest: Float, target: Int) -> Float {
        var total: Float = 0
        let targetScore = scores[target]
        for k in 0..<count {
            let e = scores[k] == -.infinity ? 0 : expf(scores[k] - largest)
            scores[k] = e
            total += e
        }
        let normaliser = 1 / total
        for k in 0..<count { scores[k] *= normaliser }
        scores[target] -= 1
        return logf(total) - (targetScore - largest)
    }

    /// Output row `item` with score gradient `g`: adds `g V_item` to `du`, then steps `V_item` and
    /// its bias.
    @inline(__always)
    private func apply(_ g: Float, to item: Int, u: UnsafePointer<Float>, du: UnsafeMutablePointer<Float>, update: TowerUpdate) {
        let row = outputs.pointer(row: item)
        VectorKernels.axpy(g, row, du, count: dimension)
        update.descend(outputsMatrix, row, g, u, count: dimension)
        update.descend(itemBiasMatrix, itemBias.storage + item, g)
    }

    /// From the user vector's gradient (`scratch.gradients` last) down the layers: each layer's
    /// input gradient is computed from its weights before they step. Leaves the gradient of the
    /// first layer's input in `scratch.inputGradient`.
    private func backward(_ scratch: TowerScratch, update: TowerUpdate, dropout: Float) {
        let keep = 1 / (1 - dropout)
        for layer in stride(from: weights.count - 1, through: 0, by: -1) {
            let w = weights[layer], b = biases[layer].storage
            let delta = scratch.gradients[layer]
            // A hidden layer's output went through a ReLU: no gradient where it was cut to 0 (or
            // dropped); a kept unit was scaled by `keep` after it.
            if layer < weights.count - 1 {
                let out = scratch.activations[layer]
                for o in 0..<w.rows { delta[o] = out[o] <= 0 ? 0 : delta[o] * keep }
            }
            let input = layer == 0 ? UnsafePointer(scratch.x) : UnsafePointer(scratch.activations[layer - 1])
            let inputDelta = layer == 0 ? scratch.inputGradient : scratch.gradients[layer - 1]
            VectorKernels.zero(inputDelta, count: w.columns)
            for o in 0..<w.rows where delta[o] != 0 {
                let row = w.pointer(row: o)
                VectorKernels.axpy(delta[o], row, inputDelta, count: w.columns)
                if let sums = scratch.layerSums {
                    VectorKernels.axpy(delta[o], input, sums.weights[layer] + o * w.columns, count: w.columns)
                    sums.biases[layer][o] += delta[o]
                } else {
                    update.descend(Self.weightMatrix(layer), row, delta[o], input, count: w.columns)
                    update.descend(Self.biasMatrix(layer), b + o, delta[o])
                }
            }
        }
    }

    /// Steps the layers by the gradients summed in `scratch.layerSums` since the last flush, then
    /// zeroes the sums. Every weight moves (dense Adam: a weight without gradient still decays
    /// its moments). O(layer sizes).
    func flush(_ scratch: TowerScratch, update: TowerUpdate) {
        guard let sums = scratch.layerSums else { return }
        for layer in weights.indices {
            let w = weights[layer], b = biases[layer]
            update.descend(Self.weightMatrix(layer), w.storage, 1, sums.weights[layer], count: w.rows * w.columns)
            update.descend(Self.biasMatrix(layer), b.storage, 1, sums.biases[layer], count: b.columns)
            VectorKernels.zero(sums.weights[layer], count: w.rows * w.columns)
            VectorKernels.zero(sums.biases[layer], count: b.columns)
        }
    }

    /// Steps the side tokens' embeddings by their field's part of the input gradient, each by its
    /// share of the mean. They are always trained: nothing else gives them a meaning.
    private func scatterTokens(_ scratch: TowerScratch, tokens: UnsafeBufferPointer<Int32>, update: TowerUpdate) {
        guard !fields.isEmpty else { return }
        let d = dimension
        let side = UnsafePointer(scratch.inputGradient) + inputs.count * d
        for token in tokens {
            let field = Int(tokenField[Int(token)])
            update.descend(Self.tokenMatrix, tokenEmbeddings.pointer(row: Int(token)), 1 / scratch.fieldCounts[field], side + field * d, count: d)
        }
    }

    /// Steps the embeddings `summarise` read by the first layer's input gradient, each by its share.
    /// A position's shares of the last item, the decayed mean and the mean are summed into one
    /// gradient first, so that an adaptive optimiser sees the row's whole gradient in one update
    /// (for SGD the order of the sums is all that differs).
    private func scatter(_ scratch: TowerScratch, history: UnsafeBufferPointer<Int32>, update: TowerUpdate) {
        let d = dimension
        var part = UnsafePointer(scratch.inputGradient)
        let t = history.count
        var lastPart: UnsafePointer<Float>?
        var decayPart: UnsafePointer<Float>?
        if inputs.last {
            lastPart = part
            part += d
        }
        if inputs.halfLife != nil {
            decayPart = part
            part += d
        }
        let meanPart: UnsafePointer<Float>? = inputs.mean ? part : nil
        let window = decayPart == nil ? 0 : min(t, decayWeights.count)
        let decayShare = window == 0 ? 0 : 1 / decayTotals[window - 1]
        // Positions older than the decay window (and the last item) are read only by the mean.
        let recent = max(window, lastPart == nil ? 0 : 1)
        let read = meanPart != nil ? t : recent
        let g = scratch.rowGradient
        for age in 0..<read {
            // Read by the mean only: its share is the whole gradient.
            if age >= recent, let meanPart {
                update.descend(Self.embeddingsMatrix, embeddings.pointer(row: Int(history[t - 1 - age])), 1 / Float(t), meanPart, count: d)
                continue
            }
            VectorKernels.zero(g, count: d)
            if let meanPart { VectorKernels.axpy(1 / Float(t), meanPart, g, count: d) }
            if let decayPart, age < window { VectorKernels.axpy(decayShare * decayWeights[age], decayPart, g, count: d) }
            if let lastPart, age == 0 { VectorKernels.add(lastPart, to: g, count: d) }
            update.descend(Self.embeddingsMatrix, embeddings.pointer(row: Int(history[t - 1 - age])), 1, g, count: d)
        }
    }
}

/// Per-thread buffers of `UserTower.step` and of scoring, allocated once.
final class TowerScratch {
    let x: UnsafeMutablePointer<Float>
    let inputGradient: UnsafeMutablePointer<Float>
    /// Output of each layer (after its ReLU for hidden layers); the last is the user vector.
    let activations: [UnsafeMutablePointer<Float>]
    /// Gradient with respect to each layer's output.
    let gradients: [UnsafeMutablePointer<Float>]
    /// Scores, then their gradients: one per item (or candidate).
    let scores: UnsafeMutablePointer<Float>
    /// Side tokens per field in the last `summarise`.
    let fieldCounts: UnsafeMutablePointer<Float>
    /// `items` flags, all false between steps: the history's items while `step` masks them.
    let seen: UnsafeMutablePointer<Bool>
    /// One embedding row's gradient (`scatter`).
    let rowGradient: UnsafeMutablePointer<Float>
    /// Draws dropout's masks.
    var random: LinearCongruentialGenerator
    /// The layers' gradients summed over the examples since the last `UserTower.flush`, for the
    /// adaptive optimisers: their per-weight step costs several times an SGD step, so the dense
    /// layers take one per batch of examples (the sparse rows still step per example); `nil` for SGD.
    let layerSums: (weights: [UnsafeMutablePointer<Float>], biases: [UnsafeMutablePointer<Float>])?

    init(_ tower: UserTower, scores: Int, seed: UInt64 = 1, batchesLayers: Bool = false) {
        let widths = tower.hidden + [tower.dimension]
        x = .allocate(capacity: tower.inputWidth)
        inputGradient = .allocate(capacity: tower.inputWidth)
        activations = widths.map { .allocate(capacity: $0) }
        gradients = widths.map { .allocate(capacity: $0) }
        self.scores = .allocate(capacity: max(scores, tower.items))
        fieldCounts = .allocate(capacity: max(1, tower.fields.count))
        rowGradient = .allocate(capacity: tower.dimension)
        seen = .allocate(capacity: tower.items)
        seen.initialize(repeating: false, count: tower.items)
        random = LinearCongruentialGenerator(seed: seed)
        func zeros(_ count: Int) -> UnsafeMutablePointer<Float> {
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            buffer.initialize(repeating: 0, count: count)
            return buffer
        }
        layerSums = batchesLayers ? (tower.weights.map { zeros($0.rows * $0.columns) }, tower.biases.map { zeros($0.columns) }) : nil
    }

    deinit {
        x.deallocate()
        inputGradient.deallocate()
        for buffer in activations + gradients { buffer.deallocate() }
        scores.deallocate()
        fieldCounts.deallocate()
        rowGradient.deallocate()
        seen.deallocate()
        if let layerSums { for buffer in layerSums.weights + layerSums.biases { buffer.deallocate() } }
    }
}

extension UserTower {
    /// The best `top` items for each history (tower rows, oldest first), by `u . V_i + b_i`, best
    /// first (ties: lower row first), never an item of the history. An empty history gets `[]`.
    ///
    /// - Complexity: O(users x (history x dimension + layer sizes + items x dimension)), in
    ///   parallel over all cores; one scratch per thread.
    ///
    /// - Parameter tokens: each history's side tokens (`tokenRows`), or `nil` for none: the side
    ///   fields' inputs are then 0, as for a history whose events carried no text or feature.
    public func recommend(_ histories: [[Int32]], tokens: [[Int32]]? = nil, top: Int) -> [[(row: Int, score: Float)]] {
        precondition(tokens.map { $0.count == histories.count } ?? true)
        let results = UnsafeMutableBufferPointer<[(row: Int, score: Float)]>.allocate(capacity: histories.count)
        _ = results.initialize(from: repeatElement([], count: histories.count))
        defer { results.deallocate() }
        // Parts several times the cores, so that long histories do not leave cores idle at the end.
        let parts = min(histories.count, 64)
        guard parts > 0 else { return [] }
        nonisolated(unsafe) let output = results
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let scratch = TowerScratch(self, scores: items)
            var excluded = [Bool](repeating: false, count: items)
            for user in (histories.count * part / parts)..<(histories.count * (part + 1) / parts) {
                let history = histories[user]
                guard !history.isEmpty else { continue }
                let side = tokens?[user] ?? []
                history.withUnsafeBufferPointer { history in
                    side.withUnsafeBufferPointer { summarise(history, tokens: $0, into: scratch.x, counts: scratch.fieldCounts) }
                }
                forward(scratch)
                for row in history { excluded[Int(row)] = true }
                output[user] = best(top, for: userVector(scratch), excluding: excluded, scores: scratch.scores)
                for row in history { excluded[Int(row)] = false }
            }
        }
        return Array(results)
    }

    /// The user vector of a non-empty history, for tests and queries.
    public func userVector(_ history: [Int32], tokens: [Int32] = []) -> [Float] {
        let scratch = TowerScratch(self, scores: 0)
        history.withUnsafeBufferPointer { history in
            tokens.withUnsafeBufferPointer { summarise(history, tokens: $0, into: scratch.x, counts: scratch.fieldCounts) }
        }
        forward(scratch)
        return Array(UnsafeBufferPointer(start: userVector(scratch), count: dimension))
    }

    /// The `top` best-scoring rows not `excluded`. O(items x dimension + items x log top).
    private func best(_ top: Int, for u: UnsafePointer<Float>, excluding excluded: [Bool], scores: UnsafeMutablePointer<Float>)
        -> [(row: Int, score: Float)] {
        var kept: [(row: Int, score: Float)] = []
        kept.reserveCapacity(min(top, items) + 1)
        let bias = itemBias.storage
        for item in 0..<items where !excluded[item] {
            let score = VectorKernels.dot(outputs.pointer(row: item), u, count: dimension) + bias[item]
            if kept.count == top, score <= kept[top - 1].score { continue }
            // Rows arrive in increasing order, so a tie keeps the row already kept first.
            var position = kept.count
            while position > 0, kept[position - 1].score < score { position -= 1 }
            kept.insert((item, score), at: position)
            if kept.count > top { kept.removeLast() }
        }
        return kept
    }
}

extension UserTower {
    /// Every parameter, in model-file order: for gradient checks.
    package var parameters: [Float] {
        get { matrices.flatMap { Array(UnsafeBufferPointer(start: $0.storage, count: $0.rows * $0.columns)) } }
        set {
            var offset = 0
            for matrix in matrices {
                let count = matrix.rows * matrix.columns
                newValue.withUnsafeBufferPointer { matrix.storage.update(from: $0.baseAddress! + offset, count: count) }
                offset += count
            }
        }
    }

    /// The output vectors `V`, a row per item: for tests.
    package var outputRows: [[Float]] {
        (0..<items).map { Array(UnsafeBufferPointer(start: outputs.pointer(row: $0), count: dimension)) }
    }

    /// The item biases `b`: for tests.
    package var itemBiases: [Float] { Array(UnsafeBufferPointer(start: itemBias.storage, count: items)) }

    /// `step` on arrays, for gradient checks: `rate` 0 evaluates the loss and changes nothing.
    /// Each call starts the optimiser's state afresh (Adam's first update)
    /// and draws the same dropout masks.
    @discardableResult
    package func step(history: [Int32], tokens: [Int32] = [], target: Int, rate: Float, candidates: [Int32]? = nil,
                      logExpected: [Float]? = nil, optimizer: TowerConfiguration.Optimizer = .sgd, dropout: Float = 0,
                      maskHistory: Bool = false) -> Float {
        let scratch = TowerScratch(self, scores: candidates?.count ?? 0, batchesLayers: optimizer != .sgd)
        let update = TowerUpdate(rate: rate, moments: optimizer == .adam ? TowerMoments(self) : nil, step: 1)
        defer { flush(scratch, update: update) }
        return history.withUnsafeBufferPointer { history in
            tokens.withUnsafeBufferPointer { tokens in
                guard let candidates else {
                    return step(history: history, tokens: tokens, target: target, update: update, scratch: scratch, dropout: dropout,
                                maskHistory: maskHistory)
                }
                return candidates.withUnsafeBufferPointer { candidates in
                    logExpected!.withUnsafeBufferPointer { logExpected in
                        step(history: history, tokens: tokens, target: target, update: update, scratch: scratch, candidates: candidates,
                             logExpected: logExpected.baseAddress, dropout: dropout, maskHistory: maskHistory)
                    }
                }
            }
        }
    }
}
