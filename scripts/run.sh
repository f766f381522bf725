#!/usr/bin/env bash
# The run command: on a machine with Python 3 (and Rust, or rustup is installed), sets up
# everything the notebooks need and warms the kernel (scripts/setup.sh: the first time
# compiles the kernel, polars and huntbook), then starts JupyterLab on notebooks/
# (scripts/lab.sh). Extra arguments go to `jupyter lab` (for example --ip 0.0.0.0
# --no-browser). If the warm-up finds notebooks that do not work, it names them and the first
# error of each, and JupyterLab still starts, so the others can be used.
set -euo pipefail
# shellcheck source=scripts/paths.sh
source "$(dirname "$0")/paths.sh"
cd "$(dirname "$0")/.."
status=0
scripts/setup.sh >/dev/null || status=$?
if [ "$status" = 3 ]; then
  echo "run.sh: the notebooks named above failed their warm-up and will not work as they are; starting JupyterLab for the others" >&2
elif [ "$status" != 0 ]; then
  exit "$status"
fi
exec scripts/lab.sh "$@"
