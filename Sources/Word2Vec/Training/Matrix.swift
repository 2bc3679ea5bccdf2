/// A dense row-major `rows x columns` matrix of `Float` in one contiguous allocation.
///
/// Training threads update rows concurrently without locks (Hogwild, Recht et al. 2011): conflicting
/// writes to the same row are rare and harmless for SGD, so the storage is exposed as a raw pointer
/// and the type is `@unchecked Sendable`. Outside training, treat it as a value you own.
public final class Matrix: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    /// `rows * columns` floats; row `r` starts at `storage + r * columns`.
    public let storage: UnsafeMutablePointer<Float>

    /// A matrix filled with `value`.
    public init(rows: Int, columns: Int, value: Float = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        storage = .allocate(capacity: max(rows * columns, 1))
        storage.initialize(repeating: value, count: rows * columns)
    }

    /// A matrix whose entries are produced in row-major order by `generate`, written directly (no
    /// zero-filling pass first, which costs as much again on large matrices).
    public init(rows: Int, columns: Int, generate: () -> Float) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        storage = .allocate(capacity: max(rows * columns, 1))
        for i in 0..<(rows * columns) { (storage + i).initialize(to: generate()) }
    }

    deinit { storage.deallocate() }

    /// Pointer to the first element of row `row`.
    @inlinable @inline(__always)
    public func pointer(row: Int) -> UnsafeMutablePointer<Float> { storage + row * columns }

    /// A copy of row `row`.
    public func row(_ row: Int) -> [Float] {
        precondition(row >= 0 && row < rows, "row out of range")
        return Array(UnsafeBufferPointer(start: pointer(row: row), count: columns))
    }

    /// Overwrites row `row` with `values` (`values.count == columns`).
    public func setRow(_ row: Int, to values: [Float]) {
        precondition(row >= 0 && row < rows && values.count == columns)
        values.withUnsafeBufferPointer { pointer(row: row).update(from: $0.baseAddress!, count: columns) }
    }
}
