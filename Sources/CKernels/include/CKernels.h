#ifndef W2V_CKERNELS_H
#define W2V_CKERNELS_H

// What Swift cannot express itself: a cache prefetch hint (an LLVM intrinsic the standard library
// keeps to itself). Static inline, so each call compiles to one prefetch instruction in the caller.

/// Asks the CPU to bring the cache line holding `address` into all cache levels, for reading soon.
/// A hint: it never faults, whatever `address` is.
static inline void w2v_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
