#!/usr/bin/env bash
# Sets up what the notebooks run on, reusing what is already there:
#   - the Python environment of scripts/python-env.sh, plus JupyterLab and nbclient;
#   - the Rust kernel, huntbook-kernel: evcxr_jupyter with one patch (kernel-install.sh);
#   - a kernel spec "huntbook-rust" inside that environment, whose kernels keep their evcxr
#     build directories under HUNTBOOK_EVCXR_DIR (default ~/.cache/huntbook/evcxr), so the
#     notebook dependencies are compiled once, not at every kernel start (evcxr-kernel.sh,
#     copied into the kernel spec, which so does not depend on this checkout);
# Prints the Python path.
set -euo pipefail
cd "$(dirname "$0")/.."
python="$(scripts/python-env.sh)"
venv="$(dirname "$(dirname "$python")")"
if ! "$python" -c 'import jupyterlab, nbclient, nbformat' 2>/dev/null; then
  echo "installing JupyterLab and nbclient into $venv" >&2
  "$python" -m pip install --quiet --disable-pip-version-check --no-cache-dir \
    "jupyterlab>=4,<5" "nbclient>=0.10" "nbformat>=5.10" >&2
fi
kernel="$(scripts/kernel-install.sh)"
evcxr_root="${HUNTBOOK_EVCXR_DIR:-$HOME/.cache/huntbook/evcxr}"
kernel_dir="$venv/share/jupyter/kernels/huntbook-rust"
mkdir -p "$kernel_dir"
cp scripts/evcxr-kernel.sh "$kernel_dir/evcxr-kernel.sh"
# The cells are shared objects linked against the toolchain's libstd-*.so; their relative
# RUNPATH misses it when the build directory sits beside ~/.rustup (as ~/.cache does), so the
# kernel is told where the toolchain's libraries are, and where cargo is (Jupyter may have been
# started without it on PATH, as on Binder).
libdir="$(rustc --print target-libdir)"
cargo_bin="$(dirname "$(command -v cargo)")"
"$python" - "$kernel_dir" "$kernel" "$evcxr_root" "$cargo_bin" "$libdir" <<'PY'
import json, sys
kernel_dir, kernel, evcxr_root, cargo_bin, libdir = sys.argv[1:6]
spec = {
    "argv": ["bash", f"{kernel_dir}/evcxr-kernel.sh", kernel, evcxr_root, cargo_bin, "{connection_file}"],
    "display_name": "Rust (huntbook)",
    "language": "rust",
    "interrupt_mode": "message",
    "env": {"LD_LIBRARY_PATH": libdir},
}
with open(f"{kernel_dir}/kernel.json", "w") as f:
    json.dump(spec, f, indent=2)
PY
echo "$python"
