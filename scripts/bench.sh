#!/usr/bin/env bash
# The benchmarks, huntbook beside the Python tools on the same files, in one run
# (`scripts/huntbook bench`).
exec "$(dirname "$0")/huntbook" bench "$@"
