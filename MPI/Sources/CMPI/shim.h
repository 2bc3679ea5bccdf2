// Open MPI defines its handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM ...) as macros over addresses of
// globals, which Swift does not import; these inline functions give Swift the few calls it needs.
#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>

static inline int w2v_mpi_init(int *provided) {
    // Worker threads take turns calling MPI (one averaging round at a time), hence SERIALIZED.
    return MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, provided);
}
static inline int w2v_mpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int w2v_mpi_rank(void) { int r = -1; MPI_Comm_rank(MPI_COMM_WORLD, &r); return r; }
static inline int w2v_mpi_size(void) { int s = 0; MPI_Comm_size(MPI_COMM_WORLD, &s); return s; }
static inline int w2v_mpi_sum_floats(float *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
}
static inline int w2v_mpi_sum_int64(int64_t *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
}
static inline int w2v_mpi_allgather_int64(int64_t value, int64_t *all) {
    return MPI_Allgather(&value, 1, MPI_INT64_T, all, 1, MPI_INT64_T, MPI_COMM_WORLD);
}
// Blocks of `block` bytes, so that counts and displacements (C ints) reach block x 2^31 bytes.
static inline int w2v_mpi_allgatherv_blocks(const void *send, int count, void *receive, const int *counts,
                                            const int *displacements, int block) {
    MPI_Datatype type;
    int rc = MPI_Type_contiguous(block, MPI_BYTE, &type);
    if (rc != MPI_SUCCESS) return rc;
    MPI_Type_commit(&type);
    rc = MPI_Allgatherv(send, count, type, receive, counts, displacements, type, MPI_COMM_WORLD);
    MPI_Type_free(&type);
    return rc;
}
// Ranks on one node: a shared-memory window with one slot per rank (MPI-3), for sums that need no
// message transfers (MPICollective.sum). Returns the node's size; `*window` is NULL if none was made.
static inline int w2v_mpi_node_size(void) {
    MPI_Comm node;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) != MPI_SUCCESS) return 1;
    int size = 1;
    MPI_Comm_size(node, &size);
    MPI_Comm_free(&node);
    return size;
}
// Collective over MPI_COMM_WORLD, whose ranks must all share one node. `slots[r]` gets rank r's slot.
static inline int w2v_mpi_shared_slots(long bytes, float **slots, int ranks, void **window) {
    MPI_Info info;
    MPI_Info_create(&info);
    // Each slot on its rank's own pages (first touch by its owner).
    MPI_Info_set(info, "alloc_shared_noncontig", "true");
    float *mine = NULL;
    MPI_Win *win = (MPI_Win *)malloc(sizeof(MPI_Win));
    int rc = MPI_Win_allocate_shared((MPI_Aint)bytes, sizeof(float), info, MPI_COMM_WORLD, &mine, win);
    MPI_Info_free(&info);
    if (rc != MPI_SUCCESS) { free(win); *window = NULL; return rc; }
    for (int r = 0; r < ranks; r++) {
        MPI_Aint size; int unit;
        rc = MPI_Win_shared_query(*win, r, &size, &unit, &slots[r]);
        if (rc != MPI_SUCCESS) return rc;
    }
    // A passive-target epoch for the whole run, which MPI_Win_sync needs.
    rc = MPI_Win_lock_all(MPI_MODE_NOCHECK, *win);
    *window = win;
    return rc;
}
// Makes this rank's writes to the window visible to the others, waits for every rank, and makes
// theirs visible to this one.
static inline int w2v_mpi_shared_fence(void *window) {
    MPI_Win win = *(MPI_Win *)window;
    MPI_Win_sync(win);
    int rc = MPI_Barrier(MPI_COMM_WORLD);
    MPI_Win_sync(win);
    return rc;
}
static inline void w2v_mpi_shared_free(void *window) {
    MPI_Win *win = (MPI_Win *)window;
    MPI_Win_unlock_all(*win);
    MPI_Win_free(win);
    free(win);
}
static inline int w2v_mpi_barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }
static inline int w2v_mpi_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }
static inline int w2v_mpi_finalize(void) { return MPI_Finalize(); }
static inline int w2v_mpi_success(void) { return MPI_SUCCESS; }
