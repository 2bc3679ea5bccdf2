/// How an architecture reads and writes the input side of one word: the seam between the
/// architectures and the input layer.
///
/// A word's input vector is the mean of its rows: one row for plain word vectors (`WordRows`); its
/// own row and its character n-grams' bucket rows with subwords (`SubwordInput`, fastText's
/// scheme). Architectures build the hidden vector from `accumulate` or `compose` and hand the
/// gradient back with `apply`, which gives it in full to every row, as fastText does. Conforming
/// types are structs over raw pointers, so that the generic architectures specialise for each and
/// plain words compile to exactly the code they had before the seam.
package protocol InputRows {
    /// Columns of a row.
    var dimension: Int { get }

    /// Whether a word's vector is composed of several rows, so that architectures may prefer to
    /// compose it once and reuse it (`SkipGram.trainComposed`, `CBOW.trainComposed`). A constant
    /// of the type, so that the choice is made when the architecture is specialised.
    static var composesWords: Bool { get }

    /// Adds each of `word`'s rows into `sum` and returns how many it added.
    func accumulate(_ word: Int, into sum: UnsafeMutablePointer<Float>) -> Int

    /// Writes `word`'s input vector (the mean of its rows) to `vector`.
    func compose(_ word: Int, into vector: UnsafeMutablePointer<Float>)

    /// Adds `step x gradient` to every row of `word`.
    func apply(_ gradient: UnsafePointer<Float>, step: Float, to word: Int)

    /// `word`'s row when it is the word's only one, so that its input vector can be used (and
    /// updated) in place; `nil` when the vector is a mean that must be composed.
    func onlyRow(_ word: Int) -> UnsafeMutablePointer<Float>?

    /// A hint that `word`'s rows are read soon (`VectorKernels.prefetch`).
    func prefetch(_ word: Int)
}

/// Plain word vectors: row `word` of one matrix.
package struct WordRows: InputRows {
    let storage: UnsafeMutablePointer<Float>
    package let dimension: Int

    package init(_ matrix: Matrix) {
        storage = matrix.storage
        dimension = matrix.columns
    }

    package static var composesWords: Bool { false }

    @inline(__always)
    func row(_ word: Int) -> UnsafeMutablePointer<Float> { storage + word &* dimension }

    @inline(__always)
    package func accumulate(_ word: Int, into sum: UnsafeMutablePointer<Float>) -> Int {
        VectorKernels.add(row(word), to: sum, count: dimension)
        return 1
    }

    @inline(__always)
    package func compose(_ word: Int, into vector: UnsafeMutablePointer<Float>) {
        vector.update(from: row(word), count: dimension)
    }

    @inline(__always)
    package func apply(_ gradient: UnsafePointer<Float>, step: Float, to word: Int) {
        if step == 1 {
            VectorKernels.add(gradient, to: row(word), count: dimension)
        } else {
            VectorKernels.axpy(step, gradient, row(word), count: dimension)
        }
    }

    @inline(__always)
    package func onlyRow(_ word: Int) -> UnsafeMutablePointer<Float>? { row(word) }

    @inline(__always)
    package func prefetch(_ word: Int) { VectorKernels.prefetch(row(word), count: dimension) }
}

/// Word rows and character n-gram rows (`SubwordRows`): a word's input vector is the mean of its
/// own row and the bucket rows of its n-grams.
package struct SubwordInput: InputRows {
    let words: UnsafeMutablePointer<Float>
    let buckets: UnsafeMutablePointer<Float>
    /// Word `w`'s buckets are `ids[offsets[w] ..< offsets[w + 1]]`.
    let offsets: UnsafePointer<Int32>
    let ids: UnsafePointer<Int32>
    package let dimension: Int

    package static var composesWords: Bool { true }

    package init(words: Matrix, subwords: SubwordRows) {
        self.words = words.storage
        buckets = subwords.buckets.storage
        offsets = UnsafePointer(subwords.offsets)
        ids = UnsafePointer(subwords.ids)
        dimension = words.columns
    }

    @inline(__always)
    package func accumulate(_ word: Int, into sum: UnsafeMutablePointer<Float>) -> Int {
        VectorKernels.add(words + word &* dimension, to: sum, count: dimension)
        let end = Int(offsets[word &+ 1])
        var i = Int(offsets[word])
        let count = 1 &+ end &- i
        while i < end {
            VectorKernels.add(buckets + Int(ids[i]) &* dimension, to: sum, count: dimension)
            i &+= 1
        }
        return count
    }

    @inline(__always)
    package func compose(_ word: Int, into vector: UnsafeMutablePointer<Float>) {
        VectorKernels.zero(vector, count: dimension)
        let count = accumulate(word, into: vector)
        if count > 1 { VectorKernels.scale(vector, by: 1 / Float(count), count: dimension) }
    }

    @inline(__always)
    package func apply(_ gradient: UnsafePointer<Float>, step: Float, to word: Int) {
        VectorKernels.axpy(step, gradient, words + word &* dimension, count: dimension)
        let end = Int(offsets[word &+ 1])
        var i = Int(offsets[word])
        while i < end {
            VectorKernels.axpy(step, gradient, buckets + Int(ids[i]) &* dimension, count: dimension)
            i &+= 1
        }
    }

    @inline(__always)
    package func onlyRow(_ word: Int) -> UnsafeMutablePointer<Float>? {
        offsets[word] == offsets[word &+ 1] ? words + word &* dimension : nil
    }

    /// All of the word's rows: the bucket rows lie anywhere in a large matrix, so each is a miss.
    @inline(__always)
    package func prefetch(_ word: Int) {
        VectorKernels.prefetch(words + word &* dimension, count: dimension)
        let end = Int(offsets[word &+ 1])
        var i = Int(offsets[word])
        while i < end {
            VectorKernels.prefetch(buckets + Int(ids[i]) &* dimension, count: dimension)
            i &+= 1
        }
    }
}
