#!/usr/bin/env bash
# Makes sure of the system programs huntbook's build needs beyond Rust: `protoc`, the protocol
# buffers compiler, which the Spark Connect client (the `spark` feature, used by the SQL
# notebook) runs at build time. As root it installs Debian's protobuf-compiler when missing;
# otherwise it says what to install. The Docker image and Binder (binder/apt.txt) install it
# as a system package.
set -euo pipefail
if command -v protoc >/dev/null || [ -n "${PROTOC:-}" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing protoc (Debian's protobuf-compiler): the Spark Connect client is built with it" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends protobuf-compiler; } >&2
  exit 0
fi
echo "protoc is missing: install the protocol buffers compiler (Debian/Ubuntu: apt-get install protobuf-compiler; macOS: brew install protobuf), or set PROTOC to its path" >&2
exit 1
