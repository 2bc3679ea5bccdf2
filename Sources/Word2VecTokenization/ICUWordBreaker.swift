import Word2Vec
#if canImport(_FoundationICU)
import _FoundationICU

/// The one place that talks to ICU: its word-break iterator (with the CJK dictionary, so Chinese and
/// Japanese runs are split into dictionary words) and its NFKC normaliser.
///
/// ICU here is the copy inside the Swift toolchain (`_FoundationICU`, entry points renamed with a
/// `swift_` prefix). That module is underscored, not a stable API; this type is the whole surface
/// to rewrite against the system ICU (`libicu-dev`, unprefixed names) if it changes.
///
/// Not thread-safe: one breaker per thread. Buffers grow to the longest line seen and are reused,
/// so segmenting a line allocates nothing once they have grown.
final class ICUWordBreaker {
    private let iterator: OpaquePointer
    private let normalizer: OpaquePointer?
    private var utf16: UnsafeMutablePointer<UInt16>
    private var utf16Capacity: Int
    private var normalized: UnsafeMutablePointer<UInt16>
    private var normalizedCapacity: Int

    /// - Parameter nfkc: normalise each line to NFKC first (full-width letters and digits become
    ///   ASCII, compatibility ideographs their unified forms).
    /// - Throws: `Word2VecError.invalidConfiguration` naming `TextSegmenter.tokenizer` if ICU cannot open its iterator.
    init(nfkc: Bool) throws {
        var status = U_ZERO_ERROR
        // "zh": the dictionary engine covers Han and kana whatever the locale; the locale only
        // picks tailorings of the rules for other scripts, and zh has none that matter here.
        guard let iterator = swift_ubrk_open(UBRK_WORD, "zh", nil, 0, &status), status.rawValue <= 0 else {
            throw Word2VecError.invalidConfiguration(setting: "TextSegmenter.tokenizer", problem: "ICU word breaking is unavailable (error \(status.rawValue))")
        }
        self.iterator = iterator
        if nfkc {
            status = U_ZERO_ERROR
            let instance = swift_unorm2_getNFKCInstance(&status)
            guard let instance, status.rawValue <= 0 else {
                swift_ubrk_close(iterator)
                throw Word2VecError.invalidConfiguration(setting: "TextSegmenter.nfkc", problem: "ICU normalisation is unavailable (error \(status.rawValue))")
            }
            normalizer = instance
        } else {
            normalizer = nil
        }
        utf16Capacity = 1024
        utf16 = .allocate(capacity: utf16Capacity)
        normalizedCapacity = 1024
        normalized = .allocate(capacity: normalizedCapacity)
    }

    deinit {
        swift_ubrk_close(iterator)
        utf16.deallocate()
        normalized.deallocate()
    }

    /// `line` as UTF-16 (invalid UTF-8 as U+FFFD), in NFKC when normalising; `nil` if ICU fails.
    /// The text lives in this breaker's buffers until the next call.
    private func utf16Text(of line: UnsafeRawBufferPointer) -> (UnsafePointer<UInt16>, Int32)? {
        // UTF-16 never takes more code units than the UTF-8 bytes.
        if line.count > utf16Capacity {
            utf16.deallocate()
            utf16Capacity = max(line.count, utf16Capacity * 2)
            utf16 = .allocate(capacity: utf16Capacity)
        }
        var status = U_ZERO_ERROR
        var length: Int32 = 0
        line.withMemoryRebound(to: CChar.self) { bytes in
            _ = swift_u_strFromUTF8WithSub(
                utf16, Int32(utf16Capacity), &length, bytes.baseAddress, Int32(bytes.count), 0xFFFD, nil, &status)
        }
        guard status.rawValue <= 0 else { return nil }
        let text = UnsafePointer(utf16)
        guard let normalizer else { return (text, length) }
        status = U_ZERO_ERROR
        let span = swift_unorm2_spanQuickCheckYes(normalizer, text, length, &status)
        guard status.rawValue <= 0 && span < length else { return (text, length) }
        // Compatibility decompositions can lengthen the text (up to 18 code units for one).
        var got: Int32 = 0
        while true {
            status = U_ZERO_ERROR
            got = swift_unorm2_normalize(normalizer, text, length, normalized, Int32(normalizedCapacity), &status)
            if status != U_BUFFER_OVERFLOW_ERROR { break }
            normalized.deallocate()
            normalizedCapacity = max(Int(got), normalizedCapacity * 2)
            normalized = .allocate(capacity: normalizedCapacity)
        }
        return status.rawValue <= 0 ? (UnsafePointer(normalized), got) : (text, length)
    }

