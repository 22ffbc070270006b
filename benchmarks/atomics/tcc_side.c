/* Compiled by tcc, as generated code is: the two ways tcc-built code can do an atomic add.
   (1) inline `lock xadd` in a helper of the prelude's shape (tcc calls it: no inlining);
   (2) a call through a function pointer into the runtime, built by cc with C11 atomics. */
typedef unsigned long long u64;
static u64 xadd64(volatile u64 *p, u64 v) {
    __asm__ __volatile__("lock xaddq %0, %1" : "+r"(v), "+m"(*p) : : "memory", "cc");
    return v;
}
u64 (*runtime_add)(volatile u64 *p, u64 v);
u64 loop_inline(volatile u64 *p, long n) { u64 s = 0; long i; for (i = 0; i < n; i++) s += xadd64(p, 1); return s; }
u64 loop_runtime(volatile u64 *p, long n) { u64 s = 0; long i; for (i = 0; i < n; i++) s += runtime_add(p, 1); return s; }
