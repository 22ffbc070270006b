/* wasmc_prelude.h — included by generated C only (after wasmc_abi.h): short type names,
   numeric helpers with the spec's semantics, memory access macros. Compiled by tcc (default
   tier) and by cc -O2 (-O tier); must be free of undefined behaviour under both. */
#ifndef WASMC_PRELUDE_H
#define WASMC_PRELUDE_H
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;
typedef float f32;
typedef double f64;
#endif
