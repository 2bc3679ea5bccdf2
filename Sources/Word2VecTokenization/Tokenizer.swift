import Word2Vec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif


/// Rewrites raw text as whitespace-separated words, one output line per input line, so that every
/// reader of whitespace-tokenised text (training, phrases, doc2vec) can take unsegmented Chinese or
/// Japanese.
///
/// ```swift
/// let segmenter = TextSegmenter(tokenizer: .icu)
/// try segmenter.words(in: "我爱北京天安门")      // ["我", "爱", "北京", "天安门"]
/// let corpus = TextFileCorpus(segmenter.source("raw.txt"))  // reads the text's words
/// ```
public struct TextSegmenter: Sendable {
    public var tokenizer: Tokenizer
    /// Normalise to NFKC before splitting: full-width letters and digits become ASCII (`２０２４` ->
    /// `2024`), the ideographic space a space.
    public var nfkc: Bool
    /// Worker threads for files (each segments its own run of lines).
    public var threads: Int
    /// Keep everything before a line's first TAB as it is (the `TAGS` field of a doc2vec line).
    public var keepsTagField: Bool
    /// Lowercase every word (Unicode full case mapping, `Straße` stays, `ΣΟΦΙΑ` -> `σοφια`), after
    /// normalisation and cutting. A word that is not valid UTF-8 has only its ASCII letters lowered.
    public var lowercase: Bool
    /// Lines longer than this many bytes are cut (`longestLine`; smaller in tests).
    package var lineLimit = TextSegmenter.longestLine

    /// - Parameter nfkc: default: on for `.icu` and `.icuMerged`, off for `.whitespace`.
    public init(tokenizer: Tokenizer, nfkc: Bool? = nil, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                keepsTagField: Bool = false, lowercase: Bool = false) {
        self.tokenizer = tokenizer
        self.nfkc = nfkc ?? (tokenizer != .whitespace)
        self.threads = max(1, threads)
        self.keepsTagField = keepsTagField
        self.lowercase = lowercase
    }

    /// True when segmenting leaves the words as the training readers already see them (whitespace
    /// without normalisation or lowercasing), so no rewritten copy is needed.
    public var isIdentity: Bool { tokenizer == .whitespace && !nfkc && !lowercase }

