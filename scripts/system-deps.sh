#!/usr/bin/env bash
# Makes sure of the system packages huntbook's build needs beyond Rust and Python, each named
# here (the Dockerfile and binder/apt.txt name the same ones):
#   - protobuf-compiler and libprotobuf-dev: the Spark Connect client (the facade's `spark`
#     feature, which every notebook's build includes) runs `protoc` at build time, and its
#     .proto files import protobuf's well-known types (google/protobuf/any.proto, ...), which
#     Debian ships in libprotobuf-dev, not with the compiler;
#   - lld: evcxr links each notebook cell with it (faster than the default linker); optional.
# As root with apt-get, the missing ones are installed; otherwise it says what to install and,
# for protoc, fails.
set -euo pipefail

missing=()
well_known="${PROTOC_INCLUDE:-/usr/include}/google/protobuf/any.proto"
if [ -z "${PROTOC:-}" ]; then
  command -v protoc >/dev/null || missing+=(protobuf-compiler)
  [ -f "$well_known" ] || missing+=(libprotobuf-dev)
fi
command -v lld >/dev/null || missing+=(lld)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${missing[*]} (Debian packages the notebooks' build needs)" >&2
  log="$(mktemp)"
  install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; }
  # A fresh machine may have no package lists yet, or stale ones.
  if ! { install || { apt-get update -qq && install; }; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    echo "apt-get could not install ${missing[*]}" >&2
    exit 1
  fi
  rm -f "$log"
  [ -n "${PROTOC:-}" ] || [ -f "$well_known" ] || { echo "libprotobuf-dev did not provide $well_known" >&2; exit 1; }
  exit 0
fi

echo "missing system packages: ${missing[*]}" >&2
echo "  Debian/Ubuntu: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
echo "  macOS: brew install protobuf llvm" >&2
echo "  (or set PROTOC to a protoc binary and PROTOC_INCLUDE to the folder holding google/protobuf/*.proto)" >&2
if [[ " ${missing[*]} " == *" lld "* ]] && [ ${#missing[@]} -eq 1 ]; then
  echo "lld is optional: cells link with the default linker (slower)" >&2
  exit 0
fi
exit 1
