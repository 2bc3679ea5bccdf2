/// One setting of `TrainingConfiguration` as the world outside the struct spells it: its line in the
/// model file, the range `validate()` accepts, and the flag of the command line with other tools'
/// names for it. The list of them is `TrainingConfiguration.settings`; the model file's
/// configuration section, the command-line options, their error messages and the translation of the
/// C tool's, fastText's and gensim's names all read it, so a setting is declared once.
///
/// The default is the property's initial value in `TrainingConfiguration` (where its doc comment
/// says why), read back as `TrainingConfiguration()`'s.
package struct TrainingSetting: Sendable {
    /// The setting as errors name it after `TrainingConfiguration.`: `dimension`, `loss.negatives`.
    package let name: String
    /// Its key in the model file's configuration section. Fixed once released: files written with
    /// it must keep loading.
    package let key: String
    /// The command-line flag that sets it (`--dim`), which errors name in place of the setting;
    /// `nil` when no flag does.
    package let flag: String?
    /// Other tools' names that the command line rewrites to `flag`.
    package let spellings: Spellings
    /// What the model file's error calls a value it cannot read ("unknown architecture 'x'"); `nil`:
    /// the error quotes the line.
    package let unknownValueName: String?
    private let encode: @Sendable (TrainingConfiguration) -> String?
    private let decode: @Sendable (String, inout StoredConfiguration) -> Bool
    private let check: @Sendable (TrainingConfiguration) -> String?

    /// Another tool's names for a flag, each rewritten to the flag before parsing.
    package struct Spellings: Sendable {
        /// The original C tool's single-dash name (`-size`).
        package var cTool: String?
        /// fastText's single-dash name (`-dim`).
        package var fastText: String?
        /// gensim's parameter names as flags (`--vector-size`), after `_` became `-`.
        package var gensim: [String]

        package init(cTool: String? = nil, fastText: String? = nil, gensim: [String] = []) {
            self.cTool = cTool
            self.fastText = fastText
            self.gensim = gensim
        }
    }

    /// A setting stored in a property of its own.
    /// - Parameters:
    ///   - omittedWhenDefault: leave the model file without a line while the value is the default,
    ///     so that models not using the setting are byte-identical to those of builds that predate
    ///     it, and such builds refuse a model that uses it (unknown key) rather than misread it.
    ///   - unknown: what an unreadable value is called in the model file's error (`architecture`:
    ///     "unknown architecture 'x'"); without it the error quotes the line.
    package init<Value: SettingValue>(
        _ property: WritableKeyPath<TrainingConfiguration, Value> & Sendable, name: String, key: String? = nil,
        flag: String?, spellings: Spellings = Spellings(), bounds: Bounds<Value> = .any,
        omittedWhenDefault: Bool = false, unknown: String? = nil
    ) {
        let defaultValue = TrainingConfiguration()[keyPath: property]
        self.init(
            name: name, key: key ?? name, flag: flag, spellings: spellings, unknown: unknown,
            encode: { configuration in
                let value = configuration[keyPath: property]
                return omittedWhenDefault && value == defaultValue ? nil : value.settingText
            },
            decode: { text, stored in
                guard let value = Value(settingText: text) else { return false }
                stored.configuration[keyPath: property] = value
                return true
            },
            check: { bounds.problem($0[keyPath: property]) })
    }

    /// An optional setting: a line in the model file only when it is set.
    package init<Value: SettingValue>(
        _ property: WritableKeyPath<TrainingConfiguration, Value?> & Sendable, name: String, key: String? = nil,
        flag: String?, spellings: Spellings = Spellings(), bounds: Bounds<Value> = .any, unknown: String? = nil
    ) {
        self.init(
            name: name, key: key ?? name, flag: flag, spellings: spellings, unknown: unknown,
            encode: { $0[keyPath: property]?.settingText },
            decode: { text, stored in
                guard let value = Value(settingText: text) else { return false }
                stored.configuration[keyPath: property] = value
                return true
            },
            check: { configuration in configuration[keyPath: property].flatMap { bounds.problem($0) } })
    }

    /// A part of a setting that the model file keeps under a key of its own (the loss's three keys),
    /// read into `StoredConfiguration` and combined once every line is read.
    package init<Value: SettingValue>(
        part name: String, key: String, flag: String?, spellings: Spellings = Spellings(),
        omittedWhenDefault: Bool = false,
        get: @escaping @Sendable (TrainingConfiguration) -> Value,
        read: WritableKeyPath<StoredConfiguration, Value> & Sendable,
        check: @escaping @Sendable (TrainingConfiguration) -> String? = { _ in nil }
    ) {
        let defaultValue = get(TrainingConfiguration())
        self.init(
            name: name, key: key, flag: flag, spellings: spellings, unknown: nil,
            encode: { configuration in
                let value = get(configuration)
                return omittedWhenDefault && value == defaultValue ? nil : value.settingText
            },
            decode: { text, stored in
                guard let value = Value(settingText: text) else { return false }
                stored[keyPath: read] = value
                return true
            },
            check: check)
    }

    private init(
        name: String, key: String, flag: String?, spellings: Spellings, unknown: String?,
        encode: @escaping @Sendable (TrainingConfiguration) -> String?,
        decode: @escaping @Sendable (String, inout StoredConfiguration) -> Bool,
        check: @escaping @Sendable (TrainingConfiguration) -> String?
    ) {
        self.name = name
        self.key = key
        self.flag = flag
        self.spellings = spellings
        self.unknownValueName = unknown
        self.encode = encode
        self.decode = decode
        self.check = check
    }

    /// The value's text in the model file (`key=text`), or `nil` when the file has no line for it.
    package func modelFileText(of configuration: TrainingConfiguration) -> String? { encode(configuration) }

    /// Reads the value's text from the model file into `stored`; `false` if it is not a value of the
    /// setting.
    package func read(_ text: String, into stored: inout StoredConfiguration) -> Bool { decode(text, &stored) }

    /// Why the value in `configuration` is out of bounds ("must be positive (got 0)"), or `nil`.
    package func problem(in configuration: TrainingConfiguration) -> String? { check(configuration) }
}

