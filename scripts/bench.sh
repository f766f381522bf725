#!/usr/bin/env bash
# The benchmark: ATT&CK 18.1 (enterprise + mobile + ics) from local files into the techniques
# frame, huntbook against attackcti 0.6.4 in one run. Settings: HUNTBOOK_MIRROR (default
# ../shared/data), HUNTBOOK_BENCH_RUNS, HUNTBOOK_BENCH_RELEASE.
set -euo pipefail
cd "$(dirname "$0")/.."
HUNTBOOK_MIRROR="$(cd "${HUNTBOOK_MIRROR:-../shared/data}" && pwd)"
export HUNTBOOK_MIRROR
HUNTBOOK_PYTHON="$(scripts/python-env.sh)"
export HUNTBOOK_PYTHON
cargo bench --locked -p huntbook-attack --bench load
# The LSASS campaign 07 dataset into a frame: huntbook, pandas and polars.
"$HUNTBOOK_PYTHON" -c 'import polars' 2>/dev/null || "$HUNTBOOK_PYTHON" -m pip install --quiet --disable-pip-version-check polars==1.35.2 >&2
cargo bench --locked -p huntbook-datasets --bench events
