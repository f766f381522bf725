#!/usr/bin/env bash
# The run command: on a machine with Python 3 (and Rust, or rustup is installed), sets up
# everything the notebooks need and warms the kernel (scripts/setup.sh: the first time
# compiles the kernel and polars, about 20 minutes on 2 cores), then starts JupyterLab on
# notebooks/ (scripts/lab.sh). Extra arguments go to `jupyter lab` (for example
# --ip 0.0.0.0 --no-browser).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
exec scripts/lab.sh "$@"
