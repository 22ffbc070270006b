// wasmc_runtime.h — the C runtime's interface to the Swift library (not seen by generated code).
#ifndef WASMC_RUNTIME_H
#define WASMC_RUNTIME_H
#include "wasmc_abi.h"

/// Text of wasmc_abi.h and of the prelude, NUL-terminated, for the code generator.
const char *wasmc_abi_header_text(void);
const char *wasmc_prelude_text(void);

#endif
