#!/usr/bin/env bash
# Makes sure the Python environment DIR holds exactly the pinned packages given (name==version,
# extras allowed: "pyspark[connect]==4.2.1"), and prints its Python path:
#   pinned-venv.sh DIR PACKAGE==VERSION...
# An existing environment is completed with pip; without one, a venv is created.
set -euo pipefail
venv="$1"
shift
python="$venv/bin/python"
if ! "$python" - "$@" 2>/dev/null <<'PY'; then
import importlib.metadata as m, re, sys
pins = [re.sub(r"\[.*\]", "", pin).split("==") for pin in sys.argv[1:]]
sys.exit(any(m.version(name) != version for name, version in pins))
PY
  echo "setting up $venv with $*" >&2
  if [ ! -x "$python" ]; then
    command -v python3 >/dev/null || { echo "python3 is required (Debian: apt-get install python3 python3-venv)" >&2; exit 1; }
    python3 -m venv "$venv" >&2 || { echo "python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
  fi
  "$python" -m pip install --quiet --disable-pip-version-check --no-cache-dir "$@" >&2
fi
echo "$python"
