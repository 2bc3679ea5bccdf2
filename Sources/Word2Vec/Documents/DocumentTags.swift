/// The distinct tags of a document collection, numbered densely in order of first appearance.
///
/// Tag `i` owns row `i` of the document vectors. Several documents may share a tag (their text
/// trains one vector) and a document may carry several tags.
public struct DocumentTags: Sendable {
    var table = ByteStringTable()

    public init() {}

    /// Numbers `tags` in order, a repeated tag keeping its first number.
    /// - Throws: `Word2VecError.invalidOption` for a tag that could not be written to a vector file
    ///   and read back (empty, or holding a space or an ASCII control byte).
    public init(_ tags: [String]) throws {
        for tag in tags { _ = try insert(tag) }
    }

    /// The number of distinct tags.
    public var count: Int { table.count }

    /// The tag numbered `index` (`0..<count`).
    public subscript(index: Int) -> String {
        String(decoding: table.key(index), as: UTF8.self)
    }

    /// All tags, in index order.
    public var all: [String] { (0..<count).map { self[$0] } }

    /// The number of `tag`, or `nil` if absent. Expected O(length of tag).
    public func index(of tag: String) -> Int? {
        var tag = tag
        return tag.withUTF8 { table.id(of: $0) }
    }

    func index(ofBytes bytes: UnsafeBufferPointer<UInt8>) -> Int? { table.id(of: bytes) }

    /// The number of `tag`, adding it if new.
    @discardableResult
    mutating func insert(_ tag: String) throws -> Int {
        if let problem = WordSpelling.problem(tag) {
            throw Word2VecError.invalidOption("tag \(WordSpelling.quoted(tag))", problem)
        }
        var tag = tag
        return tag.withUTF8 { table.insert($0).id }
    }

    mutating func insert(bytes: UnsafeBufferPointer<UInt8>) -> Int { table.insert(bytes).id }
}
