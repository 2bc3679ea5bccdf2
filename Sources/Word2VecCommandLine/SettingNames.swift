import ArgumentParser
import Word2Vec

extension NameSpecification {
    /// The flag a training setting declares (`--dim` for `TrainingSetting.dimension`), so that the
    /// option, the errors that name it and other tools' spellings of it cannot disagree.
    package static func setting(_ setting: TrainingSetting) -> NameSpecification {
        guard let flag = setting.flag, flag.hasPrefix("--"), !flag.contains(" ") else {
            preconditionFailure("\(setting.name) declares no flag of its own")
        }
        return .customLong(String(flag.dropFirst(2)))
    }
}
