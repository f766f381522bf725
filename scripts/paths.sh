# shellcheck shell=bash
# Sourced by the commands a user runs (run.sh, setup.sh, lab.sh, test.sh, bench.sh) before they
# change to the repository's root: a relative HUNTBOOK_MIRROR or HUNTBOOK_CACHE_DIR means
# relative to where the command was run, for the scripts and for the notebook kernels, which
# run in notebooks/. URLs (https://, file://) are left as they are.
huntbook_absolute_path() {
  local name="$1" value="${!1:-}"
  case "$value" in
    "" | /* | *://*) return 0 ;;
  esac
  if [ "$name" = HUNTBOOK_MIRROR ]; then
    [ -d "$value" ] || { echo "HUNTBOOK_MIRROR=$value: no such directory (relative to $PWD)" >&2; return 1; }
    value="$(cd "$value" && pwd)"
  else
    value="$PWD/$value"
  fi
  export "$name=$value"
}
huntbook_absolute_path HUNTBOOK_MIRROR
huntbook_absolute_path HUNTBOOK_CACHE_DIR
