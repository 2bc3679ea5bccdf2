/// The model file's configuration section (`CONF`): one `key=value` line per setting, in the order
/// of `TrainingConfiguration.settings`, written and read as each setting declares (`TrainingSetting`).
///
/// Lines are UTF-8 text ending in `\n`. A setting omitted while at its default has no line, and a
/// missing line reads as the default, so that files of earlier builds keep their meaning. An
/// unknown key is refused: it is a setting of a later build that this one would ignore.
package enum ConfigurationSection {
    /// Why a section cannot be read, as one line.
    package struct Problem: Error, Equatable {
        package let message: String
    }

    /// The section's bytes for `configuration`.
    package static func encode(_ configuration: TrainingConfiguration) -> [UInt8] {
        let lines = TrainingConfiguration.settings.compactMap { setting in
            setting.modelFileText(of: configuration).map { "\(setting.key)=\($0)" }
        }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// The configuration `section` holds, validated.
    /// - Throws: `Problem` naming the first bad line (no `=`, a key twice, an unknown key, a value
    ///   the setting cannot hold), a loss that is not one, or the setting `validate()` refuses.
    package static func decode(_ section: UnsafeRawBufferPointer) throws(Problem) -> TrainingConfiguration {
        func fail(_ message: String) -> Problem { Problem(message: message) }
        var stored = StoredConfiguration()
        var seen = Set<String>()
        for line in section.split(separator: 0x0A) {
            let text = String(decoding: line, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { throw fail("configuration line '\(shown(text))' has no '='") }
            let key = String(text[..<equals])
            let value = String(text[text.index(after: equals)...])
            guard seen.insert(key).inserted else { throw fail("configuration key '\(shown(key))' appears twice") }
            guard let setting = settingsByKey[key] else { throw fail("unknown configuration key '\(shown(key))'") }
            guard setting.read(value, into: &stored) else {
                if let what = setting.unknownValueName { throw fail("unknown \(what) '\(shown(value))'") }
                throw fail("configuration value '\(shown(key + "=" + value))' is invalid")
            }
        }
        var configuration = stored.configuration
        guard stored.negatives >= 0 else {
            throw fail("invalid configuration: negative must not be negative (got \(stored.negatives))")
        }
        if stored.softmax {
            guard stored.negatives == 0, !stored.hierarchicalSoftmax else {
                throw fail("invalid configuration: softmax is the only objective, but negative or hierarchicalSoftmax is set too")
            }
            configuration.loss = .softmax
        } else {
            guard let loss = TrainingConfiguration.Loss(
                hierarchicalSoftmax: stored.hierarchicalSoftmax, negatives: stored.negatives) else {
                throw fail("invalid configuration: no objective (negative is 0 and hierarchicalSoftmax is false)")
            }
            configuration.loss = loss
        }
        if stored.subwordMinLength != 0 || stored.subwordMaxLength != 0 || stored.subwordBuckets != 0 {
            configuration.subwords = CharacterNGrams(
                minLength: stored.subwordMinLength, maxLength: stored.subwordMaxLength, buckets: stored.subwordBuckets)
        }
        do {
            try configuration.validate()
        } catch {
            throw fail("invalid configuration: \(error)")
        }
        return configuration
    }

    private static let settingsByKey = Dictionary(uniqueKeysWithValues: TrainingConfiguration.settings.map { ($0.key, $0) })

    /// Up to 40 characters of damaged text for a one-line message: control characters become `?`.
    static func shown(_ text: String) -> String {
        String(text.unicodeScalars.prefix(40).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }
}
