/* fib: recursive calls (naive Fibonacci and Ackermann); call overhead and small frames. */
#include "bench.h"

/* noinline keeps the recursion real on every compiler */
__attribute__((noinline)) static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

__attribute__((noinline)) static uint32_t ack(uint32_t m, uint32_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

uint32_t run(void) {
    return fib(34) * 31 + ack(2, 2000) + ack(3, 7);
}
