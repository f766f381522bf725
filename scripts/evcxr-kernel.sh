#!/usr/bin/env bash
# Starts the evcxr kernel of the "Rust (huntbook)" kernel spec (written by `scripts/huntbook setup`).
#   evcxr-kernel.sh KERNEL ROOT CARGO_BIN CONNECTION_FILE
# KERNEL is the kernel binary (huntbook-kernel), CARGO_BIN the directory of cargo and rustc.
# Kernels build their cells in a directory under ROOT whose compiled dependencies are kept
# between kernels, so only the first kernel ever compiles polars. A directory serves one kernel
# at a time (evcxr writes each cell to its src/lib.rs): the kernel takes the first free slot,
# kernel, kernel-1, kernel-2, ..., holding a lock on it for its lifetime. A second notebook open at the
# same time therefore works, but compiles its own dependencies once.
set -euo pipefail
# HUNTBOOK_EVCXR_DIR, when set, is the root instead (the test command's kernels have their own).
evcxr="$1" root="${HUNTBOOK_EVCXR_DIR:-$2}" connection="$4"
export PATH="$3:$PATH"
for slot in "" -1 -2 -3 -4 -5 -6 -7; do
  dir="$root/kernel$slot"
  mkdir -p "$dir"
  exec 9>"$dir.lock"
  if flock -n 9; then
    export EVCXR_TMPDIR="$dir"
    # fd 9 stays open in the kernel, and the lock with it.
    exec "$evcxr" --control_file "$connection"
  fi
  exec 9>&-
done
echo "evcxr-kernel.sh: all 8 kernel slots under $root are in use" >&2
exit 1
