#!/usr/bin/env bash
# Everything the notebooks need, in the order the run command, the test command, the Docker
# image and Binder's postBuild all take it: the Rust toolchain (install-rust.sh), the system
# packages the build needs (system-deps.sh), then at the same time the notebooks' dependencies
# compiled into the kernel's build directory (kernel-deps.sh) and the Python environment,
# JupyterLab, the kernel and its spec (notebook-env.sh), then the kernel's build cache checked
# warm by the notebooks' set-up cells (warm-up.sh). Prints the Python path. Exits 3 when
# everything is set up but some notebooks failed their warm-up (they are named on stderr): the
# run command still starts JupyterLab then, the test command fails.
set -euo pipefail
# shellcheck source=scripts/paths.sh
source "$(dirname "$0")/paths.sh"
cd "$(dirname "$0")/.."
PATH="$(scripts/install-rust.sh):$PATH"
export PATH
scripts/system-deps.sh
started=$SECONDS
deps_log="$(mktemp)"
trap 'rm -f "$deps_log"' EXIT
echo "compiling the notebooks' dependencies (huntbook, polars) while the kernel is set up" >&2
scripts/kernel-deps.sh >"$deps_log" 2>&1 &
deps=$!
python="$(scripts/notebook-env.sh)"
if wait "$deps"; then
  echo "notebooks' dependencies compiled ($((SECONDS - started)) s since the set-up began)" >&2
else
  tail -n 30 "$deps_log" >&2
  echo "compiling the notebooks' dependencies ahead failed (above); the warm-up will show which notebooks that stops" >&2
fi
status=0
scripts/warm-up.sh "$python" || status=$?
echo "$python"
exit "$status"
