#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open-addressing hash set of byte strings that numbers its keys densely in insertion order.
///
/// Corpus reading looks up every token, so the table works on raw bytes (FNV-1a hash, linear probing,
/// keys packed in one arena) and never builds a `String`. Expected O(length) per lookup or insert;
/// memory is about 12 bytes per slot plus the key bytes, with the load kept below 1/2.
struct ByteStringTable: Sendable {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var keyOffsets: [Int] = [0]
    private var arena: [UInt8] = []

    init(minimumCapacity: Int = 1024) {
        var capacity = 1024
        while capacity < 2 * minimumCapacity { capacity <<= 1 }
        slots = Array(repeating: -1, count: capacity)
    }

    /// The number of distinct keys.
    var count: Int { hashes.count }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The id of `bytes`, or `nil` if absent.
    @inline(__always)
    func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = Self.hash(bytes)
        let slot = probe(bytes, hash: h)
        let id = slots[slot]
        return id < 0 ? nil : Int(id)
    }

    /// The id of `bytes`, inserting it with the next id if absent.
    @inline(__always)
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (id: Int, inserted: Bool) {
        insert(bytes, hash: Self.hash(bytes))
    }

    /// `insert(_:)` with the key's hash already known (`hash(ofKey:)` of another table), so that
    /// merging tables does not hash every key again.
    @inline(__always)
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (id: Int, inserted: Bool) {
        let slot = probe(bytes, hash: h)
        if slots[slot] >= 0 { return (Int(slots[slot]), false) }
        let id = hashes.count
        slots[slot] = Int32(id)
        hashes.append(h)
        arena.append(contentsOf: bytes)
        keyOffsets.append(arena.count)
        if 2 * hashes.count > slots.count { grow() }
        return (id, true)
    }

    /// The bytes of key `id`.
    func key(_ id: Int) -> ArraySlice<UInt8> {
        arena[keyOffsets[id]..<keyOffsets[id + 1]]
    }

    /// The hash of key `id`.
    func hash(ofKey id: Int) -> UInt64 { hashes[id] }

    /// Calls `body` with the bytes of key `id`, without copying them.
    func withKey<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { arena in
            let start = keyOffsets[id]
            return try body(UnsafeBufferPointer(rebasing: arena[start..<keyOffsets[id + 1]]))
        }
    }

    /// The slot holding `bytes`, or the empty slot where it would go.
    @inline(__always)
    private func probe(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { arena in
                while true {
                    let id = Int(slots[slot])
                    if id < 0 { return slot }
                    if hashes[id] == h {
                        let start = keyOffsets[id]
                        let length = keyOffsets[id + 1] - start
                        if length == bytes.count
                            && (length == 0 || memcmp(arena.baseAddress! + start, bytes.baseAddress!, length) == 0) {
                            return slot
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        let mask = capacity - 1
        var newSlots = [Int32](repeating: -1, count: capacity)
        for (id, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while newSlots[slot] >= 0 { slot = (slot + 1) & mask }
            newSlots[slot] = Int32(id)
        }
        slots = newSlots
    }
}
