// Open MPI defines its handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM ...) as macros over addresses of
// globals, which Swift does not import; these inline functions give Swift the few calls it needs.
#include <mpi.h>
#include <stdint.h>

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
static inline int w2v_mpi_barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }
static inline int w2v_mpi_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }
static inline int w2v_mpi_finalize(void) { return MPI_Finalize(); }
static inline int w2v_mpi_success(void) { return MPI_SUCCESS; }
