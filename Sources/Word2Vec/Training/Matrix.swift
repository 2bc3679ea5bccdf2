import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A dense row-major `rows x columns` matrix of `Float` in one contiguous allocation.
///
/// Training threads update rows concurrently without locks (Hogwild, Recht et al. 2011): conflicting
/// writes to the same row are rare and harmless for SGD, so inside the package the storage is a raw
/// pointer and the type is `@unchecked Sendable`. The public surface is checked: `row(_:)` and
/// `setRow(_:to:)` copy and trap on an index out of range like an array. Outside training, treat it
/// as a value you own.
public final class Matrix: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    /// `rows * columns` floats; row `r` starts at `storage + r * columns`.
    @usableFromInline package let storage: UnsafeMutablePointer<Float>
    /// What keeps `storage` alive when the matrix does not own it (a memory-mapped model file);
    /// `nil` when the matrix allocated it.
    private let owner: AnyObject?

    /// A matrix filled with `value`.
    public init(rows: Int, columns: Int, value: Float = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        owner = nil
        storage = Self.allocate(count: rows * columns)
        storage.initialize(repeating: value, count: rows * columns)
    }

    /// A matrix over `rows * columns` floats that `owner` keeps alive (used in place: no copy).
    init(rows: Int, columns: Int, borrowing storage: UnsafeMutablePointer<Float>, owner: AnyObject) {
        self.rows = rows
        self.columns = columns
        self.storage = storage
        self.owner = owner
    }

    /// A matrix whose entries are produced in row-major order by `generate`, written directly (no
    /// zero-filling pass first, which costs as much again on large matrices).
    package init(rows: Int, columns: Int, generate: () -> Float) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        owner = nil
        storage = Self.allocate(count: rows * columns)
        for i in 0..<(rows * columns) { (storage + i).initialize(to: generate()) }
    }

    /// A matrix whose rows are written by `fill(range, storage)` over `parts` disjoint ranges of
    /// rows, in parallel, with no zero-filling pass first: each range's pages are first touched, and
    /// zeroed by the kernel, on the thread that fills them.
    package init(rows: Int, columns: Int, parts: Int, fill: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        precondition(rows >= 0 && columns >= 0 && parts >= 1)
        self.rows = rows
        self.columns = columns
        owner = nil
        storage = Self.allocate(count: rows * columns)
        nonisolated(unsafe) let storage = storage
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            fill(rows * part / parts ..< rows * (part + 1) / parts, storage)
        }
    }

    deinit { if owner == nil { storage.deallocate() } }

    private static let hugePage = 2 << 20

    /// Room for `count` floats. Large matrices are aligned to 2 MiB and their whole 2 MiB blocks are
    /// offered to the kernel for transparent huge pages: training reads rows at random, and with 4 KiB
    /// pages most of those reads also miss the TLB. The tail past the last whole block keeps small
    /// pages so that resident memory is not rounded up.
    private static func allocate(count: Int) -> UnsafeMutablePointer<Float> {
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        guard bytes >= 2 * hugePage else { return .allocate(capacity: max(count, 1)) }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: hugePage)
        #if os(Linux)
        _ = madvise(raw, bytes / hugePage * hugePage, MADV_HUGEPAGE)
        #endif
        return raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Pointer to the first element of row `row`.
    @inlinable @inline(__always)
    package func pointer(row: Int) -> UnsafeMutablePointer<Float> { storage + row * columns }

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
