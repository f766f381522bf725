#!/usr/bin/env bash
# The test command: every check and test, notebooks and fuzz targets included, against the
# offline mirror (`scripts/huntbook test`).
exec "$(dirname "$0")/huntbook" test "$@"
