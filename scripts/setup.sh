#!/usr/bin/env bash
# Everything the notebooks need, in the order the run command, the test command, the Docker
# image and Binder's postBuild all take it: the Rust toolchain (install-rust.sh), protoc for
# the Spark Connect client (system-deps.sh), the Python environment, JupyterLab, the kernel and
# its spec (notebook-env.sh), then the kernel's build cache warmed by executing the notebooks
# (warm-up.sh). Prints the Python path.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$(scripts/install-rust.sh):$PATH"
export PATH
scripts/system-deps.sh
python="$(scripts/notebook-env.sh)"
scripts/warm-up.sh "$python"
echo "$python"
