#!/usr/bin/env bash
# Makes sure of the Rust toolchain the notebooks need, and prints the directory of cargo:
#   - cargo and rustc: used as they are when on PATH (or in ~/.cargo/bin), else installed with
#     rustup's minimal profile (as on Binder, whose image has no Rust);
#   - the rust-src component: the kernel's rust-analyzer reads the standard library's sources
#     to know the type of each variable a cell keeps.
set -euo pipefail
cargo_bin=""
if command -v cargo >/dev/null; then
  cargo_bin="$(dirname "$(command -v cargo)")"
elif [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
  cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
else
  echo "installing Rust with rustup (minimal profile, stable)" >&2
  curl --proto '=https' --tlsv1.2 --fail --silent --show-error https://sh.rustup.rs |
    sh -s -- -y --quiet --no-modify-path --profile minimal --default-toolchain stable >&2
  cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
fi
export PATH="$cargo_bin:$PATH"
if [ ! -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  echo "adding the rust-src component (the kernel's type inference reads it)" >&2
  rustup component add rust-src >&2
fi
echo "$cargo_bin"