    /// The words of one line of text. With `.icuMerged` the pairs to join are counted on this line
    /// alone, so short texts keep ICU's pieces.
    /// - Throws: `Word2VecError.invalidOption` if ICU is unavailable.
    public func words(in line: String) throws -> [String] {
        let worker = try LineSegmenter(self)
        var output: [UInt8] = []
        var line = line
        line.withUTF8 { worker.segment(lines: UnsafeRawBufferPointer($0), continuesLine: false, into: &output) }
        if tokenizer == .icuMerged {
            let merger = PieceMerger(keepsTagField: keepsTagField)
            var merged: [UInt8] = []
            output.withUnsafeBytes { merger.count($0) }
            merger.learn()
            output.withUnsafeBytes { merger.merge($0, into: &merged) }
            merger.finishMerging(into: &merged)
            output = merged
        }
        return output.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Writes the segmented text of `input` (`-` for standard input; plain or gzip) to `output`,
    /// which is committed only when the whole input is done.
    /// - Throws: `Word2VecError.unreadableFile` naming the input, write errors naming the output.
    public func segment(fileAt input: String, writingTo output: CorpusFileWriter) throws {
        let file = try InputFile.open(input)
        try segment(file) { try output.file.write(UnsafeRawBufferPointer($0)) }
        try output.file.commit()
    }

    /// The text of `path` cut into words by this segmenter, for any reader of text
    /// (`TextFileCorpus`, `DocumentFileCorpus`, `Phrases`, inference): segmented once, when first
    /// read, into an anonymous temporary file (see `TextSource`); messages still name `path`. The
    /// file as it is if `isIdentity`. Nothing else that reads `path` is affected.
    public func source(_ path: String) -> TextSource {
        guard !isIdentity else { return .file(path) }
        return .rewritten(path) { file, append in try segment(file, emit: append) }
    }

    /// Lines per worker in one round, in bytes (a round holds `threads` of these).
    static let pieceBytes = 1 << 20
    /// A line longer than this is cut (at a space if there is one near) rather than held whole.
    static let longestLine = 64 << 20

    /// Segments `file`, handing the text to `emit` in order. `.icuMerged` takes two passes: ICU's
    /// pieces go to an anonymous temporary file while their pairs are counted, then that file is
    /// read back with the learnt pairs joined.
    func segment(_ file: InputFile, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard tokenizer == .icuMerged else { return try segmentLines(file, emit: emit) }
        let merger = PieceMerger(keepsTagField: keepsTagField)
        let pieces = try InputFile.temporary(named: file.name) { spool in
            try segmentLines(file) { text in
                merger.count(text)
                try spool(text)
            }
        }
        merger.learn()
        var chunk = [UInt8](repeating: 0, count: Self.pieceBytes)
        var output: [UInt8] = []
        var offset = 0
        while offset < pieces.size {
            let n = chunk.withUnsafeMutableBytes { pread(pieces.descriptor, $0.baseAddress!, $0.count, off_t(offset)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Word2VecError.unreadableFile(file.name, reason: "reading its segmented copy: \(System.errorMessage)")
            }
            if n == 0 { break }
            offset += n
            output.removeAll(keepingCapacity: true)
            chunk.withUnsafeBytes { merger.merge(UnsafeRawBufferPointer(rebasing: $0[..<n]), into: &output) }
            try output.withUnsafeBytes { try emit($0) }
        }
        output.removeAll(keepingCapacity: true)
        merger.finishMerging(into: &output)
        try output.withUnsafeBytes { try emit($0) }
    }

    /// Segments `file` round by round: each round reads up to `threads` pieces of whole lines,
    /// segments them in parallel and emits their output in order, so memory stays bounded.
    private func segmentLines(_ file: InputFile, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let workers = try (0..<threads).map { _ in try LineSegmenter(self) }
        var buffer: [UInt8] = []
        var offset = 0
        var continuesLine = false
        var lastEmitted: UInt8 = 0x0A
        var lastRead: UInt8 = 0x0A
        var outputs = [[UInt8]](repeating: [], count: threads)
        while true {
            let want = threads * Self.pieceBytes
            let kept = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: want))
            var got = 0
            while got < want && offset < file.size {
                let n = buffer.withUnsafeMutableBytes { pread(file.descriptor, $0.baseAddress! + kept + got, want - got, off_t(offset)) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Word2VecError.unreadableFile(file.name, reason: System.errorMessage)
                }
                if n == 0 { break }
                got += n
                offset += n
            }
            buffer.removeLast(want - got)
            if got > 0 { lastRead = buffer[buffer.count - 1] }
            let atEnd = got < want || offset >= file.size
            if buffer.isEmpty { break }
            var cut: Int
            var endsMidLine = false
            if atEnd {
                cut = buffer.count
            } else if let newline = buffer.lastIndex(of: 0x0A) {
                cut = newline + 1
            } else if buffer.count < lineLimit {
                continue
            } else {
                cut = Self.safeCut(buffer)
                endsMidLine = true
            }
            // Pieces of about equal size, each ending after a newline.
            var bounds = [0]
            for t in 1..<threads {
                var b = max(bounds.last!, cut * t / threads)
                while b < cut && b > 0 && buffer[b - 1] != 0x0A { b += 1 }
                bounds.append(min(b, cut))
            }
            bounds.append(cut)
            let pieces = threads
            buffer.withUnsafeBytes { bytes in
                outputs.withUnsafeMutableBufferPointer { outs in
                    // Each worker touches only its own output and segmenter.
                    let shared = UncheckedBox((bytes, outs, workers, bounds, continuesLine))
                    let run: @Sendable (Int) -> Void = { t in
                        let (bytes, outs, workers, bounds, continuesLine) = shared.value
                        outs[t].removeAll(keepingCapacity: true)
                        let piece = UnsafeRawBufferPointer(rebasing: bytes[bounds[t]..<bounds[t + 1]])
                        workers[t].segment(lines: piece, continuesLine: t == 0 && continuesLine, into: &outs[t])
                    }
                    if cut < Self.pieceBytes || pieces == 1 {
                        for t in 0..<pieces { run(t) }
                    } else {
                        DispatchQueue.concurrentPerform(iterations: pieces, execute: run)
                    }
                }
            }
            for t in 0..<pieces where !outputs[t].isEmpty {
                // A line cut in two rounds: its halves' words need a space between them.
                if lastEmitted != 0x0A && outputs[t][0] != 0x0A && bounds[t] == 0 && continuesLine {
                    try [UInt8(0x20)].withUnsafeBytes { try emit($0) }
                }
                try outputs[t].withUnsafeBytes { try emit($0) }
                lastEmitted = outputs[t].last!
            }
            continuesLine = endsMidLine
            buffer.removeFirst(cut)
            if atEnd && buffer.isEmpty { break }
        }
        // A last line without a newline that gave no word (`!!!`) must still be a line: readers
        // that answer line by line (doc2vec infer) would otherwise give one row too few.
        if lastRead != 0x0A && lastEmitted == 0x0A {
            try [UInt8(0x0A)].withUnsafeBytes { try emit($0) }
        }
    }

    /// Where to cut a line too long to hold: after the last space in its final 64 KiB, else at the
    /// last UTF-8 character boundary that does not separate a character from its combining marks.
    package static func safeCut(_ bytes: [UInt8]) -> Int {
        let floor = max(1, bytes.count - (64 << 10))
        var i = bytes.count
        while i > floor {
            if bytes[i - 1] == 0x20 { return i }
            i -= 1
        }
        func previousStart(_ i: Int) -> Int {
            var i = i - 1
            while i > 1 && bytes[i] & 0xC0 == 0x80 { i -= 1 }
            return i
        }
        i = previousStart(bytes.count)
        // ICU reads marks at the start of a text as no word and drops them: they stay with the
        // character before them (unless the whole window is marks). A last character cut short
        // by the read cannot be told apart, so the cut goes before the complete one ahead of it.
        var back = Self.extendsPreviousCharacter(bytes, at: i) == false ? i : previousStart(i)
        while back > floor && Self.extendsPreviousCharacter(bytes, at: back) != false { back = previousStart(back) }
        return back >= floor && Self.extendsPreviousCharacter(bytes, at: back) == false ? back : i
    }

