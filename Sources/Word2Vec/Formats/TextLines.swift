/// The lines of a text held in memory, as the small line-oriented readers see them (interaction
/// logs, histories, item sequences, word groups).
package enum TextLines {
    /// Calls `body` with each line's number (from 1) and bytes, without its LF or a CR before it.
    /// A leading UTF-8 byte-order mark is skipped, which would otherwise become part of the first
    /// field. Text after the last LF is a line; nothing after it is not.
    package static func forEach(
        in bytes: UnsafeBufferPointer<UInt8>, _ body: (_ number: Int, _ line: UnsafeBufferPointer<UInt8>) throws -> Void
    ) rethrows {
        var start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
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
