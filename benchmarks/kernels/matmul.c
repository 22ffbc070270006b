/* matmul: dense 200x200 double matrix product, repeated (f64 loads, multiply-add, 2-D indexing). */
#include "bench.h"

#define M 200
#define REPS 30
static double A[M][M], B[M][M], C[M][M];

uint32_t run(void) {
    rng_seed(777);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            A[i][j] = (double)(rng_next() % 1000) / 100.0;
            B[i][j] = (double)(rng_next() % 1000) / 100.0;
        }
    double trace = 0;
    for (int r = 0; r < REPS; r++) {
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < M; j++) C[i][j] = 0;
            for (int k = 0; k < M; k++) {
                double a = A[i][k];
                for (int j = 0; j < M; j++) C[i][j] += a * B[k][j];
            }
        }
        for (int i = 0; i < M; i++) trace += C[i][i];
        A[r][r] += 1.0;  /* change the input so repetitions are not redundant */
    }
    /* every product is an exact multiple of 1e-4 below 2^53 ulps: the sum is exact on all targets */
    return (uint32_t)(int64_t)(trace * 100.0);
}
