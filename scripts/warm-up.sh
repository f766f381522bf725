#!/usr/bin/env bash
# Fills the notebook kernel's build cache by executing every notebook once on it, so that a
# user's first cell finds polars and huntbook compiled for exactly what the notebooks ask for.
# Skipped when done already for the same dependencies (Cargo.lock, the manifests, the
# toolchain and the kernel). Only the first cell of each notebook (`:dep huntbook`) must
# succeed: later cells may lack data or network here, and are reported, not fatal.
# Expects scripts/notebook-env.sh to have run; the Python path is its first argument.
# Data: what the notebooks download stays in HUNTBOOK_CACHE_DIR (default ~/.cache/huntbook),
# as with any notebook run, so the user's own run finds it there. The Docker image and Binder
# set HUNTBOOK_BAKE_DATA: with 0 the downloads go to a temporary cache that is then deleted
# (a smaller image), with 1 they stay in the image for offline use, and the warm-up runs even
# when the cache is warm.
set -euo pipefail
cd "$(dirname "$0")/.."
python="$1"
evcxr_root="${HUNTBOOK_EVCXR_DIR:-$HOME/.cache/huntbook/evcxr}"
stamp_file="$evcxr_root/warm-up.stamp"
stamp="$({ cat Cargo.lock Cargo.toml crates/*/Cargo.toml kernel/Cargo.lock \
  kernel/evcxr-analysis-in-background.patch; rustc -vV; } | sha256sum | cut -c1-16)"
if [ "${HUNTBOOK_BAKE_DATA:-0}" != 1 ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
  echo "notebook kernel cache already warm" >&2
  exit 0
fi
if [ "${HUNTBOOK_BAKE_DATA:-}" = 0 ] && [ -z "${HUNTBOOK_MIRROR:-}" ]; then
  HUNTBOOK_CACHE_DIR="$(mktemp -d)"
  export HUNTBOOK_CACHE_DIR
  trap 'rm -rf "$HUNTBOOK_CACHE_DIR"' EXIT
fi
echo "warming the notebook kernel: executing every notebook once (the first time compiles polars and huntbook: about 15 minutes on 2 cores)" >&2
"$python" scripts/run_notebooks.py --warm-up --label "warm-up" notebooks/[0-9]*.ipynb >&2
echo "$stamp" >"$stamp_file"
