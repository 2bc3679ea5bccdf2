/* What the machine gives a compute-bound loop when T copies run at once: the controls that
 * Benchmarks/scaling.sh prints beside the training figures, so that a thread-scaling ratio can be
 * read against what the cores allow (shared vCPUs, turbo and AVX-512 frequency drops all show here).
 *
 *   controls scalar|fma SECONDS THREADS...
 *
 * For each thread count T, T threads each do the same fixed amount of work (sized once to take
 * about SECONDS on one thread of this machine); prints "T seconds speed-up" per count, the speed-up
 * being T x time(1) / time(T) (the first count is timed at 1 thread too when it is not 1).
 *   scalar: one dependent chain of 64-bit multiply-adds (a random generator), latency-bound.
 *   fma:    eight independent chains of 8-float fused multiply-adds (AVX2 width), throughput-bound,
 *           as the training kernels are.
 * Built by scaling.sh with gcc -O3 -march=native; written for this project. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef float v8 __attribute__((vector_size(32)));

static volatile uint64_t sink_scalar;
static volatile float sink_fma;
static long iterations;
static int use_fma;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *work(void *unused) {
    (void)unused;
    if (use_fma) {
        v8 a[8], b, c;
        for (int k = 0; k < 8; k++) for (int j = 0; j < 8; j++) a[k][j] = 1.0f + 1e-3f * (k + j);
        for (int j = 0; j < 8; j++) { b[j] = 0.999999f; c[j] = 1e-7f; }
        for (long i = 0; i < iterations; i++)
            for (int k = 0; k < 8; k++) a[k] = a[k] * b + c;
        float s = 0;
        for (int k = 0; k < 8; k++) for (int j = 0; j < 8; j++) s += a[k][j];
        sink_fma = s;
    } else {
        uint64_t x = 88172645463325252ull;
        for (long i = 0; i < iterations; i++) x = x * 6364136223846793005ull + 1442695040888963407ull;
        sink_scalar = x;
    }
    return NULL;
}

static double run(int threads) {
    pthread_t ids[256];
    double start = now();
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, work, NULL);
    for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    return now() - start;
}

int main(int argc, char **argv) {
    if (argc < 4 || (strcmp(argv[1], "scalar") && strcmp(argv[1], "fma"))) {
        fprintf(stderr, "usage: controls scalar|fma SECONDS THREADS...\n");
        return 2;
    }
    use_fma = !strcmp(argv[1], "fma");
    double seconds = atof(argv[2]);
    if (seconds <= 0) { fprintf(stderr, "controls: SECONDS must be positive\n"); return 2; }
    /* Size the work on one thread: grow until a trial takes a tenth of a second, then scale. */
    iterations = 1 << 20;
    double trial;
    while ((trial = run(1)) < 0.1) iterations *= 2;
    iterations = (long)(iterations * seconds / trial);
    double one = run(1);
    for (int a = 3; a < argc; a++) {
        int threads = atoi(argv[a]);
        if (threads < 1 || threads > 256) { fprintf(stderr, "controls: THREADS must be 1 to 256\n"); return 2; }
        double time = threads == 1 ? one : run(threads);
        printf("%d %.4f %.3f\n", threads, time, threads * one / time);
    }
    return 0;
}
