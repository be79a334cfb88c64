#!/usr/bin/env bash
# Keeps the shared build cache bounded. Cargo names a workspace crate's outputs by a hash of
# its path, so every fresh clone builds new copies of app, server, frontend and the test and
# bench binaries beside the old ones (about 1.5 GB a run): the cache filled a 250 GB disk in
# a day, and Chromium then refused the service worker's cache (quota), failing the PWA test.
# Dependencies (keyed by version, not path) are kept; this project's own outputs from other
# clones are removed, since a new clone rebuilds them anyway.
set -euo pipefail
target="${CARGO_TARGET_DIR:?}"
root="$(cd "$(dirname "$0")/.." && pwd)"
names="app|server|frontend|fuzz"
for file in "$root"/server/tests/*.rs "$root"/server/benches/*.rs; do
  names="$names|$(basename "$file" .rs)"
done
for profile in debug release wasm-release; do
  for dir in "$target/$profile/deps" "$target/front/wasm32-unknown-unknown/$profile/deps" \
    "$target/wasm32-unknown-unknown/$profile/deps"; do
    [ -d "$dir" ] || continue
    # Older than an hour: not this run's (a run rebuilds these within its first minutes).
    find "$dir" -maxdepth 1 -mmin +60 -regextype posix-extended \
      -regex ".*/(lib)?($names)-[0-9a-f]{16}(\..*)?" -delete
  done
done
echo "build cache: $(du -sh "$target" | cut -f1) after pruning other clones' outputs"
