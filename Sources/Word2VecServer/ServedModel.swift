#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization
import Word2Vec
import Word2VecItems
import Word2VecQueries

/// How served models are loaded and searched.
public struct ServingOptions: Sendable {
    /// How `similar` and `recommend` find neighbours (`--index`).
    public var index: IndexChoice = .auto
    /// Candidates kept while searching an index (`--ef`); `nil`: the index's own.
    public var ef: Int?

    public init(index: IndexChoice = .auto, ef: Int? = nil) {
        self.index = index
        self.ef = ef
    }
}

/// What tells one version of a file from another without reading it: an atomic replacement (a
/// rename over the path) changes the inode; a rewrite in place changes the size or the time.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: Int64
    let modifiedNanoseconds: Int64

    /// The identity of the file at `path` now, `nil` when there is none.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        #if canImport(Darwin)
        modified = Int64(status.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int64(status.st_mtimespec.tv_nsec)
        #else
        modified = Int64(status.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(status.st_mtim.tv_nsec)
        #endif
    }
}

/// The versions of the files one generation is read from: the model and the HNSW index beside it
/// (`HNSWIndex.path(forVectorsAt:)`). A new version of either is a reason to reload: a model replaced
/// while its old index stays searches exactly (`--index auto`) or is refused (`--index hnsw`) until
/// the index is rebuilt, and the rebuilt index is then picked up like a new model.
struct ServedFiles: Equatable, Sendable {
    let model: FileIdentity?
    /// Not looked at (`nil`) under `--index exact`, which never reads the index.
    let index: FileIdentity?

    init(path: String, options: ServingOptions) {
        model = FileIdentity(path: path)
        index = options.index == .exact ? nil : FileIdentity(path: HNSWIndex.path(forVectorsAt: path))
    }
}

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
    /// How `similar` and `recommend` search this generation (its HNSW index was loaded with it).
    public let method: SearchMethod
    /// Why this generation searches exactly although an index lies beside its file (`--index auto`,
    /// and the index could not be used: built for other vectors, such as the model this file
    /// replaced, or damaged); `nil` otherwise. The index is checked against the vectors on load
    /// (`HNSWIndex.init(contentsOf:for:)`), so a stale one is never searched.
    public let indexWarning: String?
    /// Document queries, for a paragraph-vector model file.
    public let documents: DocumentQueries?
    /// The user tower of an item model trained with `items train --tower`: `recommend` then ranks
    /// by it, as `items recommend` does.
    public let tower: UserTower?
    /// The files' identities before they were read: a change after that is seen as a new version.
    let identity: ServedFiles

    /// Loads the file at `path` as the query commands do, with its index as `options.index` says.
    /// - Throws: the readers' errors, which name the file; with `--index hnsw`, the index reader's
    ///   (among them an index built for other vectors).
    public init(name: String, path: String, generation: Int, options: ServingOptions = ServingOptions()) throws {
        self.name = name
        self.path = path
        self.generation = generation
        identity = ServedFiles(path: path, options: options)
        if Model.isModelFile(atPath: path) {
            // Queries first: less to verify. Only a model with document vectors needs the output
            // weights (inference), and only it is opened whole.
            let model = try Model(contentsOf: path, for: .queries)
            tower = try model.userTower(source: path)
            if model.documents != nil {
                let whole = try Model(contentsOf: path)
                documents = try DocumentQueries(whole)
                vectors = whole.similarityIndex()
            } else {
                documents = nil
                vectors = model.similarityIndex()
            }
        } else {
            documents = nil
            tower = nil
            vectors = try SimilarityIndex.load(path: path)
        }
        var warning: String?
        method = try options.index.method(for: vectors, path: path, ef: options.ef) { error in
            warning = "word2vec: '\(path)' generation \(generation) searches exactly, its index cannot be used: \(error)"
        }
        indexWarning = warning
    }

    var recommender: ItemRecommender { ItemRecommender(vectors, tower: tower) }
}

/// The models a server answers from, by name, each the current generation of its file.
///
/// Reads take a snapshot under a lock held only for the lookup, so a reload never blocks a query
/// for longer than a dictionary read.
public final class ModelShelf: Sendable {
    private let models: Mutex<[String: ServedModel]>
    /// The identity of each model's files as last seen by a reload, loaded or not: files that
    /// failed to load are not tried (nor logged) again until one of them changes.
    private let seen: Mutex<[String: ServedFiles]>
    private let reloads = DispatchQueue(label: "word2vec-serve.reload")
    /// The names in the order they were given: the first answers requests that name no model.
    public let names: [String]
    public let options: ServingOptions
    /// Failed reloads so far, for `/metrics`.
    private let failures = Atomic<Int>(0)

    /// Loads every file once.
    /// - Parameter log: told each model's `indexWarning`.
    /// - Throws: `Word2VecError.invalidOption` for two files with the same name; the readers' errors.
    public init(paths: [String], options: ServingOptions = ServingOptions(), log: (String) -> Void = { _ in }) throws {
        var loaded: [String: ServedModel] = [:]
        var names: [String] = []
        for path in paths {
            let name = Self.name(of: path)
            if loaded[name] != nil {
                throw Word2VecError.invalidOption("model", "'\(path)' has the same name '\(name)' as an earlier model; rename one")
            }
            let model = try ServedModel(name: name, path: path, generation: 1, options: options)
            if let warning = model.indexWarning { log(warning) }
            loaded[name] = model
            names.append(name)
        }
        models = Mutex(loaded)
        seen = Mutex(loaded.mapValues(\.identity))
        self.names = names
        self.options = options
    }

    /// The current generation of the model called `name`, or of the first model for `nil`.
    public func model(named name: String?) -> ServedModel? {
        let key = name ?? names.first
        return key.flatMap { key in models.withLock { $0[key] } }
    }

    /// The current generation of every model, in the order of `names`.
    public var current: [ServedModel] {
        models.withLock { models in names.compactMap { models[$0] } }
    }

    public var failedReloads: Int { failures.load(ordering: .relaxed) }

    /// Loads a new generation of each model whose file or index changed since they were last seen
    /// (every model when `force`), beside the current one, and swaps it in. A file that fails to load
    /// keeps the current generation and is reported once through `log`, as is a new generation's
    /// `indexWarning`.
    ///
    /// Reloads run one at a time on a thread of their own: reading a model file is blocking work
    /// that must not hold one of the few threads that answer requests.
    /// - Returns: the names reloaded.
    @discardableResult
    public func reload(force: Bool = false, log: @escaping @Sendable (String) -> Void) async -> [String] {
        await withCheckedContinuation { continuation in
            reloads.async {
                continuation.resume(returning: self.reloadNow(force: force, log: log))
            }
        }
    }

    private func reloadNow(force: Bool, log: (String) -> Void) -> [String] {
        var reloaded: [String] = []
        for current in self.current {
            let identity = ServedFiles(path: current.path, options: options)
            let changed = seen.withLock { seen in
                defer { seen[current.name] = identity }
                return seen[current.name] != .some(identity)
            }
            guard force || changed, identity.model != nil || force else { continue }
            do {
                let next = try ServedModel(
                    name: current.name, path: current.path, generation: current.generation + 1, options: options)
                models.withLock { $0[current.name] = next }
                seen.withLock { $0[current.name] = next.identity }
                reloaded.append(current.name)
                if let warning = next.indexWarning { log(warning) }
            } catch {
                failures.add(1, ordering: .relaxed)
                log("word2vec: reloading '\(current.path)' failed, still serving generation \(current.generation): \(error)")
            }
        }
        return reloaded
    }

    /// The name a file is served under: its last path component without the extension.
    static func name(of path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
