/// fastText's character n-grams (Bojanowski et al. 2017, "Enriching Word Vectors with Subword
/// Information"): a word is wrapped in `<` and `>`, and each of its substrings of `minLength` to
/// `maxLength` characters is hashed into one of `buckets` rows.
///
/// The rules are fastText's to the byte, so that its `.bin` models load with the same vectors:
/// - characters are UTF-8 sequences (an n-gram never starts or ends inside one), counted as one each,
///   `<` and `>` included;
/// - the one-character n-grams `<` and `>` are left out;
/// - the hash is 32-bit FNV-1a over the n-gram's bytes, each byte sign-extended first (fastText
///   xors `uint32_t(int8_t(c))`, which differs from textbook FNV-1a for bytes >= 0x80);
/// - repeated n-grams are kept, so they weigh more in the word's mean.
public struct CharacterNGrams: Sendable, Hashable {
    /// Shortest n-gram, in characters (fastText's `minn`).
    public let minLength: Int
    /// Longest n-gram, in characters (fastText's `maxn`).
    public let maxLength: Int
    /// Rows of the bucket matrix that n-grams are hashed into (fastText's `bucket`).
    public let buckets: Int

    /// The settings are checked by `TrainingConfiguration.validate()`: `1 <= minLength <= maxLength`,
    /// `1 <= buckets < 2^31`. `forEachBucket` traps on other values.
    public init(minLength: Int, maxLength: Int, buckets: Int) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.buckets = buckets
    }

    /// fastText's hash of `bytes`: FNV-1a with every byte sign-extended to 32 bits.
    @inline(__always)
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for byte in bytes {
            h = (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: byte)))) &* 16_777_619
        }
        return h
    }

    /// Calls `body` with the bucket of each n-gram of `word` (without its `<` `>`), in fastText's
    /// order: by start character, then by length.
    ///
    /// - Complexity: O(characters x `maxLength`) hash steps; allocates one buffer for the wrapped word.
    public func forEachBucket(of word: some Collection<UInt8>, _ body: (Int) -> Void) {
        precondition(minLength >= 1 && buckets >= 1 && buckets <= Int(UInt32.max), "unvalidated n-gram settings")
        var wrapped = [UInt8]()
        wrapped.reserveCapacity(word.count + 2)
        wrapped.append(UInt8(ascii: "<"))
        wrapped.append(contentsOf: word)
        wrapped.append(UInt8(ascii: ">"))
        let modulus = UInt32(buckets)
        wrapped.withUnsafeBufferPointer { bytes in
            let size = bytes.count
            @inline(__always) func continues(_ i: Int) -> Bool { bytes[i] & 0xC0 == 0x80 }
            for start in 0..<size where !continues(start) {
                var h: UInt32 = 2_166_136_261
                var end = start
                var length = 0
                while end < size && length < maxLength {
                    // One more character: its lead byte and continuation bytes.
                    repeat {
                        h = (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: bytes[end])))) &* 16_777_619
                        end += 1
                    } while end < size && continues(end)
                    length += 1
                    if length >= minLength && !(length == 1 && (start == 0 || end == size)) {
                        body(Int(h % modulus))
                    }
                }
            }
        }
    }

    /// The buckets of `word`'s n-grams, in `forEachBucket`'s order.
    public func buckets(of word: String) -> [Int] {
        var result: [Int] = []
        forEachBucket(of: word.utf8) { result.append($0) }
        return result
    }
}
