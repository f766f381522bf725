#!/usr/bin/env bash
# The run command: sets up everything the notebooks need, then starts JupyterLab on
# notebooks/ (`scripts/huntbook run`; extra arguments go to `jupyter lab`).
exec "$(dirname "$0")/huntbook" run "$@"
