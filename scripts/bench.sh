#!/usr/bin/env bash
# The benchmark: ATT&CK 18.1 (enterprise + mobile + ics) from local files into the techniques
# frame, huntbook against attackcti 0.6.4 in one run. Settings: HUNTBOOK_MIRROR (default
# ../shared/data), HUNTBOOK_BENCH_RUNS, HUNTBOOK_BENCH_RELEASE.
set -euo pipefail
cd "$(dirname "$0")/.."
export HUNTBOOK_MIRROR="$(cd "${HUNTBOOK_MIRROR:-../shared/data}" && pwd)"
export HUNTBOOK_PYTHON="$(scripts/python-env.sh)"
cargo bench --locked -p huntbook-attack --bench load
