/// Accuracy of word vectors on an analogy test set.
public struct AnalogyEvaluation: Sendable, Equatable {
    /// Counts for one section, or for a group of sections.
    public struct Score: Sendable, Equatable {
        public var name: String
        public var correct: Int
        public var incorrect: Int
        /// Questions not asked because a word is outside the evaluated vocabulary.
        public var skipped: Int

        public init(name: String, correct: Int = 0, incorrect: Int = 0, skipped: Int = 0) {
            self.name = name
            self.correct = correct
            self.incorrect = incorrect
            self.skipped = skipped
        }

        /// Questions asked.
        public var answered: Int { correct + incorrect }
        /// `correct / answered`, 0 when nothing was asked (as gensim).
        public var accuracy: Double { answered > 0 ? Double(correct) / Double(answered) : 0 }

        mutating func add(_ other: Score) {
            correct += other.correct
            incorrect += other.incorrect
            skipped += other.skipped
        }
    }

    /// One score per section of the test set, in file order.
    public var sections: [Score]
    /// Sections whose name does not start with `gram`.
    public var semantic: Score
    /// Sections whose name starts with `gram`.
    public var syntactic: Score
    /// All sections (gensim's "Total accuracy").
    public var total: Score
    /// Well-formed questions in the file, asked or skipped.
    public var questions: Int { total.answered + total.skipped }
    /// Share of `questions` skipped for out-of-vocabulary words, 0...1.
    public var outOfVocabularyRatio: Double { questions > 0 ? Double(total.skipped) / Double(questions) : 0 }
    /// The number of leading rows that took part.
    public var restrictTo: Int
    public var method: AnalogyMethod
}

extension SimilarityIndex {
    /// Answers every question of `questions` and counts the correct answers, with the semantics of
    /// gensim's `evaluate_word_analogies(restrict_vocab=restrictTo, case_insensitive=...)` (and, for
    /// `.add`, the same counts on the same vectors):
    ///
    /// - Only the first `restrictTo` rows take part. Words are compared upper-cased unless
    ///   `caseInsensitive` is false, each standing for the first row with that spelling.
    /// - A question with a word outside those rows is skipped (counted in `skipped`).
    /// - Otherwise the five best candidates for `b - a + c` (3CosAdd) or by 3CosMul are found among
    ///   the rows, leaving out the rows of `a`, `b`, `c`. The answer is the first candidate whose key is
    ///   none of theirs (so another case variant of a query word is passed over), else the fifth
    ///   candidate. It is correct if its key is the expected word's.
    ///
    /// (gensim's own evaluation always uses 3CosAdd; `.mul` applies 3CosMul under the same rules.)
    ///
    /// - Complexity: O(questions * restrictTo * dimension / 16) vector multiply-adds, on all cores.
    public func evaluateAnalogies(
        _ questions: AnalogyQuestions, restrictTo: Int = 300_000, method: AnalogyMethod = .add,
        caseInsensitive: Bool = true
    ) -> AnalogyEvaluation {
        let vocabulary = EvaluationVocabulary(words: words, restrictTo: restrictTo, caseInsensitive: caseInsensitive)
        struct Asked { var section: Int; var keys: (a: Int, b: Int, c: Int, expected: Int) }
        var asked: [Asked] = []
        var queries: [Query] = []
        var sections = questions.sections.map { AnalogyEvaluation.Score(name: $0.name) }
        for (s, section) in questions.sections.enumerated() {
            for question in section.questions {
                guard let a = vocabulary.key(of: question.a), let b = vocabulary.key(of: question.b),
                      let c = vocabulary.key(of: question.c), let expected = vocabulary.key(of: question.expected)
                else {
                    sections[s].skipped += 1
                    continue
                }
                asked.append(Asked(section: s, keys: (a, b, c, expected)))
                let rows = vocabulary.firstRow
                queries.append(Query(positive: [rows[b], rows[c]], negative: [rows[a]], method: method))
            }
        }
        // gensim asks for five candidates and walks them; the checks in `mostSimilar` cannot fail
        // for rows taken from the vocabulary.
        let found = (try? mostSimilar(queries, top: 5, restrictTo: vocabulary.rows)) ?? []
        for (question, candidates) in zip(asked, found) {
            var predicted: Int?
            for candidate in candidates {
                predicted = vocabulary.keyOfRow[candidate.index]
                if predicted != question.keys.a && predicted != question.keys.b && predicted != question.keys.c { break }
            }
            if predicted == question.keys.expected {
                sections[question.section].correct += 1
            } else {
                sections[question.section].incorrect += 1
            }
        }
        var semantic = AnalogyEvaluation.Score(name: "semantic")
        var syntactic = AnalogyEvaluation.Score(name: "syntactic")
        var total = AnalogyEvaluation.Score(name: "total")
        for (score, section) in zip(sections, questions.sections) {
            if section.isSyntactic { syntactic.add(score) } else { semantic.add(score) }
            total.add(score)
        }
        return AnalogyEvaluation(
            sections: sections, semantic: semantic, syntactic: syntactic, total: total,
            restrictTo: vocabulary.rows, method: method)
    }
}