/// A configuration as the model file's lines are read into it: the loss is three keys there (the
/// original tool's `negative` and `hierarchicalSoftmax`, and `softmax`), combined into one
/// `TrainingConfiguration.Loss` when every line is read, and so are the subwords (fastText's
/// `minn`, `maxn` and `bucket`, into one `CharacterNGrams`).
package struct StoredConfiguration {
    package var configuration = TrainingConfiguration()
    package var negatives = 5
    package var hierarchicalSoftmax = false
    package var softmax = false
    /// `subwords`' three keys (fastText's `minn`, `maxn`, `bucket`); all 0 without subwords.
    package var subwordMinLength = 0
    package var subwordMaxLength = 0
    package var subwordBuckets = 0

    package init() {}
}

/// A value a setting can hold: written to and read from the model file as text.
package protocol SettingValue: Sendable, Equatable {
    /// The value as the model file writes it.
    var settingText: String { get }
    /// The value that `text` writes, or `nil`.
    init?(settingText text: String)
}

extension SettingValue where Self: LosslessStringConvertible {
    package var settingText: String { description }
    package init?(settingText text: String) { self.init(text) }
}

extension SettingValue where Self: RawRepresentable, RawValue == String {
    package var settingText: String { rawValue }
    package init?(settingText text: String) { self.init(rawValue: text) }
}

extension Int: SettingValue {}
extension UInt64: SettingValue {}
extension Double: SettingValue {}
extension Float: SettingValue {}
extension Bool: SettingValue {}
extension TrainingConfiguration.Architecture: SettingValue {}
extension DocumentMode: SettingValue {}
extension Tokenizer: SettingValue {}

/// The values a setting accepts, and how `validate()` says a value is outside them. Messages end
/// with the value given (`must be positive (got 0)`) and name bounds as people write them (`10`,
/// not `10.0`).
package struct Bounds<Value>: Sendable {
    /// Why `value` is out of bounds, or `nil`.
    package let problem: @Sendable (Value) -> String?

    package init(_ problem: @escaping @Sendable (Value) -> String?) { self.problem = problem }

    /// Every value.
    package static var any: Bounds { Bounds { _ in nil } }

    /// `self`'s problem, else `other`'s.
    package func and(_ other: Bounds) -> Bounds {
        Bounds { value in problem(value) ?? other.problem(value) }
    }
}

extension Bounds where Value: BinaryInteger & Sendable {
    /// Above 0, and at most `limit` if given.
    package static func positive(atMost limit: Value? = nil) -> Bounds {
        Bounds { value in
            if value <= 0 { return "must be positive (got \(value))" }
            if let limit, value > limit { return "must be at most \(limit) (got \(value))" }
            return nil
        }
    }

    /// At least `minimum`.
    package static func atLeast(_ minimum: Value) -> Bounds {
        Bounds { value in value < minimum ? "must be at least \(minimum) (got \(value))" : nil }
    }
}

extension Bounds where Value: BinaryFloatingPoint & Sendable {
    /// Above 0 and finite, and at most `limit`; `reason` follows the limit in the message.
    package static func positive(atMost limit: Value, _ reason: String = "") -> Bounds {
        Bounds { value in
            if !(value > 0 && value.isFinite) { return "must be positive (got \(value))" }
            if value > limit { return "must be at most \(shown(limit))\(reason) (got \(value))" }
            return nil
        }
    }

    /// At least 0 and finite, and at most `limit` if given.
    package static func nonNegative(atMost limit: Value? = nil) -> Bounds {
        Bounds { value in
            if !(value >= 0 && value.isFinite) { return "must be a non-negative number (got \(value))" }
            if let limit, value > limit { return "must be at most \(shown(limit)) (got \(value))" }
            return nil
        }
    }

    /// Finite and within `range`.
    package static func finite(within range: ClosedRange<Value>) -> Bounds {
        Bounds { value in
            if !value.isFinite { return "must be a finite number" }
            return between(range).problem(value)
        }
    }

    /// Within `range` (NaN is not).
    package static func between(_ range: ClosedRange<Value>) -> Bounds {
        Bounds { value in
            range.contains(value) ? nil
                : "must be between \(shown(range.lowerBound)) and \(shown(range.upperBound)) (got \(value))"
        }
    }

    /// A bound as people write it: whole numbers without `.0`.
    private static func shown(_ bound: Value) -> String {
        bound == bound.rounded() && abs(bound) < 1e15 ? "\(Int64(bound))" : "\(bound)"
    }
}
