/// The rule every word in a vector or vocabulary file must follow, on reading and on writing.
///
/// A word is a non-empty byte string without ASCII control bytes (0x00-0x1F, 0x7F) and without a
/// space. The file formats separate words from values with spaces, tabs and newlines, so such a word
/// could be written but not read back; the other control bytes would reach the terminal raw when the
/// word is printed (an escape sequence in a file must not be able to drive the user's terminal).
package enum WordSpelling {
    /// Why `bytes` cannot be a word, or `nil` if it can. O(length), no allocation when valid.
    package static func problem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.isEmpty else { return "is empty" }
        for byte in bytes where byte <= 0x20 || byte == 0x7F {
            return byte == 0x20 ? "contains a space" : "contains the control byte \(hex(byte))"
        }
        return nil
    }

    package static func problem(_ word: String) -> String? {
        var word = word
        return word.withUTF8 { problem($0) }
    }

    /// `word` for an error message: control bytes shown as `\xNN` so that the message stays on one
    /// line and cannot drive the terminal, and cut after 40 characters.
    package static func quoted(_ word: String) -> String {
        var shown = ""
        for (i, scalar) in word.unicodeScalars.enumerated() {
            if i == 40 { return "'" + shown + "...'" }
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                shown += scalar.value < 0x100 ? hex(UInt8(scalar.value)) : "?"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return "'" + shown + "'"
    }

    /// A file name for an error message: control characters shown as words show them, so that a
    /// name holding a newline cannot split the message; not shortened (the whole path matters).
    package static func shownPath(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: isControl) else { return path }
        var shown = ""
        for scalar in path.unicodeScalars {
            if isControl(scalar) {
                shown += scalar.value < 0x100 ? hex(UInt8(scalar.value)) : "?"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }
}
