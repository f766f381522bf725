#!/usr/bin/env bash
# The Spark Connect servers the Spark tests and the Spark benchmark start on 127.0.0.1, each in
# a pinned environment of its own (the two ship different `pyspark` modules):
#   Sail 0.7.2 (pysail, a Rust Spark Connect server, no JVM) with pyspark-client 4.2.0;
#   Apache Spark 4.2.1 (pyspark[connect], its connect server jar), run on the machine's Java 17.
# Prints two lines: the `sail` command, then the Spark home (holding bin/spark-submit).
# Settings: HUNTBOOK_SAIL_VENV, HUNTBOOK_SPARK_VENV (defaults under ~/.cache/huntbook).
set -euo pipefail
here="$(dirname "$0")"
sail_venv="${HUNTBOOK_SAIL_VENV:-$HOME/.cache/huntbook/sail-venv}"
spark_venv="${HUNTBOOK_SPARK_VENV:-$HOME/.cache/huntbook/spark-venv}"
"$here/pinned-venv.sh" "$sail_venv" "pysail==0.7.2" "pyspark-client==4.2.0" >/dev/null
spark_python="$("$here/pinned-venv.sh" "$spark_venv" "pyspark[connect]==4.2.1")"
command -v java >/dev/null || { echo "Apache Spark needs Java 17 or later (Debian: apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
echo "$sail_venv/bin/sail"
"$spark_python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))'
