/// How the line-oriented readers cut text into lines (interaction logs, histories, item sequences,
/// word groups, and `ReadableFile.forEachLine`, which applies the same rules to text as it arrives).
package enum TextLines {
    /// UTF-8's byte-order mark, which some editors write at the start of a file.
    package static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Calls `body` with each line's number (from 1) and bytes, without its LF or a CR before it.
    /// A leading UTF-8 byte-order mark is skipped, which would otherwise become part of the first
    /// field. Text after the last LF is a line; nothing after it is not.
    package static func forEach(
        in bytes: UnsafeBufferPointer<UInt8>, _ body: (_ number: Int, _ line: UnsafeBufferPointer<UInt8>) throws -> Void
    ) rethrows {
        var start = bytes.starts(with: byteOrderMark) ? byteOrderMark.count : 0
        var number = 0
        while start < bytes.count {
            number += 1
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            try body(number, UnsafeBufferPointer(rebasing: bytes[start..<end]))
            start = next
        }
    }
}
