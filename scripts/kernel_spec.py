#!/usr/bin/env python3
"""Writes the "Rust (huntbook)" kernel spec (kernel.json) into its folder.

    kernel_spec.py KERNEL_DIR KERNEL EVCXR_ROOT CARGO_BIN LIBDIR

The spec starts evcxr-kernel.sh (copied into KERNEL_DIR by `scripts/huntbook setup`) with the
kernel binary, the kernels' build root and cargo's folder. The cells are shared objects linked
against the toolchain's libstd-*.so, whose relative RUNPATH misses it when the build root
sits beside ~/.rustup (as ~/.cache does), so LD_LIBRARY_PATH names the toolchain's libraries.
"""
import json
import os
import sys


def main():
    kernel_dir, kernel, evcxr_root, cargo_bin, libdir = sys.argv[1:6]
    spec = {
        "argv": ["bash", os.path.join(kernel_dir, "evcxr-kernel.sh"), kernel, evcxr_root, cargo_bin,
                 "{connection_file}"],
        "display_name": "Rust (huntbook)",
        "language": "rust",
        "interrupt_mode": "message",
        "env": {"LD_LIBRARY_PATH": libdir},
    }
    with open(os.path.join(kernel_dir, "kernel.json"), "w") as f:
        json.dump(spec, f, indent=2)


if __name__ == "__main__":
    main()
