#!/usr/bin/env bash
# Creates (or reuses) the Python environment huntbook's notebooks and reference checks use,
# with attackcti 0.6.4, pandas 2.2.3 and PyYAML 6.0.3 (the differential tests, the notebooks'
# pandas figures and the benchmarks). Prints the Python path.
#   HUNTBOOK_VENV  where the environment lives (default ~/.cache/huntbook/venv). An existing
#                  environment is used as it is and completed with pip (Binder points this at
#                  its notebook environment, $NB_PYTHON_PREFIX); otherwise a venv is created.
set -euo pipefail
venv="${HUNTBOOK_VENV:-$HOME/.cache/huntbook/venv}"
python="$venv/bin/python"
wanted=("attackcti==0.6.4" "pandas==2.2.3" "pyyaml==6.0.3")
if ! "$python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("attackcti") != "0.6.4" or m.version("pandas") != "2.2.3" or m.version("pyyaml") != "6.0.3")' 2>/dev/null; then
  echo "setting up $venv with ${wanted[*]}" >&2
  if [ ! -x "$python" ]; then
    command -v python3 >/dev/null || { echo "python3 is required (Debian: apt-get install python3 python3-venv)" >&2; exit 1; }
    python3 -m venv "$venv" >&2 || { echo "python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
  fi
  "$python" -m pip install --quiet --disable-pip-version-check --no-cache-dir "${wanted[@]}" >&2
fi
echo "$python"
