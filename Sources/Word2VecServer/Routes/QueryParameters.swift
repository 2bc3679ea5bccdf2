import Hummingbird
import HummingbirdCore

/// Reading a GET request's fields, each failure naming the field.
struct QueryParameters {
    private let parameters: FlatDictionary<Substring, Substring>
    private let limits: ServerLimits

    init(_ request: Request, _ limits: ServerLimits) {
        parameters = request.uri.queryParameters
        self.limits = limits
    }

    /// A comma-separated list, at most `limits.maximumBatch` long; absent or empty gives `[]`.
    func list(_ field: String) throws -> [String] {
        guard let value = parameters[field[...]] else { return [] }
        let items = value.split(separator: ",", omittingEmptySubsequences: true).map(String.init)
        guard items.count <= limits.maximumBatch else {
            throw RequestError.badField(field, "has \(items.count) items; at most \(limits.maximumBatch)")
        }
        return items
    }

    /// A list of at least one item.
    func requiredList(_ field: String, example: String) throws -> [String] {
        let items = try list(field)
        if items.isEmpty { throw RequestError.badField(field, "give at least one word (\(field)=\(example))") }
        return items
    }

    func string(_ field: String) -> String? {
        parameters[field[...]].map(String.init)
    }

    func requiredString(_ field: String) throws -> String {
        guard let value = string(field), !value.isEmpty else { throw RequestError.badField(field, "is required") }
        return value
    }

    /// A whole number in `bounds`, `defaultValue` when absent.
    func integer(_ field: String, default defaultValue: Int?, in bounds: ClosedRange<Int>) throws -> Int? {
        guard let text = parameters[field[...]] else { return defaultValue }
        guard let value = Int(text), bounds.contains(value) else {
            throw RequestError.badField(field, "must be a whole number from \(bounds.lowerBound) to \(bounds.upperBound) (got '\(text)')")
        }
        return value
    }

    /// `top`: how many neighbours, 10 by default.
    func top() throws -> Int {
        try integer("top", default: 10, in: 1...limits.maximumTop)!
    }
}

/// Checks a field of a JSON body against the limits, naming it.
func checkTop(_ top: Int?, _ limits: ServerLimits, field: String = "top") throws -> Int {
    let top = top ?? 10
    guard (1...limits.maximumTop).contains(top) else {
        throw RequestError.badField(field, "must be from 1 to \(limits.maximumTop) (got \(top))")
    }
    return top
}

func checkBatch(_ count: Int, _ limits: ServerLimits, field: String) throws {
    guard count <= limits.maximumBatch else {
        throw RequestError.badField(field, "has \(count) items; at most \(limits.maximumBatch)")
    }
}
