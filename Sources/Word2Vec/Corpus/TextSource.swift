import Synchronization

/// The text a reader of a file sees: the file as it is (`file(_:)`), or a rewritten copy of it, such
/// as the file cut into words by a tokenizer (`Word2VecTokenization`'s `TextSegmenter.source(_:)`).
///
/// It is handed explicitly to whoever reads the text (`TextFileCorpus`, `DocumentFileCorpus`,
/// `Phrases`, inference, `TextPosition`), so that what one reader sees never depends on what another
/// was told. A rewritten copy is made once, when first read, into an anonymous temporary file (see
/// `InputFile`), and shared by every copy of this value; messages keep naming `path`.
///
/// This is the seam by which tokenization plugs into the core without the core linking ICU.
public struct TextSource: Sendable {
    /// The file's path as given (`-` for standard input), which messages name.
    public let path: String
    private let text: Text

    private init(path: String, text: Text) {
        self.path = path
        self.text = text
    }

    /// The text of `path` as it is (plain or gzip; `-` for standard input).
    public static func file(_ path: String) -> TextSource {
        TextSource(path: path, text: Text(rewrite: nil))
    }

    /// The text of `path` rewritten by `rewrite`, which reads the original and hands the new text,
    /// in order, to its second argument.
    package static func rewritten(
        _ path: String, by rewrite: @escaping @Sendable (InputFile, (UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) -> TextSource {
        TextSource(path: path, text: Text(rewrite: rewrite))
    }

    /// Whether readers see a rewritten copy rather than the file.
    public var isRewritten: Bool { text.rewrite != nil }

    /// Opens the text, rewriting it on the first call.
    /// - Throws: `Word2VecError.unreadableFile` naming `path`.
    package func open() throws -> InputFile {
        try text.open(path)
    }

    /// Fails now if the file cannot be opened, is a directory, or starts with binary data (see
    /// `InputFile.check`). Consumes nothing from standard input or a pipe, and rewrites nothing.
    package func check() throws {
        try InputFile.check(path)
    }

    /// The rewritten copy, made once and shared by the copies of a `TextSource`.
    private final class Text: Sendable {
        let rewrite: (@Sendable (InputFile, (UnsafeRawBufferPointer) throws -> Void) throws -> Void)?
        private let copy = Mutex<InputFile?>(nil)

        init(rewrite: (@Sendable (InputFile, (UnsafeRawBufferPointer) throws -> Void) throws -> Void)?) {
            self.rewrite = rewrite
        }

        func open(_ path: String) throws -> InputFile {
            guard let rewrite else { return try InputFile.open(path) }
            return try copy.withLock { copy in
                if let copy { return copy }
                let original = try InputFile.open(path)
                let made = try InputFile.temporary(named: path) { append in try rewrite(original, append) }
                copy = made
                return made
            }
        }
    }
}
