/// The few text rules of Python 3 that gensim's evaluation functions rely on, reproduced so that the
/// same file is read the same way: what `str.split()` and `str.strip()` treat as whitespace, what
/// `float()` accepts, and how files are cut into lines in binary and text mode.
enum PythonText {
    /// `str.isspace()`: Unicode bidirectional classes WS, B, S and general category Zs.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    /// `str.split()` without arguments: fields separated by runs of whitespace.
    static func split(_ text: String) -> [String] {
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isWhitespace(scalar) {
                if !field.isEmpty { fields.append(String(field)); field = String.UnicodeScalarView() }
            } else {
                field.append(scalar)
            }
        }
        if !field.isEmpty { fields.append(String(field)) }
        return fields
    }

    /// `str.split(separator)` for a one-character separator: all fields, empty ones included.
    static func split(_ text: String, on separator: Unicode.Scalar) -> [String] {
        text.unicodeScalars.split(separator: separator, omittingEmptySubsequences: false).map { String($0) }
    }

    /// `str.strip()` without arguments.
    static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }),
              let last = scalars.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// `float(text)`: surrounding whitespace, a sign, digits with single underscores between them,
    /// a decimal point, an exponent, or `inf`, `infinity`, `nan` in any case. `nil` where Python
    /// raises `ValueError`. (Python also accepts non-ASCII decimal digits; those are rejected here.)
    static func float(_ text: String) -> Double? {
        let scalars = Array(strip(text).unicodeScalars)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for (i, scalar) in scalars.enumerated() {
            guard scalar.isASCII else { return nil }
            if scalar == "_" {
                guard i > 0, i + 1 < scalars.count,
                      ("0"..."9").contains(scalars[i - 1]), ("0"..."9").contains(scalars[i + 1])
                else { return nil }
                continue
            }
            bytes.append(UInt8(scalar.value))
        }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return DecimalParser.parse(base, from: 0, to: buffer.count)
        }
    }

    /// The file's lines, decoded as strict UTF-8.
    ///
    /// - Parameter universalNewlines: `true` for Python's text mode (`\n`, `\r\n` and `\r` end a line
    ///   and read as `\n`), `false` for binary mode (only `\n` ends a line; a `\r` stays in it).
    /// - Returns: (1-based line number, line including its final `\n` if it has one).
    /// - Throws: `Word2VecError.unreadableFile`, or `.malformedFile` for a line that is not UTF-8.
    static func lines(ofFile path: String, universalNewlines: Bool) throws -> [(number: Int, text: String)] {
        var lines: [(number: Int, text: String)] = []
        // Python's own line rules (a lone CR ends a line in text mode), not `TextLines`'.
        try ReadableFile.withBytes(of: path) { bytes in
            var start = 0
            var i = 0
            func emit(_ end: Int, terminated: Bool) throws {
                let content = UnsafeBufferPointer(rebasing: bytes[start..<end])
                guard UTF8Validation.isValid(content) else {
                    throw Word2VecError.malformedFile(path, line: lines.count + 1, "not valid UTF-8")
                }
                lines.append((lines.count + 1, String(decoding: content, as: UTF8.self) + (terminated ? "\n" : "")))
            }
            while i < bytes.count {
                let byte = bytes[i]
                if byte == 0x0A {
                    try emit(i, terminated: true)
                    i += 1
                    start = i
                } else if byte == 0x0D && universalNewlines {
                    try emit(i, terminated: true)
                    i += (i + 1 < bytes.count && bytes[i + 1] == 0x0A) ? 2 : 1
                    start = i
                } else {
                    i += 1
                }
            }
            if start < bytes.count { try emit(bytes.count, terminated: false) }
        }
        return lines
    }
}
