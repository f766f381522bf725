#!/usr/bin/env bash
# Compiles the notebooks' dependencies (huntbook, with polars) into the kernel's first build
# directory as evcxr's `:dep` cell would (the same Cargo.toml, profile, flags and target), but
# without the kernel: the set-up runs it while the kernel itself compiles, so that both of the
# machine's cores stay busy (each build alone keeps about 1.4 busy), and the warm-up's `:dep`
# cells then find everything fresh. Also writes the build profile of every kernel slot.
#   HUNTBOOK_EVCXR_DIR  the kernels' build directories (default ~/.cache/huntbook/evcxr)
# The Cargo.toml below is evcxr 0.22.0's (src/module.rs, get_cargo_toml_contents): a change of
# evcxr's version must be checked against it. If it drifts, nothing breaks: the first `:dep`
# cell compiles what differs.
set -euo pipefail
cd "$(dirname "$0")/.."
evcxr_root="${HUNTBOOK_EVCXR_DIR:-$HOME/.cache/huntbook/evcxr}"
mkdir -p "$evcxr_root/.cargo"
# Cargo reads this file for builds under $evcxr_root, and it wins over the profile evcxr writes:
# the cell crate compiles unoptimized (cells are glue that calls into huntbook, and opt-level 0
# compiles fastest), the dependencies optimized and without debug assertions.
cat >"$evcxr_root/.cargo/config.toml" <<'TOML'
# Written by huntbook's scripts/kernel-deps.sh.
[profile.dev]
opt-level = 0

[profile.dev.package."*"]
opt-level = 2
debug-assertions = false
overflow-checks = false
TOML

# The `:dep` line every notebook starts with (run_notebooks.py checks they are the same).
dep="$(sed -n 's/^ *":dep \(huntbook = .*\)"[,]*$/\1/p' notebooks/01_explore_attack_data_sources.ipynb | head -n1 | sed 's/\\"/"/g')"
[ -n "$dep" ] || { echo "kernel-deps.sh: no ':dep huntbook' line in notebook 01" >&2; exit 1; }
# evcxr makes the path absolute (canonical) from the notebook's folder.
rel="$(sed -n 's/.*path = "\([^"]*\)".*/\1/p' <<<"$dep")"
abs="$(cd notebooks && cd "$rel" && pwd -P)"
dep="${dep/path = \"$rel\"/path = \"$abs\"}"

dir="$evcxr_root/kernel"
mkdir -p "$dir/src" "$dir/.cargo"
# The first slot's lock, as a kernel holds it (evcxr-kernel.sh): no kernel builds here meanwhile.
exec 9>"$dir.lock"
flock 9
cat >"$dir/Cargo.toml" <<TOML

[package]
name = "ctx"
version = "1.0.0"
edition = "2024"

[lib]
crate-type = ["cdylib"]
path = "src/lib.rs"

[profile.dev]
opt-level = 2
debug = false
strip = "debuginfo"
rpath = true
lto = false
debug-assertions = true
codegen-units = 16
panic = 'unwind'
incremental = true
overflow-checks = true

[dependencies]
$dep

TOML
[ -f "$dir/src/lib.rs" ] || : >"$dir/src/lib.rs"
printf '\n[net]\noffline = false\n' >"$dir/.cargo/config.toml"
# evcxr's environment for cargo (eval_context.rs, cargo_command): lld when installed (mold
# would come first, through a wrapper this script does not reproduce).
if command -v mold >/dev/null; then
  echo "kernel-deps.sh: mold is installed, so evcxr links with it: the warm-up compiles instead" >&2
  exit 0
fi
flags="-Cprefer-dynamic"
command -v lld >/dev/null && flags="$flags -Clink-arg=-fuse-ld=lld"
host="$(rustc -vV | sed -n 's/^host: //p')"
cd "$dir"
CARGO_TARGET_DIR=target CARGO_BUILD_BUILD_DIR=target RUSTC="$(command -v rustc)" RUSTFLAGS="$flags" \
  cargo build --target "$host"