    /// Whether the character starting at `index` belongs to the one before it: a combining or
    /// spacing mark, a joiner, a variation selector or an emoji modifier; `nil` when the bytes
    /// there are not a whole UTF-8 character.
    private static func extendsPreviousCharacter(_ bytes: [UInt8], at index: Int) -> Bool? {
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return nil }
        let properties = scalar.properties
        return properties.isGraphemeExtend || properties.generalCategory == .spacingMark
            || scalar.value == 0x200D || (0x1F3FB...0x1F3FF).contains(scalar.value)
    }
}

/// A mutable buffer pointer handed to concurrent workers, each of which writes only its own element.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// One thread's segmenter: the ICU breaker (or nothing, for whitespace) and its scratch space.
final class LineSegmenter {
    private let breaker: ICUWordBreaker?
    private let normalizer: ICUWordBreaker?
    private let keepsTagField: Bool
    private let lowercase: Bool
    /// Marks text dropped between words (two spaces), so that `PieceMerger` joins only neighbours.
    private let markingGaps: Bool
    private var scratch: [UInt8] = []

    init(_ configuration: TextSegmenter) throws {
        keepsTagField = configuration.keepsTagField
        lowercase = configuration.lowercase
        markingGaps = configuration.tokenizer == .icuMerged
        switch configuration.tokenizer {
        case .icu, .icuMerged:
            breaker = try ICUWordBreaker(nfkc: configuration.nfkc)
            normalizer = nil
        case .whitespace:
            breaker = nil
            normalizer = configuration.nfkc ? try ICUWordBreaker(nfkc: true) : nil
        }
    }

    /// Segments `text`, lines separated by newlines, appending one output line per input line (a
    /// last line without a newline gets no newline; `segmentLines` ends the file's last line).
    /// `continuesLine`: the text starts in the middle of a line, so no tag field is looked for
    /// before its first newline.
    func segment(lines text: UnsafeRawBufferPointer, continuesLine: Bool, into output: inout [UInt8]) {
        var start = 0
        var midLine = continuesLine
        while start < text.count {
            var end = start
            while end < text.count && text[end] != 0x0A { end += 1 }
            var lineStart = start
            if keepsTagField && !midLine, let tab = text[start..<end].firstIndex(of: 0x09) {
                output.append(contentsOf: text[start...tab])
                lineStart = tab + 1
            }
            let wordsStart = output.count
            segment(line: UnsafeRawBufferPointer(rebasing: text[lineStart..<end]), into: &output)
            if lowercase { Self.lowercaseWords(in: &output, from: wordsStart) }
            if end < text.count { output.append(0x0A) }
            midLine = false
            start = end + 1
        }
    }

    private func segment(line: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        if let breaker {
            breaker.appendWords(of: line, to: &output, first: true, markingGaps: markingGaps)
            return
        }
        if let normalizer {
            scratch.removeAll(keepingCapacity: true)
            normalizer.appendNormalized(line, to: &scratch)
            scratch.withUnsafeBytes { Self.appendSplit($0, to: &output) }
            return
        }
        Self.appendSplit(line, to: &output)
    }

    /// Lowercases the space-separated words in `output[start...]`. ASCII is lowered in place; a word
    /// with other bytes goes through `String.lowercased()` when it is valid UTF-8 (its length may
    /// change: `İ` becomes two scalars), and keeps its non-ASCII bytes as they are otherwise, so
    /// that invalid bytes are never replaced by U+FFFD.
    static func lowercaseWords(in output: inout [UInt8], from start: Int) {
        var ascii = true
        for i in start..<output.count {
            let byte = output[i]
            if byte >= 0x80 { ascii = false } else if byte >= 0x41 && byte <= 0x5A { output[i] = byte | 0x20 }
        }
        guard !ascii else { return }
        let line = Array(output[start...])
        output.removeSubrange(start...)
        for (index, word) in line.split(separator: 0x20, omittingEmptySubsequences: false).enumerated() {
            if index > 0 { output.append(0x20) }
            if word.contains(where: { $0 >= 0x80 }), let text = String(validating: word, as: UTF8.self) {
                output.append(contentsOf: text.lowercased().utf8)
            } else {
                output.append(contentsOf: word)
            }
        }
    }

    /// The whitespace-separated words of `line`, joined by single spaces.
    private static func appendSplit(_ line: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var i = 0
        var first = true
        while i < line.count {
            while i < line.count && TokenReader.isWhitespace(line[i]) { i += 1 }
            let wordStart = i
            while i < line.count && !TokenReader.isWhitespace(line[i]) { i += 1 }
            if i > wordStart {
                if !first { output.append(0x20) }
                output.append(contentsOf: line[wordStart..<i])
                first = false
            }
        }
    }
}
