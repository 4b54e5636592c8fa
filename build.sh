#!/usr/bin/env bash
# Scope Doctor's one build script: cargo → wasm-bindgen → wasm-opt → extension + www.
#   ./build.sh            build everything (dist/chrome, dist/firefox, zips, www/)
#   ./build.sh demo       build, then run the demo on the bundled example pages (headless without a display)
#   ./build.sh test       every test: native (cargo), wasm (wasm-bindgen-test in Chromium), browser (Playwright)
#   ./build.sh bench      speed and size figures against a baseline measured in the same run
#   ./build.sh gates      rustfmt, clippy (native and wasm) and Biome: the style gates of `test`
#   ./build.sh deps       install what the others need (skips what is already there)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

wasm_bindgen_version() { awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock; }

deps() {
  rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  [ -f Cargo.lock ] || cargo generate-lockfile
  local want; want=$(wasm_bindgen_version)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then
    log "installing wasm-bindgen-cli $want"
    cargo install -q wasm-bindgen-cli --version "=$want"
  fi
  # (grep without -q: under pipefail, -q closing the pipe early makes fc-list fail.)
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! fc-list 2>/dev/null | grep -i 'noto.*cjk' >/dev/null; then
    log "installing Debian's chromium, chromium-driver and CJK fonts"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null) \
      || { echo "could not install chromium (need root and Debian's registry)" >&2; exit 1; }
  fi
  if ! command -v firefox-esr >/dev/null; then
    log "installing Debian's firefox-esr"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null) \
      || { echo "could not install firefox-esr (need root and Debian's registry)" >&2; exit 1; }
  fi
  if ! command -v geckodriver >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/geckodriver" ]; then
    log "installing geckodriver 0.37.1 (a crate: 2 to 5 min)"
    cargo install -q geckodriver --version 0.37.1 --locked
  fi
  if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/binaryen ] || [ ! -d node_modules/@biomejs/biome ] || [ ! -d node_modules/web-ext ] || [ package.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# The wasms: release builds without the native feature (no HTML parser), bindings, then wasm-opt.
# build/pkg/scope_doctor*: the core (service worker, www). build/pkg/scope_doctor_qr*: the QR
# encoder alone (crates/qr), instantiated only when a QR code is drawn.
wasm() {
  log "wasm"
  cargo build --release --lib --target wasm32-unknown-unknown --no-default-features
  cargo build --release --lib --target wasm32-unknown-unknown -p scope-doctor-qr
  rm -rf build/pkg && mkdir -p build/pkg
  local name
  for name in scope_doctor scope_doctor_qr; do
    wasm-bindgen --target web --no-typescript --out-dir build/pkg "target/wasm32-unknown-unknown/release/$name.wasm"
    # --converge repeats -Oz until nothing shrinks (~0.5 KB gzip more).
    node node_modules/binaryen/bin/wasm-opt -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
      --strip-debug --strip-producers "build/pkg/${name}_bg.wasm" -o "build/pkg/${name}_bg.opt.wasm"
    mv "build/pkg/${name}_bg.opt.wasm" "build/pkg/${name}_bg.wasm"
  done
}

native() {
  log "native CLI (and extension/shared/names.js, the names it shares with the JavaScript)"
  cargo build --release --bin scope-doctor
  target/release/scope-doctor names > extension/shared/names.js
}

extension() {
  log "extension (dist/chrome, dist/firefox, store zips by web-ext)"
  node extension/pack.mjs
  local browser
  for browser in chrome firefox; do
    node node_modules/web-ext/bin/web-ext.js build --source-dir "dist/$browser" --artifacts-dir dist \
      --filename "scope-doctor-$browser.zip" --overwrite-dest --no-input >/dev/null
  done
}

site() {
  log "www"
  if [ -f www/build.mjs ]; then node www/build.mjs; fi
}

build_all() { deps; wasm; native; extension; site; }

# Style and lint gates: rustfmt, clippy (native and wasm, warnings are errors), Biome over the JS.
gates() {
  log "gates: cargo fmt --check, cargo clippy -D warnings (native, wasm), biome lint"
  cargo fmt --check
  cargo clippy --workspace --all-targets -- -D warnings
  cargo clippy --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
  cargo clippy --lib --target wasm32-unknown-unknown -p scope-doctor-qr -- -D warnings
  node node_modules/@biomejs/biome/bin/biome lint
}

test_all() {
  build_all
  gates
  log "native tests"
  cargo test --workspace
  log "wasm tests (wasm-bindgen-test in headless Chromium)"
  CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
    cargo test --target wasm32-unknown-unknown --no-default-features --test web
  log "Firefox build lint (web-ext lint, i.e. addons-linter: no errors, no warnings)"
  node node_modules/web-ext/bin/web-ext.js lint --source-dir dist/firefox --warnings-as-errors --no-input
  log "browser tests (Playwright + Debian's Chromium, extension loaded)"
  node --test --test-concurrency=1 tests/e2e/
  node tests/firefox/run.mjs
}

case "${1:-build}" in
  deps) deps ;;
  wasm) deps; wasm ;;
  build) build_all ;;
  test) test_all ;;
  demo) build_all; node www/demo.mjs "${@:2}" ;;
  bench) build_all; node tests/bench/bench.mjs "${@:2}" ;;
  gates) deps; gates ;;
  *) echo "usage: ./build.sh [build|demo|test|bench|gates|deps|wasm]" >&2; exit 2 ;;
esac
