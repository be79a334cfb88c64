#!/usr/bin/env bash
# Runs each fuzz target for FUZZ_SECONDS (20) with cargo-fuzz (libFuzzer) and prints how many
# inputs it tried; a crash fails the run and leaves its input under fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "Installing cargo-fuzz…"
  cargo install cargo-fuzz --locked
fi
# libFuzzer's coverage flags are unstable rustc options; this machine has only the stable
# toolchain, which accepts them with RUSTC_BOOTSTRAP. No sanitizer: Rust is memory-safe here,
# and panics and failed assertions are what the targets look for.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/netevent/fuzz-target}"
seconds="${FUZZ_SECONDS:-20}"
cargo fuzz build --sanitizer none
for target in ticket_token csv_cell photo_upload; do
  scratch="$(mktemp -d)"
  # New inputs go to the scratch directory; the checked-in corpus only seeds the run.
  if ! cargo fuzz run --sanitizer none "$target" "$scratch" "corpus/$target" -- \
      -max_total_time="$seconds" -seed=1 -rss_limit_mb=2048 >"$scratch.log" 2>&1; then
    tail -40 "$scratch.log"
    echo "fuzz $target: FAILED (input saved under fuzz/artifacts/$target)"
    exit 1
  fi
  runs="$(grep -oE '^#[0-9]+' "$scratch.log" | tail -1)"
  echo "fuzz $target: ${runs#\#} inputs in ${seconds} s, 0 crashes"
  rm -rf "$scratch" "$scratch.log"
done
