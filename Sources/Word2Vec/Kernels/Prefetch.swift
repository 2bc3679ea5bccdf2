import CKernels

extension VectorKernels {
    /// Starts loading `count` floats at `x` into the cache without waiting for them.
    ///
    /// Negative sampling reads rows of the output matrix chosen at random: with a vocabulary of tens
    /// of thousands of words they are rarely cached, and the profile showed most of the training
    /// time waiting on the first load of each (docs/performance-notes.md). Asking for all of a
    /// step's rows before using the first lets the misses overlap instead of following each other.
    @usableFromInline @inline(__always)
    static func prefetch(_ x: UnsafePointer<Float>, count: Int) {
        let raw = UnsafeRawPointer(x)
        let bytes = count &* MemoryLayout<Float>.stride
        var offset = 0
        while offset < bytes {
            w2v_prefetch(raw + offset)
            offset &+= 64
        }
    }
}
