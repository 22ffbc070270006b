#!/usr/bin/env python3
"""What one instruction of tcc's matmul inner loop costs: the loop as tcc 0.9.27 emits it
(`objdump -d` of the generated C, lowering of session 3), in assembly, with variants that drop
or replace single instructions; each variant is built at 8 paddings (0, 8, ..., 56 bytes of nops
before the loop) and the report is the mean over paddings of the minimum CPU time of 2 x 3 runs (interleaved) of
30 x 200 x 200 x 100 iterations (the kernel's count). Needs gcc.

  python3 benchmarks/tcc_loop_asm.py

Variants: `base` (as tcc emits it, 23 memory operations per iteration), `deadstore` (with the
dead store of l0 that session 3 removes), `m0reg` (the memory base in a register instead of
reloaded from its stack slot for each of the 4 accesses), `l10reg` (the f64 factor in a
register), `refresh` (m0 reloaded and stored back once per iteration, as a fresh store).
"""
import os, statistics, subprocess, sys, tempfile

LOOP = """
 mov    -0x1c(%rbp),%eax
 mov    -0x20(%rbp),%ecx
 add    %ecx,%eax
 mov    %eax,-0x14(%rbp)
 M0RCX
 add    %rax,%rcx
 mov    -0x18(%rbp),%eax
 mov    -0x20(%rbp),%edx
 add    %edx,%eax
 mov    %eax,-0x24(%rbp)
 M0RDX
 add    %rax,%rdx
 L10
 mulsd  (%rdx),%xmm0
 movq   (%rcx),%xmm1
 addsd  %xmm0,%xmm1
 movq   %xmm1,(%rcx)
 mov    -0x14(%rbp),%eax
 add    $0x8,%eax
 DEADSTORE
 M0RCX
 add    %rax,%rcx
 mov    -0x24(%rbp),%eax
 add    $0x8,%eax
 M0RDX
 add    %rax,%rdx
 L10
 mulsd  (%rdx),%xmm0
 movq   (%rcx),%xmm1
 addsd  %xmm0,%xmm1
 movq   %xmm1,(%rcx)
 mov    -0x20(%rbp),%eax
 add    $0x10,%eax
 mov    %eax,-0x20(%rbp)
 cmp    $0x640,%eax
"""

MAIN = r"""
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
void inner(unsigned char *m, double x);
int main(void) {
  unsigned char *mem = calloc(1, 4 << 20);
  struct timespec a, b;
  double best = 1e9;
  for (int t = 0; t < 3; t++) {
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    for (int rep = 0; rep < 30 * 200 * 200; rep++) inner(mem, 1.0001);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    double s = (b.tv_sec - a.tv_sec) + 1e-9 * (b.tv_nsec - a.tv_nsec);
    if (s < best) best = s;
  }
  printf("%.4f\n", best);
  return 0;
}
"""


def variant(v, pad):
    b = LOOP.replace("DEADSTORE", "mov    %eax,-0x14(%rbp)" if "deadstore" in v else "")
    if "m0reg" in v:
        b = b.replace("M0RCX", "mov %r8,%rcx").replace("M0RDX", "mov %r8,%rdx")
    else:
        b = b.replace("M0RCX", "mov -0x50(%rbp),%rcx").replace("M0RDX", "mov -0x50(%rbp),%rdx")
    b = b.replace("L10", "movapd %xmm7,%xmm0" if "l10reg" in v else "movq -0x48(%rbp),%xmm0")
    if "refresh" in v:
        b = " mov -0x50(%rbp),%r10\n mov %r10,-0x50(%rbp)\n" + b
    return (".text\n.globl inner\ninner:\n push %rbp\n mov %rsp,%rbp\n sub $0x60,%rsp\n"
            " mov %rdi,-0x50(%rbp)\n mov %rdi,%r8\n movq %xmm0,-0x48(%rbp)\n movapd %xmm0,%xmm7\n"
            " movl $0x100000,-0x1c(%rbp)\n movl $0x200000,-0x18(%rbp)\n movl $0,-0x20(%rbp)\n"
            " jmp 1f\n .p2align 6\n .fill " + str(pad) + ",1,0x90\n1:\n" + b +
            " jne 1b\n leave\n ret\n.section .note.GNU-stack,\"\",@progbits\n")


variants = sys.argv[1:] or ["base", "deadstore", "m0reg", "l10reg", "m0reg_l10reg", "refresh"]
tmp = tempfile.mkdtemp(prefix="tcc_loop_asm_")
open(os.path.join(tmp, "main.c"), "w").write(MAIN)
exe = {}
for v in variants:
    for p in range(0, 64, 8):
        s = os.path.join(tmp, "%s_%d.s" % (v, p))
        open(s, "w").write(variant(v, p))
        exe[(v, p)] = s[:-2]
        subprocess.run(["gcc", "-O1", "-o", exe[(v, p)], os.path.join(tmp, "main.c"), s], check=True)
res = {k: 1e9 for k in exe}
for _ in range(2):  # rounds, every build once per round (interleaved: the machine is shared)
    for k, e in exe.items():
        res[k] = min(res[k], float(subprocess.run([e], capture_output=True, text=True).stdout))
for v in variants:
    per = [res[(v, p)] for p in range(0, 64, 8)]
    print("%-14s mean %.4f  min %.4f  max %.4f" % (v, statistics.mean(per), min(per), max(per)))
