# wasmc — see README.md. `make demo` and `make test` work on a fresh machine.
SWIFT      ?= swift
SPEC       ?= ../shared/spec-testsuite
RELEASE    := .build/release
BUILD_DIR  := build
APT_PKGS   := libtcc-dev tcc
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release demo test unit-test spec-test clean

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

# The whole test suite: unit and end-to-end tests, then the official spec suite.
test: unit-test spec-test

unit-test: deps
	$(SWIFT) test --parallel

spec-test: release
	@test -d "$(SPEC)" || { echo "error: spec test suite not found at $(SPEC) (set SPEC=...)"; exit 1; }
	$(RELEASE)/wasmc wast $(SPEC)

clean:
	rm -rf .build $(BUILD_DIR)

# Benchmarks (benchmarks/README.md): wasmc against Wasmtime, wasm2c (+gcc, +tcc) and native gcc -O2.
# `make bench QUICK=1`: 2 kernels, 3 runs, no peers beyond Wasmtime, checksums checked (about a minute).
BENCH_FLAGS ?=
BENCH_BIN   := .build/release/wasmc-bench
.PHONY: bench
bench: deps
	$(SWIFT) build -c release --product wasmc-bench
	python3 benchmarks/bench.py --wasmc-bench $(BENCH_BIN) $(if $(QUICK),--quick) $(BENCH_FLAGS)
