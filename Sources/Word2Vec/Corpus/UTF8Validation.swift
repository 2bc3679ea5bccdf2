/// Byte-level UTF-8 checks for tokens read from user files.
///
/// Corpora are treated as bytes for speed, but every word that reaches the vocabulary or a vector file
/// must be valid UTF-8, or other tools (gensim, fastText) refuse the output. Invalid sequences are
/// replaced by U+FFFD, exactly as `String(decoding:as:)` would, so a word's identity does not depend on
/// where it was read.
package enum UTF8Validation {
    /// Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
    /// O(n), no allocation; pure ASCII takes the fast path.
    package static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        var i = 0
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            @inline(__always) func continuation(_ k: Int) -> Bool {
                i + k < n && bytes[i + k] & 0xC0 == 0x80
            }
            switch b0 {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let b1 = bytes[i + 1]
                if b0 == 0xE0 && b1 < 0xA0 { return false }
                if b0 == 0xED && b1 >= 0xA0 { return false }
                i += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let b1 = bytes[i + 1]
                if b0 == 0xF0 && b1 < 0x90 { return false }
                if b0 == 0xF4 && b1 >= 0x90 { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }

    /// The bytes of `String(decoding: bytes, as: UTF8.self)`: invalid sequences become U+FFFD.
    static func repaired(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        Array(String(decoding: bytes, as: UTF8.self).utf8)
    }
}
