import Synchronization
import Word2Vec

/// One generation of a served model: the file as it was when loaded, read-only, shared by every
/// request that started while it was current.
///
/// A reload builds a new generation beside this one and swaps it in; requests in flight keep the
/// generation they started with, and its mapping is released when the last of them finishes.
public final class ServedModel: Sendable {
    /// The name requests use to pick this model (`model=`): the file name without its extension.
    public let name: String
    public let path: String
    /// Counts loads of this name from 1, so that clients and `/metrics` can see a reload.
    public let generation: Int
    public let vectors: SimilarityIndex

    /// Loads the file at `path` as the query commands do.
    /// - Throws: the readers' errors, which name the file.
    public init(name: String, path: String, generation: Int) throws {
        self.name = name
        self.path = path
        self.generation = generation
        vectors = try SimilarityIndex.load(path: path)
    }
}

/// The models a server answers from, by name, each the current generation of its file.
///
/// Reads take a snapshot under a lock held only for the lookup, so a reload never blocks a query
/// for longer than a dictionary read.
public final class ModelShelf: Sendable {
    private let models: Mutex<[String: ServedModel]>
    /// The names in the order they were given: the first answers requests that name no model.
    public let names: [String]

    /// Loads every file once.
    /// - Throws: `Word2VecError.invalidOption` for two files with the same name; the readers' errors.
    public init(paths: [String]) throws {
        var loaded: [String: ServedModel] = [:]
        var names: [String] = []
        for path in paths {
            let name = Self.name(of: path)
            if loaded[name] != nil {
                throw Word2VecError.invalidOption("model", "'\(path)' has the same name '\(name)' as an earlier model; rename one")
            }
            loaded[name] = try ServedModel(name: name, path: path, generation: 1)
            names.append(name)
        }
        models = Mutex(loaded)
        self.names = names
    }

    /// The current generation of the model called `name`, or of the first model for `nil`.
    public func model(named name: String?) -> ServedModel? {
        let key = name ?? names.first
        return key.flatMap { key in models.withLock { $0[key] } }
    }

    /// The name a file is served under: its last path component without the extension.
    static func name(of path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
