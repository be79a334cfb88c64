#!/usr/bin/env bash
# Installs what building NetEvent needs and the machine lacks: the wasm target, cargo-leptos,
# the wasm-bindgen CLI matching Cargo.lock, wasm-opt (npm's binaryen) and, with --browser,
# Chromium plus playwright-core for the end-to-end tests; with --pdf (or --browser) poppler's
# pdftoppm/pdftotext for the badge tests; with --cluster, Debian's galera-4, haproxy and rsync
# for `make cluster`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

if ! cargo leptos --version 2>/dev/null | grep -q '0.3.10'; then
  echo "Installing cargo-leptos 0.3.10 (takes about 15 minutes once)…"
  cargo install cargo-leptos --locked --version 0.3.10 --features no_downloads
fi

bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$bindgen"; then
  echo "Installing wasm-bindgen-cli $bindgen…"
  cargo install wasm-bindgen-cli --version "=$bindgen"
fi

# Debian's binaryen 108 produces a wasm that fails to hydrate; npm's is current.
tools="${NETEVENT_TOOLS_DIR:-$HOME/.cache/netevent/tools}"
if [ ! -x "$tools/node_modules/.bin/wasm-opt" ]; then
  echo "Installing wasm-opt (binaryen from npm)…"
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" binaryen@132 >/dev/null
fi

# A real SMTP server with a web page of every mail received: `make run` sends the demo's
# mail there, and the mail tests start their own.
if [ ! -x "$tools/node_modules/.bin/maildev" ]; then
  echo "Installing maildev (SMTP server and web inbox, from npm)…"
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" binaryen@132 maildev@3.0.0 >/dev/null
fi

if [ "${1:-}" = --browser ]; then
  if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Chromium…"
    sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  (cd end2end && npm ci --silent --no-audit --no-fund >/dev/null)
fi

# The badge tests render PDF pages with poppler's pdftoppm and read them with pdftotext.
if { [ "${1:-}" = --browser ] || [ "${1:-}" = --pdf ]; } && ! command -v pdftoppm >/dev/null; then
  echo "Installing poppler-utils…"
  sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
fi

# `make cluster`: Galera 4 beside the machine's MariaDB server, HAProxy, and rsync for a
# joining node's state transfer.
if [ "${1:-}" = --cluster ] && { [ ! -f /usr/lib/galera/libgalera_smm.so ] || ! command -v haproxy >/dev/null || ! command -v rsync >/dev/null; }; then
  echo "Installing galera-4, haproxy and rsync…"
  sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq galera-4 haproxy rsync >/dev/null
fi