    /// Appends the words of `line` (UTF-8 without its newline; invalid sequences count as U+FFFD,
    /// which is no word) to `output`, each preceded by a space unless it is the first word written
    /// since `output` was last at a line start. Punctuation, symbols and whitespace are dropped.
    /// Returns the number of words appended.
    ///
    /// With `markingGaps`, two words that were not adjacent in the text (something dropped between
    /// them) are separated by two spaces instead of one, for `PieceMerger`.
    ///
    /// `line` must be shorter than 2^30 bytes (ICU indexes text with 32-bit integers).
    @discardableResult
    func appendWords(of line: UnsafeRawBufferPointer, to output: inout [UInt8], first: Bool, markingGaps: Bool = false) -> Int {
        guard line.count > 0, let (text, length) = utf16Text(of: line) else { return 0 }
        var status = U_ZERO_ERROR
        swift_ubrk_setText(iterator, text, length, &status)
        guard status.rawValue <= 0 else { return 0 }
        var words = 0
        var start = swift_ubrk_first(iterator)
        var lastEnd = start
        while true {
            let end = swift_ubrk_next(iterator)
            if end == UBRK_DONE { break }
            // Rule statuses below UBRK_WORD_NONE_LIMIT mark spaces, punctuation and symbols; above
            // are numbers, letters, kana and ideographs.
            if swift_ubrk_getRuleStatus(iterator) >= UBRK_WORD_NONE_LIMIT.rawValue {
                if words > 0 || !first { output.append(0x20) }
                if markingGaps && words > 0 && start != lastEnd { output.append(0x20) }
                lastEnd = end
                Self.appendUTF8(text + Int(start), count: Int(end - start), to: &output)
                words += 1
            }
            start = end
        }
        return words
    }

    /// Encodes UTF-16 as UTF-8 (a lone surrogate becomes U+FFFD).
    private static func appendUTF8(_ units: UnsafePointer<UInt16>, count: Int, to output: inout [UInt8]) {
        var i = 0
        while i < count {
            var scalar = UInt32(units[i])
            i += 1
            if scalar & 0xF800 == 0xD800 {
                if scalar < 0xDC00, i < count, units[i] & 0xFC00 == 0xDC00 {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (UInt32(units[i]) - 0xDC00)
                    i += 1
                } else {
                    scalar = 0xFFFD
                }
            }
            switch scalar {
            case ..<0x80:
                output.append(UInt8(scalar))
            case ..<0x800:
                output.append(UInt8(0xC0 | scalar >> 6))
                output.append(UInt8(0x80 | scalar & 0x3F))
            case ..<0x10000:
                output.append(UInt8(0xE0 | scalar >> 12))
                output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                output.append(UInt8(0x80 | scalar & 0x3F))
            default:
                output.append(UInt8(0xF0 | scalar >> 18))
                output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
                output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                output.append(UInt8(0x80 | scalar & 0x3F))
            }
        }
    }

    /// NFKC of arbitrary UTF-8 (invalid sequences become U+FFFD), appended to `output`.
    func appendNormalized(_ line: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        guard line.count > 0, let (text, length) = utf16Text(of: line) else { return }
        Self.appendUTF8(text, count: Int(length), to: &output)
    }
}
#else
/// Toolchains without `_FoundationICU` (macOS ships ICU as the system's libicucore instead): the
/// ICU tokenizer is refused with a message rather than the build failing.
final class ICUWordBreaker {
    init(nfkc: Bool) throws {
        throw Word2VecError.invalidConfiguration(setting: "TextSegmenter.tokenizer", problem: "icu is not available in this build (no _FoundationICU in the toolchain)")
    }

    func appendWords(of line: UnsafeRawBufferPointer, to output: inout [UInt8], first: Bool, markingGaps: Bool = false) -> Int { 0 }
    func appendNormalized(_ line: UnsafeRawBufferPointer, to output: inout [UInt8]) {}
}
#endif
