#!/usr/bin/env bash
# Starts JupyterLab on notebooks/ from the environment scripts/setup.sh prepared; arguments go
# to `jupyter lab` (for example --ip 0.0.0.0 --no-browser). As root (containers, CI machines,
# many cloud VMs) it passes --allow-root, without which JupyterLab refuses to start.
set -euo pipefail
# shellcheck source=scripts/paths.sh
source "$(dirname "$0")/paths.sh"
cd "$(dirname "$0")/.."
venv="${HUNTBOOK_VENV:-$HOME/.cache/huntbook/venv}"
[ -x "$venv/bin/jupyter" ] || { echo "JupyterLab is not set up in $venv: run scripts/setup.sh" >&2; exit 1; }
root=()
[ "$(id -u)" = 0 ] && root=(--allow-root)
exec "$venv/bin/jupyter" lab --notebook-dir notebooks "${root[@]}" "$@"
