/// How raw text is cut into words.
public enum Tokenizer: String, Sendable, CaseIterable {
    /// Words are runs of bytes between whitespace (space and ASCII control bytes), as the training
    /// readers split them; the text must already be segmented.
    case whitespace
    /// ICU's word-break iterator with its CJK dictionary: Chinese and Japanese runs become
    /// dictionary words (`我爱北京天安门` -> `我 爱 北京 天安门`), other scripts split at spaces
    /// and punctuation (Latin words inside Chinese stay whole). Punctuation, symbols and whitespace
    /// are dropped.
    case icu
    /// `icu`, then adjacent pieces that the text itself shows belong together are joined: a piece
    /// followed by a single character, when the pair is far more frequent than its parts suggest
    /// (word2phrase's score, see `PieceMerger`). This recovers names, new words and suffixed words
    /// missing from the dictionary, which ICU leaves as a piece and single characters. Needs two passes
    /// over the text (the pairs are counted over all of it first), so the same text always gives
    /// the same words, but a line's words depend on the rest of the text.
    case icuMerged = "icu-merged"
}
