import Hummingbird
import HummingbirdCore

/// Reading a GET request's fields, each failure naming the field.
struct QueryParameters {
    private let parameters: FlatDictionary<Substring, Substring>

    init(_ request: Request) {
        parameters = request.uri.queryParameters
    }

    /// A comma-separated list; absent or empty gives `[]`.
    func list(_ field: String) -> [String] {
        guard let value = parameters[field[...]] else { return [] }
        return value.split(separator: ",", omittingEmptySubsequences: true).map(String.init)
    }

    func string(_ field: String) -> String? {
        parameters[field[...]].map(String.init)
    }

    /// A whole number in `bounds`, `defaultValue` when absent.
    func integer(_ field: String, default defaultValue: Int?, in bounds: ClosedRange<Int>) throws -> Int? {
        guard let text = parameters[field[...]] else { return defaultValue }
        guard let value = Int(text), bounds.contains(value) else {
            throw RequestError.badField(field, "must be a whole number from \(bounds.lowerBound) to \(bounds.upperBound) (got '\(text)')")
        }
        return value
    }
}
