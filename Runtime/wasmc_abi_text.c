// The ABI header, the prelude and the vector library as text, for the compiler to hand to libtcc (and to write
// next to --emit-c output). #embed keeps the real C files the single source.
#include "wasmc_runtime.h"

#pragma clang diagnostic ignored "-Wc23-extensions"

static const char abi_text[] = {
#embed "include/wasmc_abi.h"
    , 0
};
static const char prelude_text[] = {
#embed "prelude/wasmc_prelude.h"
    , 0
};
static const char simd_text[] = {
#embed "prelude/wasmc_simd.h"
    , 0
};

const char *wasmc_abi_header_text(void) { return abi_text; }
const char *wasmc_prelude_text(void) { return prelude_text; }
const char *wasmc_simd_text(void) { return simd_text; }
