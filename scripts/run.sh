#!/usr/bin/env bash
# The run command: on a machine with Rust and Python 3, installs what is missing (JupyterLab
# in a virtual environment, evcxr_jupyter, the "Rust (huntbook)" kernel spec), compiles the
# notebook dependencies into the kernel's build directory ahead of time, and starts JupyterLab
# on notebooks/. Extra arguments go to `jupyter lab` (for example --ip 0.0.0.0 --no-browser).
set -euo pipefail
cd "$(dirname "$0")/.."
python="$(scripts/notebook-env.sh)"
echo "compiling the notebook dependencies (the first time takes about 15 minutes on 2 cores)" >&2
warm="notebooks/.warm-up.ipynb"
trap 'rm -f "$warm"' EXIT
"$python" - "$warm" <<'PY'
import nbformat, sys
nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell(':dep huntbook = { path = "../crates/huntbook" }'),
            nbformat.v4.new_code_cell("use huntbook::prelude::*;")]
nbformat.write(nb, sys.argv[1])
PY
"$python" scripts/run_notebooks.py --label "warm-up" "$warm" >&2
rm -f "$warm"
exec "$(dirname "$python")/jupyter" lab --notebook-dir notebooks "$@"
