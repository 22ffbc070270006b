// openat2(2) with RESOLVE_BENEATH for the WASI host: glibc has no wrapper and Swift cannot
// call the variadic syscall(2). The kernel refuses absolute paths, `..` above `dirfd` and
// symlinks that leave it, so a path resolved here stays inside the directory it starts from.
#define _GNU_SOURCE
#include "wasmc_runtime.h"
#include <errno.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int wasmc_open_beneath(int dirfd, const char *path, int flags) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(unsigned)flags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    long fd;
    // EAGAIN: a rename raced with a `..` lookup; retried a few times, then reported.
    int tries = 0;
    do {
        fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    } while (fd < 0 && (errno == EINTR || (errno == EAGAIN && ++tries < 16)));
    return (int)fd;
}
