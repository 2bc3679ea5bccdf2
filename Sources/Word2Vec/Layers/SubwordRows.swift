/// The subword part of an input layer: one row per hash bucket of character n-grams, and for each
/// vocabulary word the buckets of its n-grams (`CharacterNGrams`), computed once.
///
/// A word's vector is the mean of its own row and its buckets' rows; a word outside the vocabulary
/// gets the mean of its buckets' rows alone (fastText's `getWordVector`), so misspellings,
/// inflections and unseen words have vectors. As in fastText, the vocabulary word `</s>` (its
/// end-of-line token) has no n-grams: its vector is its own row.
public final class SubwordRows: @unchecked Sendable {
    public let nGrams: CharacterNGrams
    /// `nGrams.buckets x dimension`.
    public let buckets: Matrix
    /// Word `w`'s buckets are `ids[offsets[w] ..< offsets[w + 1]]` (`vocabularySize + 1` offsets).
    let offsets: UnsafeMutablePointer<Int32>
    let ids: UnsafeMutablePointer<Int32>
    let vocabularySize: Int

    /// - Precondition: `buckets.rows == nGrams.buckets`; fewer than 2^31 n-grams in all.
    /// - Complexity: O(total characters of `words` x `nGrams.maxLength`).
    package init(nGrams: CharacterNGrams, buckets: Matrix, words: [String]) {
        precondition(buckets.rows == nGrams.buckets)
        self.nGrams = nGrams
        self.buckets = buckets
        vocabularySize = words.count
        var offsets = [Int32](repeating: 0, count: words.count + 1)
        var ids: [Int32] = []
        ids.reserveCapacity(words.count * 16)
        for (i, word) in words.enumerated() {
            // fastText gives its end-of-line token no n-grams, so that its `.bin` models load with
            // the same vectors (a word never spelled `</s>` in a training text is not affected).
            if word != FastTextFile.endOfSentence {
                nGrams.forEachBucket(of: word.utf8) { ids.append(Int32($0)) }
            }
            precondition(ids.count < Int(Int32.max), "too many character n-grams")
            offsets[i + 1] = Int32(ids.count)
        }
        self.offsets = .allocate(capacity: offsets.count)
        self.offsets.initialize(from: offsets, count: offsets.count)
        self.ids = .allocate(capacity: max(ids.count, 1))
        self.ids.initialize(from: ids, count: ids.count)
    }

    deinit {
        offsets.deallocate()
        ids.deallocate()
    }

    /// Fresh bucket rows, uniform in [-1/dim, 1/dim) like the word rows, from a stream of their own,
    /// drawn on `threads` threads: each part starts its stream where the one before ends
    /// (`LinearCongruentialGenerator.advanced(by:)`), so the rows do not depend on `threads`.
    package static func initialBuckets(_ nGrams: CharacterNGrams, dimension: Int, seed: UInt64, threads: Int) -> Matrix {
        Matrix(rows: nGrams.buckets, columns: dimension, parts: max(1, threads)) { rows, storage in
            var generator = LinearCongruentialGenerator(seed: seed ^ 0x5B_0BD5)
                .advanced(by: UInt64(rows.lowerBound) * UInt64(dimension))
            for row in rows {
                Trainer.initialize(storage + row * dimension, count: dimension, generator: &generator)
            }
        }
    }

    /// The vectors of the vocabulary's words as training uses them: row `w` is the mean of `words`
    /// row `w` and its buckets' rows. O(total n-grams x dimension).
    func composed(_ words: Matrix) -> Matrix {
        let input = SubwordInput(words: words, subwords: self)
        let result = Matrix(rows: words.rows, columns: words.columns)
        for w in 0..<words.rows { input.compose(w, into: result.pointer(row: w)) }
        return result
    }

    /// Adds the mean of `word`'s bucket rows (a word outside the vocabulary) into `vector`, which
    /// must hold zeros; returns false, leaving zeros, when the word has no n-grams.
    package func composeUnknown(_ word: String, into vector: UnsafeMutablePointer<Float>) -> Bool {
        let dimension = buckets.columns
        var count = 0
        nGrams.forEachBucket(of: word.utf8) { bucket in
            VectorKernels.add(buckets.pointer(row: bucket), to: vector, count: dimension)
            count += 1
        }
        guard count > 0 else { return false }
        VectorKernels.scale(vector, by: 1 / Float(count), count: dimension)
        return true
    }
}
