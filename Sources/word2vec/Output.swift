#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Word2Vec

/// Terminal output without Foundation, whose full module costs the process about 7 MB of resident
/// memory; the library and the tool use only FoundationEssentials.
enum Output {
    static func standardOutput(_ text: String) { write(text, to: STDOUT_FILENO) }

    /// Writes `text` to standard error, first ending a progress line left open by `progressLine`, so
    /// that an error message never lands at the end of it.
    static func standardError(_ text: String) {
        if progressLineOpen.exchange(false, ordering: .relaxed) { write("\n", to: STDERR_FILENO) }
        write(text, to: STDERR_FILENO)
    }

    /// Rewrites the progress line in place: `text` starts with a carriage return. `open` says it does
    /// not end with a newline, so that the next message must start a line first.
    static func progressLine(_ text: String, open: Bool) {
        write(text, to: STDERR_FILENO)
        progressLineOpen.store(open, ordering: .relaxed)
    }

    private static let progressLineOpen = Atomic<Bool>(false)

    /// Whether standard error is a terminal, where a line can be rewritten in place.
    static let standardErrorIsTerminal = isatty(STDERR_FILENO) == 1

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }  // A closed pipe: nothing more can be shown.
                offset += written
            }
        }
    }

    static func exit(_ status: Int32) -> Never {
        systemExit(status)
    }
}

// At file scope the unqualified names find the C library's functions rather than `Output`'s, on
// Glibc and Darwin alike.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

private func systemExit(_ status: Int32) -> Never {
    exit(status)
}

extension String {
    /// `printf`-style formatting of numbers through the C library.
    init(cFormat format: String, _ arguments: CVarArg...) {
        var buffer = [CChar](repeating: 0, count: 256)
        let length = withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) }
        self = String(decoding: buffer.prefix(Swift.max(0, Swift.min(Int(length), buffer.count - 1))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Default worker count for commands: the number of CPUs available.
var defaultThreadCount: Int { TrainingConfiguration().threads }
