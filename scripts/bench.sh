#!/usr/bin/env bash
# The benchmarks: ATT&CK 18.1 (enterprise + mobile + ics) from local files into the techniques
# frame, huntbook against attackcti 0.6.4 in one run; LSASS campaign 07 into a frame, huntbook
# against pandas and polars; the workshop's group-by and join on the two LSASS campaigns
# (repeated to about 1.9 GB) on polars, Sail local-cluster and Spark local[2]. Settings:
# HUNTBOOK_MIRROR (default ../shared/data), HUNTBOOK_BENCH_RUNS, HUNTBOOK_BENCH_RELEASE,
# HUNTBOOK_BENCH_REPEAT, HUNTBOOK_BENCH_SPARK_MEMORY.
set -euo pipefail
# shellcheck source=scripts/paths.sh
source "$(dirname "$0")/paths.sh"
cd "$(dirname "$0")/.."
HUNTBOOK_MIRROR="$(cd "${HUNTBOOK_MIRROR:-../shared/data}" && pwd)"
export HUNTBOOK_MIRROR
HUNTBOOK_PYTHON="$(scripts/python-env.sh)"
export HUNTBOOK_PYTHON
cargo bench --locked -p huntbook-attack --bench load
# The LSASS campaign 07 dataset into a frame: huntbook, pandas and polars.
"$HUNTBOOK_PYTHON" -c 'import polars' 2>/dev/null || "$HUNTBOOK_PYTHON" -m pip install --quiet --disable-pip-version-check polars==1.35.2 >&2
cargo bench --locked -p huntbook-datasets --bench events
# SQL on one machine and on Spark Connect servers started on 127.0.0.1.
scripts/system-deps.sh
{ read -r HUNTBOOK_SAIL; read -r HUNTBOOK_SPARK_HOME; } < <(scripts/spark-env.sh) || true
[ -x "$HUNTBOOK_SAIL" ] && [ -d "$HUNTBOOK_SPARK_HOME" ] || { echo "scripts/spark-env.sh did not set up Sail and Spark (see above)" >&2; exit 1; }
export HUNTBOOK_SAIL HUNTBOOK_SPARK_HOME
cargo bench --locked -p huntbook-spark --bench engines
