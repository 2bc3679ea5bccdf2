import CMPI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Word2Vec

/// `MPI_COMM_WORLD` as the library's collective. MPI's default error handler on it is
/// errors-are-fatal: a failed call (a peer died, the network broke) ends the whole job inside MPI,
/// so the thrown errors below are a second line of defence only.
final class MPICollective: TrainingCollective, @unchecked Sendable {
    let rank: Int
    let size: Int

    struct Failure: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call) failed (MPI error \(code))" }
    }

    /// Initialises MPI; once per process.
    init() throws {
        var provided: Int32 = 0
        try Self.check(w2v_mpi_init(&provided), "MPI_Init_thread")
        rank = Int(w2v_mpi_rank())
        size = Int(w2v_mpi_size())
        let shared = getenv("WORD2VEC_MPI_SHARED").map { String(cString: $0) != "0" } ?? true
        if size > 1, shared, w2v_mpi_node_size() == size {
            var pointers = [UnsafeMutablePointer<Float>?](repeating: nil, count: size)
            var window: UnsafeMutableRawPointer?
            try Self.check(w2v_mpi_shared_slots(2 * Self.slotFloats * 4, &pointers, Int32(size), &window), "MPI_Win_allocate_shared")
            self.window = window
            slots = pointers.map { $0! }
        }
        guard provided >= w2v_mpi_thread_serialized() else {
            throw Failure(call: "MPI_Init_thread (this MPI does not allow calls from several threads)", code: provided)
        }
    }

    private static func check(_ code: Int32, _ call: String) throws {
        guard code == w2v_mpi_success() else { throw Failure(call: call, code: code) }
    }

    /// With every rank on one node, sums go through a shared-memory window: each rank copies its
    /// values into its slot, the ranks meet at a barrier, and each adds the slots in rank order (so
    /// every rank gets the same bits). Slots come in two halves used in turn, so that a rank may
    /// write its next values while a slower one still reads the last.
    private var window: UnsafeMutableRawPointer?
    private var slots: [UnsafeMutablePointer<Float>] = []
    private var half = 0
    // As large as the library's calls (WeightSynchronizer.chunk), so that each is one barrier.
    static let slotFloats = 1 << 22

    private func sharedSum(_ values: UnsafeMutableBufferPointer<Float>) throws {
        var start = 0
        while start < values.count {
            let n = min(values.count - start, Self.slotFloats)
            let out = values.baseAddress! + start
            (slots[rank] + half * Self.slotFloats).update(from: out, count: n)
            try Self.check(w2v_mpi_shared_fence(window), "MPI_Barrier")
            addSlots(into: out, count: n)
            start += n
        }
    }

    /// The slots' current halves added in rank order into `out`; moves to the other half.
    private func addSlots(into out: UnsafeMutablePointer<Float>, count n: Int) {
        let offset = half * Self.slotFloats
        out.update(from: slots[0] + offset, count: n)
        for r in 1..<size {
            let slot = slots[r] + offset
            for i in 0..<n { out[i] += slot[i] }
        }
        half ^= 1
    }

    /// Through the window, the caller writes straight into this rank's slot and reads every rank's
    /// slot: two passes over the values fewer than copying them in and the sum out.
    func sum(count: Int, staging: UnsafeMutableBufferPointer<Float>,
             fill: (UnsafeMutableBufferPointer<Float>) -> Void,
             use: ([UnsafeBufferPointer<Float>]) -> Void) throws {
        guard window != nil, count <= Self.slotFloats else {
            let values = UnsafeMutableBufferPointer(rebasing: staging[..<count])
            fill(values)
            try sum(values)
            use([UnsafeBufferPointer(values)])
            return
        }
        let offset = half * Self.slotFloats
        fill(UnsafeMutableBufferPointer(start: slots[rank] + offset, count: count))
        try Self.check(w2v_mpi_shared_fence(window), "MPI_Barrier")
        use(slots.map { UnsafeBufferPointer(start: $0 + offset, count: count) })
        half ^= 1
    }

    func sum(_ values: UnsafeMutableBufferPointer<Float>) throws {
        var start = 0
        if window != nil { try sharedSum(values); start = values.count }
        while start < values.count {
            let n = min(values.count - start, Int(Int32.max))
            try Self.check(w2v_mpi_sum_floats(values.baseAddress! + start, Int32(n)), "MPI_Allreduce")
            start += n
        }
    }

    func sum(_ values: UnsafeMutableBufferPointer<Int64>) throws {
        guard let base = values.baseAddress else { return }
        try Self.check(w2v_mpi_sum_int64(base, Int32(values.count)), "MPI_Allreduce")
    }

    /// Sizes first, then the bytes padded to whole blocks (MPI counts are C ints).
    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var sizes = [Int64](repeating: 0, count: size)
        try Self.check(w2v_mpi_allgather_int64(Int64(bytes.count), &sizes), "MPI_Allgather")
        let block = 1024
        let blocks = sizes.map { (Int($0) + block - 1) / block }
        var displacements = [Int32](repeating: 0, count: size)
        for r in 1..<max(size, 1) { displacements[r] = displacements[r - 1] + Int32(blocks[r - 1]) }
        let total = blocks.reduce(0, +)
        guard total <= Int(Int32.max) else { throw Failure(call: "MPI_Allgatherv (over 2 TB of counts)", code: 0) }
        var send = bytes
        send.append(contentsOf: repeatElement(0, count: blocks[rank] * block - bytes.count))
        var receive = [UInt8](repeating: 0, count: max(total * block, 1))
        let counts = blocks.map { Int32($0) }
        try Self.check(w2v_mpi_allgatherv_blocks(send, Int32(blocks[rank]), &receive, counts, displacements, Int32(block)),
                       "MPI_Allgatherv")
        return (0..<size).map { r in
            let start = Int(displacements[r]) * block
            return Array(receive[start..<(start + Int(sizes[r]))])
        }
    }

    func barrier() throws { try Self.check(w2v_mpi_barrier(), "MPI_Barrier") }

    func finalize() {
        if let window { w2v_mpi_shared_free(window) }
        window = nil
        _ = w2v_mpi_finalize()
    }

    /// Ends every process of the job with `status`.
    static func abort(_ status: Int32) -> Never {
        _ = w2v_mpi_abort(status)
        exit(status)
    }
}
