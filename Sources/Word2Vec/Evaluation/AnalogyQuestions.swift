/// An analogy test set in the layout of the original tool's `questions-words.txt`: sections started
/// by `: name` lines, each followed by questions `a b c d` meaning "a is to b as c is to d".
public struct AnalogyQuestions: Sendable {
    public struct Question: Sendable, Equatable {
        public var a: String
        public var b: String
        public var c: String
        /// The expected answer, `d`.
        public var expected: String
        /// Line in the file (1-based), 0 for questions not read from a file.
        public var line: Int

        public init(_ a: String, _ b: String, _ c: String, _ expected: String, line: Int = 0) {
            self.a = a
            self.b = b
            self.c = c
            self.expected = expected
            self.line = line
        }
    }

    public struct Section: Sendable, Equatable {
        public var name: String
        public var questions: [Question]

        public init(name: String, questions: [Question]) {
            self.name = name
            self.questions = questions
        }

        /// Whether the section tests syntax rather than meaning. The original test set names its
        /// syntactic sections `gram1-...` to `gram9-...`; every other section counts as semantic. Code
        /// points are compared, as Python's `startswith` does (Swift's `hasPrefix` would refuse
        /// `gram` followed by a combining mark).
        public var isSyntactic: Bool { name.unicodeScalars.starts(with: "gram".unicodeScalars) }
    }

    public var sections: [Section]
    /// Lines that are neither a section header nor four words; skipped, as gensim skips them.
    public var invalidLines: [Int]

    public init(sections: [Section], invalidLines: [Int] = []) {
        self.sections = sections
        self.invalidLines = invalidLines
    }

    /// Reads a test set the way gensim's `evaluate_word_analogies` does: a line starting with `": "`
    /// opens a section named by the rest of the line; any other line must split on whitespace into
    /// exactly four words or it is skipped (and listed in `invalidLines`).
    ///
    /// - Throws: `Word2VecError.malformedFile` for a line before the first section header (gensim
    ///   raises too) or a line that is not UTF-8; `.unreadableFile`.
    public static func read(from path: String) throws -> AnalogyQuestions {
        var sections: [Section] = []
        var invalid: [Int] = []
        for (number, line) in try PythonText.lines(ofFile: path, universalNewlines: false) {
            if line.unicodeScalars.starts(with: ": ".unicodeScalars) {
                // Python: line.lstrip(': ').strip()
                let name = PythonText.strip(String(line.unicodeScalars.drop { $0 == ":" || $0 == " " }))
                sections.append(Section(name: name, questions: []))
                continue
            }
            guard !sections.isEmpty else {
                throw Word2VecError.malformedFile(path, line: number, "expected a section header ': name' before the first question")
            }
            let words = PythonText.split(line)
            guard words.count == 4 else {
                invalid.append(number)
                continue
            }
            sections[sections.count - 1].questions.append(Question(words[0], words[1], words[2], words[3], line: number))
        }
        return AnalogyQuestions(sections: sections, invalidLines: invalid)
    }
}
