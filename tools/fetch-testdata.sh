#!/bin/sh
# Fetches the test data `make test` reads into DIR (default testdata/): the same files, at the
# same upstream commits, as ../shared/*/README.md name on the project's own machines. Needs git
# and network access to github.com (TESTDATA_GIT_BASE replaces https://github.com, for a mirror).
# Usage: tools/fetch-testdata.sh [DIR]
set -eu
out=${1:-testdata}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# fetch REPO COMMIT NAME: that one commit, shallow, into $work/NAME.
fetch() {
    echo "fetching $1 at $2"
    git init -q "$work/$3"
    git -C "$work/$3" fetch -q --depth 1 "${TESTDATA_GIT_BASE:-https://github.com}/$1.git" "$2"
    git -C "$work/$3" -c advice.detachedHead=false checkout -q FETCH_HEAD
}

fetch WebAssembly/testsuite a8101597d3c3c660086c3cd1eedee608ff18d3c3 testsuite-2.0
fetch WebAssembly/threads 979d0fcb994439423d63b2f0a8a7332d6285dd84 threads
fetch WebAssembly/testsuite 193e551ff22663995b1ac95dc62344133669e14b testsuite-3.0
fetch WebAssembly/wasi-testsuite 9f80ca35444cfd9e63100725615140a346652e6c wasi-base
fetch WebAssembly/wasi-testsuite 3db7f5d1bf71ef31024aa153807e2f243b2e6d24 wasi-all

# Written next to the final folder and renamed into place: an interrupted run leaves no
# half-filled test data behind.
stage="$out.partial"
rm -rf "$stage"
mkdir -p "$stage/spec-testsuite/threads/core-shared" "$stage/spec-testsuite-3.0" "$stage/wasi-testsuite"

# Wasm 2.0 core suite (top level .wast files) and the threads proposal's tests.
cp "$work"/testsuite-2.0/*.wast "$stage/spec-testsuite/"
cp "$work/testsuite-2.0/LICENSE" "$stage/spec-testsuite/LICENSE-WebAssembly-testsuite"
cp "$work"/threads/test/core/threads/*.wast "$stage/spec-testsuite/threads/"
for f in binary exports memory; do
    cp "$work/threads/test/core/$f.wast" "$stage/spec-testsuite/threads/core-shared/"
done
cp "$work/threads/test/LICENSE" "$stage/spec-testsuite/threads/LICENSE-WebAssembly-threads-test"
cp "$work/threads/LICENSE" "$stage/spec-testsuite/threads/LICENSE-WebAssembly-threads-toplevel"

# Wasm 3.0 core suite.
cp "$work"/testsuite-3.0/*.wast "$stage/spec-testsuite-3.0/"
cp "$work/testsuite-3.0/LICENSE" "$stage/spec-testsuite-3.0/LICENSE-WebAssembly-testsuite"

# WASI preview1 programs and the wasi-threads modules.
for lang in c rust assemblyscript; do
    mkdir -p "$stage/wasi-testsuite/$lang"
    cp -R "$work/wasi-base/tests/$lang/testsuite/wasm32-wasip1/." "$stage/wasi-testsuite/$lang/"
done
mkdir -p "$stage/wasi-testsuite/wasi-threads"
cp -R "$work/wasi-all/tests/proposals/wasi-threads/." "$stage/wasi-testsuite/wasi-threads/"
cp "$work/wasi-base/LICENSE" "$stage/wasi-testsuite/LICENSE-wasi-testsuite"
if [ -f "$work/wasi-base/doc/specification.md" ]; then
    cp "$work/wasi-base/doc/specification.md" "$stage/wasi-testsuite/SPECIFICATION.md"
fi

rm -rf "$out"
mv "$stage" "$out"
echo "test data in $out: $(find "$out" -name '*.wast' | wc -l) .wast files, $(find "$out/wasi-testsuite" -name '*.wasm' | wc -l) WASI programs"
