#!/usr/bin/env bash
# Creates (or reuses) the Python environment huntbook's notebooks and reference checks use,
# with attackcti 0.6.4, pandas 2.2.3 and PyYAML 6.0.3 (the differential tests, the notebooks'
# pandas figures and the benchmarks). Prints the Python path.
#   HUNTBOOK_VENV  where the environment lives (default ~/.cache/huntbook/venv). An existing
#                  environment is used as it is and completed with pip (Binder points this at
#                  its notebook environment, $NB_PYTHON_PREFIX); otherwise a venv is created.
set -euo pipefail
exec "$(dirname "$0")/pinned-venv.sh" "${HUNTBOOK_VENV:-$HOME/.cache/huntbook/venv}" \
  "attackcti==0.6.4" "pandas==2.2.3" "pyyaml==6.0.3"
