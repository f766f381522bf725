#!/usr/bin/env bash
# Installs the notebook kernel, `huntbook-kernel` (kernel/): evcxr_jupyter 0.22.0 over evcxr
# 0.22.0 with huntbook's patches (kernel/*.patch, in name order) applied, and prints its path.
# Reuses an installed kernel built from the same kernel/ files.
#   HUNTBOOK_KERNEL_ROOT  where it is installed and built (default ~/.cache/huntbook/kernel)
set -euo pipefail
cd "$(dirname "$0")/../kernel"
root="${HUNTBOOK_KERNEL_ROOT:-$HOME/.cache/huntbook/kernel}"
bin="$root/bin/huntbook-kernel"
stamp="$(cat Cargo.toml Cargo.lock src/main.rs ./*.patch | sha256sum | cut -c1-16)"
if [ -x "$bin" ] && [ "$(cat "$root/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$bin"
  exit 0
fi
echo "building the notebook kernel (evcxr_jupyter 0.22.0, patched; about 6 minutes on 2 cores, once)" >&2
# evcxr as published on crates.io, checked against the checksum of its release.
version="0.22.0"
sum="ee69caeeefc311959b85962458e370d8eccb165123edbc5270134aaee6d7ed80"
mkdir -p "$root"
crate="$root/evcxr-$version.crate"
if ! echo "$sum  $crate" | sha256sum --check --status 2>/dev/null; then
  cached="$(find "${CARGO_HOME:-$HOME/.cargo}/registry/cache" -name "evcxr-$version.crate" 2>/dev/null | head -n1 || true)"
  if [ -z "$cached" ]; then
    # Through cargo, so that a configured registry mirror or proxy applies.
    scratch="$(mktemp -d)"
    mkdir "$scratch/src" && touch "$scratch/src/lib.rs"
    printf '[package]\nname = "fetch-evcxr"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\nevcxr = "=%s"\n' \
      "$version" >"$scratch/Cargo.toml"
    cargo fetch --quiet --manifest-path "$scratch/Cargo.toml" >&2 || true
    rm -rf "$scratch"
    cached="$(find "${CARGO_HOME:-$HOME/.cargo}/registry/cache" -name "evcxr-$version.crate" 2>/dev/null | head -n1 || true)"
  fi
  if [ -n "$cached" ]; then
    cp "$cached" "$crate.part"
  else
    curl --fail --silent --show-error --location --retry 3 \
      "https://static.crates.io/crates/evcxr/evcxr-$version.crate" --output "$crate.part"
  fi
  echo "$sum  $crate.part" | sha256sum --check --status ||
    { echo "evcxr-$version.crate does not match its published checksum" >&2; rm -f "$crate.part"; exit 1; }
  mv "$crate.part" "$crate"
fi
rm -rf target/evcxr-patched target/evcxr-unpack
mkdir -p target/evcxr-unpack
tar -xzf "$crate" -C target/evcxr-unpack
for p in ./*.patch; do
  patch --quiet --directory "target/evcxr-unpack/evcxr-$version" -p1 <"$p"
done
mv "target/evcxr-unpack/evcxr-$version" target/evcxr-patched
rmdir target/evcxr-unpack
CARGO_TARGET_DIR="$root/target" cargo install --locked --quiet --force --path . --root "$root" >&2
echo "$stamp" >"$root/stamp"
echo "$bin"
