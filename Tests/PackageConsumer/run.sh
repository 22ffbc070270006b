#!/usr/bin/env bash
# Builds a package that depends on wasmc as a user's would — `.package(url:from:)` on a tagged
# git repository, product `Wasmc` — and runs a module through it (main.swift). Part of `make test`.
#
# The dependency is a local repository holding the tracked files as they are in the working tree
# (committed or not), tagged 0.1.N; a new tag is made only when they change, so a repeated run
# is an incremental build. Its state (repository, SwiftPM cache, fingerprints, build) lives under
# WORK and can be deleted at any time.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORK:-$repo/.build/package-consumer}
origin=$work/wasmc
consumer=$work/consumer
mkdir -p "$work"
work=$(cd "$work" && pwd)

# 1. The dependency: a snapshot of the tracked files, committed and tagged when it changed.
snapshot=$(git -C "$repo" -c user.name=package-test -c user.email=package-test@localhost stash create)
snapshot=${snapshot:-HEAD}
if [ ! -d "$origin/.git" ]; then
    rm -rf "$origin"
    git init -q "$origin"
fi
find "$origin" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
git -C "$repo" archive "$snapshot" | tar -x -C "$origin"
git -C "$origin" add -A
new_tag=""
if ! git -C "$origin" rev-parse -q --verify HEAD >/dev/null || ! git -C "$origin" diff --cached --quiet; then
    git -C "$origin" -c user.name=package-test -c user.email=package-test@localhost \
        commit -q -m "snapshot of $(git -C "$repo" rev-parse --short HEAD) (working tree)"
    new_tag=0.1.$(git -C "$origin" rev-list --count HEAD)
    git -C "$origin" tag "$new_tag"
fi

# 2. The consumer package.
mkdir -p "$consumer/Sources/consumer"
cp "$repo/Tests/PackageConsumer/main.swift" "$consumer/Sources/consumer/main.swift"
cat > "$consumer/Package.swift" <<MANIFEST
// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "consumer",
    dependencies: [.package(url: "file://$origin", from: "0.1.0")],
    targets: [.executableTarget(name: "consumer", dependencies: [.product(name: "Wasmc", package: "wasmc")])]
)
MANIFEST
[ -z "$new_tag" ] || rm -f "$consumer/Package.resolved"

# 3. Build it (debug: only the Wasmc product's targets and what they need) and run it.
# Its own cache and fingerprints: a deleted WORK starts tags again at 0.1.1, on other commits.
swift build --package-path "$consumer" --scratch-path "$work/build" \
    --cache-path "$work/cache" --security-path "$work/security"
"$work/build/debug/consumer" "$repo/examples/calc.wat" "$work/calc.so"
echo "package-test: a package depending on wasmc ${new_tag:-(unchanged)} by version built and ran calc.wat"
