#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Word2Vec

/// Terminal output without Foundation, whose full module costs the process about 7 MB of resident
/// memory; the library and the tool use only FoundationEssentials.
enum Output {
    static func standardOutput(_ text: String) { write(text, to: STDOUT_FILENO) }

    static func standardError(_ text: String) { write(text, to: STDERR_FILENO) }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }  // A closed pipe: nothing more can be shown.
                offset += written
            }
        }
    }

    static func exit(_ status: Int32) -> Never {
        Glibc.exit(status)
    }
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
