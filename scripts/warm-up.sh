#!/usr/bin/env bash
# Fills the notebook kernel's build cache, so that a user's first cell finds polars and huntbook
# compiled. Every notebook asks for the same build of huntbook (one `:dep` line, checked by
# run_notebooks.py), so the first notebook's set-up cells compile it once; each other
# notebook's set-up cells then only confirm that it is fresh. Skipped when done already for the
# same dependencies (Cargo.lock, the manifests, the toolchain and the kernel).
# Expects scripts/notebook-env.sh to have run; the Python path is its first argument.
# Exits 3 when a notebook's set-up cells fail: the notebook, the cell and the first error line
# are printed on stderr.
# Data: with HUNTBOOK_BAKE_DATA=1 (the Docker image's build argument) every cell of every
# notebook runs, so what the notebooks download stays in HUNTBOOK_CACHE_DIR (in the image, for
# offline use); a later cell that fails there (no network) is reported, not fatal.
set -euo pipefail
cd "$(dirname "$0")/.."
python="$1"
evcxr_root="${HUNTBOOK_EVCXR_DIR:-$HOME/.cache/huntbook/evcxr}"
stamp_file="$evcxr_root/warm-up.stamp"
stamp="$({ cat Cargo.lock Cargo.toml crates/*/Cargo.toml kernel/Cargo.lock \
  kernel/*.patch notebooks/[0-9]*.ipynb; rustc -vV; } | sha256sum | cut -c1-16)"
if [ "${HUNTBOOK_BAKE_DATA:-0}" != 1 ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
  echo "notebook kernel cache already warm" >&2
  exit 0
fi
cells=(--warm-up)
[ "${HUNTBOOK_BAKE_DATA:-0}" = 1 ] && cells=(--warm-up --all-cells)
echo "warming the notebook kernel (the first time compiles polars and huntbook: about 13 minutes on 2 cores)" >&2
status=0
"$python" scripts/run_notebooks.py "${cells[@]}" --label "warm-up" notebooks/[0-9]*.ipynb >&2 || status=$?
if [ "$status" != 0 ]; then
  echo "warm-up: the notebooks marked FAIL above will not work until that is fixed" >&2
  exit 3
fi
echo "$stamp" >"$stamp_file"
